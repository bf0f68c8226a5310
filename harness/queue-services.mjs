// @ts-check
// The servers n8n's queue mode needs, each throwaway and on a free loopback port: a Postgres
// cluster in a temp folder (Debian's PostgreSQL 15, run as the `postgres` user: Postgres refuses
// root) and a Redis without persistence. Also the process handling they and n8n share: every
// long-running child gets a process group of its own, so that a stop reaches what it started (n8n's
// task runners) and a hanging stop ends with SIGKILL to the whole group.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './n8n-instance.mjs';
import { phase, say } from './progress.mjs';
import { run } from './proc.mjs';

/**
 * @typedef {import('./n8n-instance.mjs').ProcessExit} ProcessExit
 *
 * A child running in a process group of its own, as spawnGroup() returns it.
 * @typedef {object} GroupProcess
 * @property {string} name
 * @property {number} pid also the process group's id
 * @property {string} logFile where its stdout and stderr go
 * @property {Promise<ProcessExit>} exited
 * @property {() => boolean} running
 * @property {(signal: NodeJS.Signals) => void} signal sends `signal` to the whole group
 * @property {(options?: StopOptions) => Promise<ProcessExit>} stop
 *
 * @typedef {object} StopOptions
 * @property {NodeJS.Signals} [signal] default SIGTERM
 * @property {number} [timeoutMs] how long to wait before SIGKILL to the group; default 20 s
 *
 * A running Postgres cluster, as startPostgres() returns it.
 * @typedef {object} PostgresServer
 * @property {string} host
 * @property {number} port
 * @property {string} user a superuser, no password (trust on the loopback only), who creates databases
 * @property {() => Promise<void>} stop stops the cluster and removes its folder
 *
 * A running Redis, as startRedis() returns it.
 * @typedef {object} RedisServer
 * @property {string} host
 * @property {number} port
 * @property {() => Promise<void>} stop
 */

