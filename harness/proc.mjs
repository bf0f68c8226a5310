// @ts-check
// Child processes: always asynchronous, because the sandbox runs in this same process and must keep
// answering n8n's requests while n8n runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

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

export class CommandError extends Error {
	/**
	 * @param {string} message
	 * @param {RunResult | undefined} result undefined when the command could not start
	 */
	constructor(message, result) {
		super(message);
		this.name = 'CommandError';
		this.result = result;
	}
}

/**
 * Runs a command to completion. Output is captured (and also appended to `logFile` when given).
 * Rejects with a CommandError naming the command and showing the end of its output when it exits
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
			reject(new CommandError(`Could not start ${command}: ${error.message}`, undefined));
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
			if (timedOut) {
				reject(
					new CommandError(
						`${describe(command, args)} did not finish within ${timeoutMs} ms`,
						result,
					),
				);
			} else if (code !== 0 && !allowFailure) {
				const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-25).join('\n');
				const where = logFile ? `\nFull output: ${logFile}` : '';
				reject(
					new CommandError(
						`${describe(command, args)} exited with ${code ?? signal}:\n${tail}${where}`,
						result,
					),
				);
			} else {
				resolve(result);
			}
		});
	});
}

/**
 * @param {string} command
 * @param {readonly string[]} args
 * @returns {string}
 */
function describe(command, args) {
	return `\`${[command, ...args].join(' ')}\``;
}
