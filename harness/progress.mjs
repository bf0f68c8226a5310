// @ts-check
// Console progress for steps that take seconds to minutes. Writes to stderr so that stdout stays
// free for results (the e2e runner's TAP/spec output, the demo summary).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const HEARTBEAT_MS = 15_000;

/**
 * @param {number} ms
 */
export function formatDuration(ms) {
	const seconds = ms / 1000;
	if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
	// Rounded before splitting, so that 419.6 s reads "7 min 0 s", not "6 min 60 s".
	const wholeSeconds = Math.round(seconds);
	return `${Math.floor(wholeSeconds / 60)} min ${wholeSeconds % 60} s`;
}

/**
 * @param {number} bytes
 */
function formatBytes(bytes) {
	const units = ['B', 'KB', 'MB', 'GB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit += 1;
	}
	return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** @param {string} message */
export function say(message) {
	process.stderr.write(`${message}\n`);
}

/**
 * Runs a script's `main`: what it resolves to is the exit code (0 when nothing), and a failure is
 * printed as "<failure>: <message>" with exit code 1.
 * @param {() => Promise<number | void>} main
 * @param {string} failure e.g. "Demo failed"
 */
export function runScript(main, failure) {
	main().then(
		(code) => {
			process.exitCode = code ?? 0;
		},
		(error) => {
			say(`\n${failure}: ${error.message}`);
			process.exitCode = 1;
		},
	);
}

/**
 * Runs `work` as a named phase: prints when it starts and how long it took. With `heartbeat`, also
 * prints the elapsed time every 15 s, plus the size of `watchDir` when given (an npm install shows
 * no progress of its own when its output goes to a log file).
 * @template T
 * @param {string} title
 * @param {() => Promise<T>} work
 * @param {{ heartbeat?: boolean, watchDir?: string }} [options]
 * @returns {Promise<T>}
 */
export async function phase(title, work, { heartbeat = false, watchDir } = {}) {
	const started = Date.now();
	say(`▶ ${title}`);
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	if (heartbeat) {
		timer = setInterval(async () => {
			const size = watchDir ? await directorySize(watchDir) : undefined;
			const sizeText = size === undefined ? '' : `, ${watchDir} is ${formatBytes(size)}`;
			say(`  … ${title}: ${formatDuration(Date.now() - started)} so far${sizeText}`);
		}, HEARTBEAT_MS);
		timer.unref();
	}
	try {
		const result = await work();
		say(`✔ ${title} (${formatDuration(Date.now() - started)})`);
		return result;
	} catch (error) {
		say(`✖ ${title} failed after ${formatDuration(Date.now() - started)}`);
		throw error;
	} finally {
		clearInterval(timer);
	}
}

/**
 * @param {string} dir
 * @returns {Promise<number | undefined>} bytes
 */
async function directorySize(dir) {
	try {
		const { stdout } = await execFileAsync('du', ['-sk', dir]);
		return Number.parseInt(stdout, 10) * 1024;
	} catch {
		return undefined;
	}
}