const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
const REDIS_SERVER = '/usr/bin/redis-server';
const LOOPBACK = '127.0.0.1';
const DEFAULT_STOP_TIMEOUT_MS = 20_000;
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
	const log = await fs.open(logFile, 'a');
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
	/** @param {StopOptions} [options] */
	const stop = ({ signal = 'SIGTERM', timeoutMs = DEFAULT_STOP_TIMEOUT_MS } = {}) => {
		stopping ??= (async () => {
			if (running()) signalGroup(signal);
			let exit = await withTimeout(exited, timeoutMs);
			if (!exit) {
				say(`  ${name} did not stop within ${timeoutMs / 1000} s of ${signal}; killing its group`);
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

/** @type {Promise<unknown> | undefined} */
let aptUpdated;

/**
 * Installs a Debian package with apt-get when `binary` is missing (`apt-get update` first, once).
 * @param {string} binary
 * @param {string} debianPackage
 */
async function ensureDebianPackage(binary, debianPackage) {
	const present = await fs.access(binary).then(
		() => true,
		() => false,
	);
	if (present) return;
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const logFile = path.join(os.tmpdir(), `platformly-apt-${debianPackage}.log`);
	await phase(`Installing ${debianPackage} with apt-get (log: ${logFile})`, async () => {
		aptUpdated ??= run('apt-get', ['update'], { env, logFile, timeoutMs: 5 * 60_000 });
		await aptUpdated;
		await run('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], {
			env,
			logFile,
			timeoutMs: 10 * 60_000,
		});
	});
	await fs.access(binary).catch(() => {
		throw new Error(`apt-get installed ${debianPackage}, but ${binary} is still missing`);
	});
}

/**
 * Runs a Postgres program as the `postgres` user.
 * @param {string} program in POSTGRES_BIN
 * @param {string[]} args
 * @param {{ cwd: string, logFile: string, timeoutMs?: number }} options
 */
function asPostgres(program, args, { cwd, logFile, timeoutMs = 120_000 }) {
	return run('runuser', ['-u', 'postgres', '--', path.join(POSTGRES_BIN, program), ...args], {
		cwd,
		logFile,
		timeoutMs,
	});
}

/**
 * A new Postgres cluster in a temp folder owned by `postgres`, listening on a free loopback port
 * only, its socket in that folder; fsync off, since nothing in it outlives the run.
 * @returns {Promise<PostgresServer>}
 */
export async function startPostgres() {
	await ensureDebianPackage(path.join(POSTGRES_BIN, 'pg_ctl'), 'postgresql');
	const root = await fs.mkdtemp(path.join(os.tmpdir(), 'platformly-postgres-'));
	const dataDir = path.join(root, 'data');
	const logFile = path.join(root, 'postgres.log');
	const { uid, gid } = await postgresUser();
	await fs.chown(root, uid, gid);
	await fs.chmod(root, 0o700);
	const port = await freePort();
	const options = { cwd: root, logFile: path.join(root, 'commands.log') };
	const pgCtl = (/** @type {string[]} */ ...args) =>
		asPostgres('pg_ctl', ['-D', dataDir, ...args], options);
	try {
		await phase(`Starting Postgres on ${LOOPBACK}:${port} (folder ${root})`, async () => {
			await asPostgres(
				'initdb',
				['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
				options,
			);
			const serverOptions = [
				`-p ${port}`,
				`-k ${root}`,
				`-c listen_addresses=${LOOPBACK}`,
				'-c fsync=off',
				'-c synchronous_commit=off',
				'-c full_page_writes=off',
			].join(' ');
			await pgCtl('-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start');
		});
	} catch (error) {
		await stopCluster();
		throw error;
	}

	async function stopCluster() {
		const stopped = await pgCtl('-m', 'fast', '-w', '-t', '20', 'stop').then(
			() => true,
			() => false,
		);
		if (!stopped) {
			// pg_ctl starts the server in a session of its own: its pid is its process group's id.
			const pidFile = await fs
				.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')
				.catch(() => '');
			const pid = Number.parseInt(pidFile, 10);
			if (pid > 0) {
				say(`  Postgres did not stop; killing its process group ${pid}`);
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					// Already gone.
				}
			}
		}
		await fs.rm(root, { recursive: true, force: true });
	}

	return {
		host: LOOPBACK,
		port,
		user: 'postgres',
		stop: () => phase('Stopping Postgres', stopCluster),
	};
}

/** @returns {Promise<{ uid: number, gid: number }>} */
async function postgresUser() {
	const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
		run('id', ['-u', 'postgres']),
		run('id', ['-g', 'postgres']),
	]);
	return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * A Redis on a free loopback port that keeps nothing on disk.
 * @returns {Promise<RedisServer>}
 */
export async function startRedis() {
	await ensureDebianPackage(REDIS_SERVER, 'redis-server');
	const root = await fs.mkdtemp(path.join(os.tmpdir(), 'platformly-redis-'));
	const port = await freePort();
	const server = await phase(`Starting Redis on ${LOOPBACK}:${port}`, async () => {
		const started = await spawnGroup(
			'Redis',
			REDIS_SERVER,
			[
				'--port',
				String(port),
				'--bind',
				LOOPBACK,
				'--save',
				'',
				'--appendonly',
				'no',
				'--daemonize',
				'no',
				'--dir',
				root,
			],
			{ env: process.env, cwd: root, logFile: path.join(root, 'redis.log') },
		);
		try {
			await waitFor('Redis to answer PING', () => redisPing(port, started), {
				timeoutMs: 20_000,
			});
			return started;
		} catch (error) {
			await started.stop();
			throw error;
		}
	});
	return {
		host: LOOPBACK,
		port,
		stop: () =>
			phase('Stopping Redis', async () => {
				await server.stop();
				await fs.rm(root, { recursive: true, force: true });
			}),
	};
}

/**
 * @param {number} port
 * @param {GroupProcess} server
 * @returns {Promise<true | undefined>} true once Redis answers +PONG
 */
function redisPing(port, server) {
	if (!server.running())
		throw new Error(`redis-server exited during start-up (see ${server.logFile})`);
	return new Promise((resolve) => {
		const socket = net.connect(port, LOOPBACK);
		let answer = '';
		const done = (/** @type {true | undefined} */ result) => {
			socket.destroy();
			resolve(result);
		};
		socket.setTimeout(1_000, () => done(undefined));
		socket.on('error', () => done(undefined));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG') ? true : undefined);
		});
	});
}

/** @type {(() => Promise<unknown>)[]} */
const interruptCleanups = [];
let interruptHandled = false;

/**
 * Runs `cleanup` if this process is interrupted (Ctrl-C, SIGTERM, SIGHUP) before it unregisters it:
 * the children started in process groups of their own get no Ctrl-C from the terminal.
 * @param {() => Promise<unknown>} cleanup
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
