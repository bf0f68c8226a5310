// @ts-check
// The local Platformly stand-in (sandbox/, CommonJS), loaded into this process.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../n8n/config.mjs';

/**
 * The sandbox's public surface, typed by the JSDoc of sandbox/*.js and re-exported by sandbox/index.js.
 * @typedef {typeof import('../../sandbox/index.js')} SandboxModule
 * @typedef {import('../../sandbox/index.js').Sandbox} Sandbox
 * @typedef {import('../../sandbox/index.js').SandboxOptions} SandboxOptions
 * @typedef {import('../../sandbox/index.js').FiredEvent} FiredEvent
 */

const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

/**
 * `{ SANDBOX_API_KEY, SANDBOX_CONTACTS, SANDBOX_EVENTS, bulkContactEmail, … }` from sandbox/seed.js
 * @type {Omit<SandboxModule, 'startSandbox' | 'unreachableUrl' | 'MESSAGES' | 'FAULT_NAMES' | 'PROXY_ERROR_PAGE'>}
 */
export const seed = requireFromRepo('./sandbox/seed');

/**
 * Starts a sandbox on a free port; see sandbox/server.js for the options and the returned handle.
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
export function startSandbox(options = {}) {
	/** @type {Pick<SandboxModule, 'startSandbox'>} */
	const server = requireFromRepo('./sandbox/server');
	return server.startSandbox(options);
}

/**
 * A loopback address where nothing listens, now or later in the run; see sandbox/unreachable.js.
 * @returns {Promise<string>}
 */
export function unreachableUrl() {
	/** @type {Pick<SandboxModule, 'unreachableUrl'>} */
	const unreachable = requireFromRepo('./sandbox/unreachable');
	return unreachable.unreachableUrl();
}

/**
 * A key shaped like a real Platformly key (32 alphanumerics) that exists nowhere else, so finding it in
 * what n8n stored can only mean n8n stored the credential in clear.
 */
export function randomApiKey() {
	return randomBytes(24)
		.toString('base64')
		.replace(/[^A-Za-z0-9]/g, '')
		.slice(0, 32)
		.padEnd(32, '7');
}

/**
 * What the sandbox fired, without the per-run `seq` and `at`: for whom, which event, which options.
 * @param {Sandbox} sandbox
 * @returns {Omit<FiredEvent, 'seq' | 'at'>[]}
 */
export function firedEvents(sandbox) {
	return sandbox
		.fired()
		.map(({ contactId, email, event, options }) => ({ contactId, email, event, options }));
}
