// @ts-check
// Child processes: always asynchronous, because the sandbox runs in this same process and must keep
// answering n8n's requests while n8n runs. Commands that end (run), and long-running children
// (spawnGroup): each gets a process group of its own, so that a stop reaches what it started (n8n's
// task runners) and a hanging stop ends with SIGKILL to the whole group. Also the bounded waits they
// all use, and the clean-up steps that stop them, in order and on Ctrl-C.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { say } from './progress.mjs';

/**
 * @typedef {object} RunOptions
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env] the child's whole environment (default cleanEnv())
 * @property {string} [logFile] where the command and its output are appended too
 * @property {boolean} [allowFailure] resolve even when the command exits non-zero
 * @property {number} [timeoutMs] kill it (SIGKILL) and reject after this long
 * @property {(child: import('node:child_process').ChildProcess) => void} [onSpawn]
 *
 * @typedef {object} RunResult
 * @property {number | null} code null when a signal ended it
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} durationMs
 *
 * How a child ended.
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null }} ProcessExit
 *
 * A child running in a process group of its own, as spawnGroup() returns it.
 * @typedef {object} GroupProcess
 * @property {string} name
 * @property {number} pid also the process group's id
 * @property {string} logFile where its stdout and stderr go
 * @property {Promise<ProcessExit>} exited
 * @property {() => boolean} running
 * @property {(signal: NodeJS.Signals) => void} signal sends `signal` to the whole group
 * @property {() => Promise<ProcessExit>} stop SIGTERM to the group, SIGKILL after STOP_TIMEOUT_MS
 */

/**
 * The environment for a child npm or n8n: the caller's, minus what `npm run` exported. Under
 * `npm run`, npm sets npm_config_* from this repo's .npmrc (e.g. ignore-scripts=true,
 * local_prefix=<repo>), which would leak into installs made in other folders.
 * @param {NodeJS.ProcessEnv} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
export function cleanEnv(extra = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!/^npm_(config|package|lifecycle)_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
	}
	return { ...env, ...extra };
}

/**
 * Runs a command to completion. Output is captured (and also appended to `logFile` when given).
 * Rejects with an error naming the command and showing the end of its output when it exits
 * non-zero, unless `allowFailure` is set. `onSpawn` gets the child process, e.g. to watch it.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
export function run(
	command,
	args,
	{ cwd, env = cleanEnv(), logFile, allowFailure = false, timeoutMs, onSpawn } = {},
) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		onSpawn?.(child);
		const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
		log?.write(`\n$ ${[command, ...args].join(' ')}  (in ${cwd ?? process.cwd()})\n`);
		/** @type {Buffer[]} */
		const stdout = [];
		/** @type {Buffer[]} */
		const stderr = [];
		child.stdout.on('data', (chunk) => {
			stdout.push(chunk);
			log?.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr.push(chunk);
			log?.write(chunk);
		});
		let timedOut = false;
		const timer = timeoutMs
			? setTimeout(() => {
					timedOut = true;
					child.kill('SIGKILL');
				}, timeoutMs)
			: undefined;
		child.on('error', (error) => {
			clearTimeout(timer);
			log?.end();
			reject(new Error(`Could not start ${command}: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			log?.end();
			const result = {
				code,
				signal,
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
				durationMs: Date.now() - started,
			};
			const described = `\`${[command, ...args].join(' ')}\``;
			if (timedOut) {
				reject(new Error(`${described} did not finish within ${timeoutMs} ms`));
			} else if (code !== 0 && !allowFailure) {
				const where = logFile ? `\nFull output: ${logFile}` : '';
				const tail = lastLines(`${result.stdout}\n${result.stderr}`, 25);
				reject(new Error(`${described} exited with ${code ?? signal}:\n${tail}${where}`));
			} else {
				resolve(result);
			}
		});
	});
}

/**
 * The last `count` lines of a command's output or log, for an error message.
 * @param {string} text
 * @param {number} count
 */
export function lastLines(text, count) {
	return text.trim().split('\n').slice(-count).join('\n');
}

const STOP_TIMEOUT_MS = 20_000;
// After SIGKILL the kernel ends a process at once; this only bounds waiting for its exit event.
const KILL_WAIT_MS = 5_000;

