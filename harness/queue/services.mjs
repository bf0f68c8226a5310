// @ts-check
// The servers n8n's queue mode needs, each throwaway and on a free loopback port: a Postgres
// cluster in a temp folder (Debian's PostgreSQL 15, run as the `postgres` user: Postgres refuses
// root) and a Redis without persistence, each in a process group of its own (proc.mjs).
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackage } from '../n8n/install.mjs';
import { freePort } from '../n8n/instance.mjs';
import { phase, say } from '../progress.mjs';
import { run, spawnGroup, waitFor } from '../proc.mjs';

/**
 * @typedef {import('../proc.mjs').GroupProcess} GroupProcess
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

/**
 * Runs a Postgres program as the `postgres` user.
 * @param {string} program in POSTGRES_BIN
 * @param {string[]} args
 * @param {{ cwd: string, logFile: string }} options
 */
function asPostgres(program, args, options) {
	return run('runuser', ['-u', 'postgres', '--', path.join(POSTGRES_BIN, program), ...args], {
		...options,
		timeoutMs: 120_000,
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
