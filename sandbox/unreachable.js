'use strict';

const net = require('node:net');

// A port closed after listening on port 0 goes back to the pool that port 0 draws from, so the
// next listener (another test's sandbox, n8n's task broker) can be given it: a run meant to meet
// "connection refused" once met another sandbox's "Invalid API key". Ports below 1024 are never
// handed out that way, so one that refuses now keeps refusing for the whole run.
const CANDIDATE_PORTS = [1, 9, 13, 17, 19, 79, 113, 119, 179, 513];
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function refuses(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		const settle = (/** @type {boolean} */ refused) => {
			socket.destroy();
			resolve(refused);
		};
		socket.setTimeout(CONNECT_TIMEOUT_MS, () => settle(false));
		socket.once('connect', () => settle(false));
		socket.once('error', (error) =>
			settle(/** @type {NodeJS.ErrnoException} */ (error).code === 'ECONNREFUSED'),
		);
	});
}

/**
 * A loopback address where nothing listens and nothing will for the whole run (a port below 1024
 * that refuses connections now), for "Platformly cannot be reached" tests.
 * @returns {Promise<string>}
 */
async function unreachableUrl() {
	for (const port of CANDIDATE_PORTS) {
		if (await refuses(port)) return `http://127.0.0.1:${port}`;
	}
	throw new Error(
		`Every loopback port tried (${CANDIDATE_PORTS.join(', ')}) accepts connections or stays silent; none can stand for "nothing listens"`,
	);
}

module.exports = { unreachableUrl };