/**
 * Starts `command` in a process group of its own, its output appended to `logFile`. Being a group
 * leader also keeps a Ctrl-C in the terminal from reaching it: the harness stops it itself, in order.
 * @param {string} name for messages
 * @param {string} command
 * @param {string[]} args
 * @param {{ env: NodeJS.ProcessEnv, cwd: string, logFile: string }} options
 * @returns {Promise<GroupProcess>}
 */
export async function spawnGroup(name, command, args, { env, cwd, logFile }) {
	const log = await fs.promises.open(logFile, 'a');
	const child = spawn(command, args, {
		cwd,
		env,
		detached: true,
		stdio: ['ignore', log.fd, log.fd],
	});
	// The child holds its own copy of the descriptor.
	await log.close();
	/** @type {Promise<ProcessExit>} */
	const exited = new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code, signal) => resolve({ code, signal }));
	});
	if (child.pid === undefined) {
		await exited;
		throw new Error(`${name} did not start (${command})`);
	}
	const pid = child.pid;
	const running = () => child.exitCode === null && child.signalCode === null;
	/** @param {NodeJS.Signals} signal */
	const signalGroup = (signal) => {
		try {
			process.kill(-pid, signal);
		} catch (error) {
			// ESRCH: nothing of the group is left.
			if (error.code !== 'ESRCH') throw error;
		}
	};
	/** @type {Promise<ProcessExit> | undefined} */
	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			if (running()) signalGroup('SIGTERM');
			let exit = await withTimeout(exited, STOP_TIMEOUT_MS);
			if (!exit) {
				say(
					`  ${name} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killing its group`,
				);
				signalGroup('SIGKILL');
				exit = await withTimeout(exited, KILL_WAIT_MS);
			}
			// Whatever it started and left behind (a task runner) goes with the group.
			signalGroup('SIGKILL');
			return exit ?? { code: null, signal: 'SIGKILL' };
		})();
		return stopping;
	};
	return { name, pid, logFile, exited, running, signal: signalGroup, stop };
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<T | undefined>} undefined when `ms` passed first
 */
export async function withTimeout(promise, ms) {
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	const timeout = new Promise((resolve) => {
		timer = setTimeout(resolve, ms, undefined);
	});
	try {
		return /** @type {T | undefined} */ (await Promise.race([promise, timeout]));
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Polls `check` every `intervalMs` until it returns something other than undefined, and returns
 * that; fails after `timeoutMs` with `what` in the message.
 * @template T
 * @param {string} what
 * @param {() => Promise<T | undefined> | T | undefined} check
 * @param {{ timeoutMs: number, intervalMs?: number }} options
 * @returns {Promise<T>}
 */
export async function waitFor(what, check, { timeoutMs, intervalMs = 250 }) {
	const started = Date.now();
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() - started > timeoutMs) {
			throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/**
 * A clean-up step; runCleanups() awaits each in turn.
 * @typedef {() => Promise<unknown>} Cleanup
 */

/**
 * Runs clean-up steps, last added first (a sandbox closes before the folder it wrote to goes).
 * @param {Cleanup[]} cleanups emptied
 */
export async function runCleanups(cleanups) {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** @type {Cleanup[]} */
const interruptCleanups = [];
let interruptHandled = false;

/**
 * Runs `cleanup` if this process is interrupted (Ctrl-C, SIGTERM, SIGHUP) before it unregisters it:
 * the children started in process groups of their own get no Ctrl-C from the terminal.
 * @param {Cleanup} cleanup
 * @returns {() => void} unregisters it
 */
export function stopOnInterrupt(cleanup) {
	interruptCleanups.push(cleanup);
	if (!interruptHandled) {
		interruptHandled = true;
		for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
			process.once(signal, () => void interrupted(signal));
		}
	}
	return () => {
		const index = interruptCleanups.indexOf(cleanup);
		if (index !== -1) interruptCleanups.splice(index, 1);
	};
}

/** @param {NodeJS.Signals} signal */
async function interrupted(signal) {
	say(`\n${signal}: stopping what this process started`);
	for (const cleanup of interruptCleanups.splice(0).reverse()) {
		await cleanup().catch((error) => say(`  clean-up failed: ${error.message}`));
	}
	process.exit(130);
}
