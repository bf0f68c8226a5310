// @ts-check
// Real n8n in queue mode: one main process (editor, API, production webhooks; it enqueues every
// execution in Redis) and workers (`n8n worker`) that run them, all on one Postgres database,
// each process in a user folder of its own holding the packed package, each worker with a hostname
// of its own (`unshare --uts`). harness/scripts/queue.mjs starts Postgres and Redis once and tells each test
// file (and harness/queue/bench.mjs) where they are; each stack gets a database and a Bull prefix of
// its own on them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DEFAULT_N8N_VERSION } from '../n8n/config.mjs';
import { ensureN8n } from '../n8n/install.mjs';
import {
	copyUserFolder,
	createUserFolder,
	freePort,
	N8nUserFolder,
	restApiAnswers,
	STARTED_LINE,
} from '../n8n/instance.mjs';
import { buildAndPack } from '../n8n/package-tarball.mjs';
import { phase, say } from '../progress.mjs';
import { lastLines, spawnGroup, stopOnInterrupt, waitFor } from '../proc.mjs';
import { startPostgres, startRedis } from './services.mjs';

/**
 * @typedef {import('../n8n/install.mjs').N8nInstall} N8nInstall
 * @typedef {import('../proc.mjs').GroupProcess} GroupProcess
 * @typedef {import('../n8n/workflows.mjs').Workflow} Workflow
 * @typedef {import('../n8n/workflows.mjs').PlatformlyCredential} PlatformlyCredential
 * @typedef {import('../n8n/workflows.mjs').N8nRun} N8nRun
 *
 * Where the shared servers listen, as harness/scripts/queue.mjs passes them on (QUEUE_ENV.services).
 * @typedef {object} QueueServices
 * @property {{ host: string, port: number, user: string }} postgres
 * @property {{ host: string, port: number }} redis
 *
 * The part of node-postgres (n8n's own `pg`) the harness uses.
 * @typedef {{ rows: Record<string, any>[] }} QueryResult
 * @typedef {{ query: (sql: string, params?: unknown[]) => Promise<QueryResult>, end: () => Promise<void> }} PgPool
 * @typedef {{ Pool: new (config: Record<string, unknown>) => PgPool }} PgModule
 *
 * The part of ioredis (n8n's own) the harness uses.
 * @typedef {object} RedisClient
 * @property {(key: string, start: number, stop: number) => Promise<string[]>} zrange
 * @property {(key: string, start: number, stop: number) => Promise<string[]>} lrange
 * @property {(key: string) => Promise<Record<string, string>>} hgetall
 * @property {() => Promise<unknown>} quit
 * @typedef {new (options: Record<string, unknown>) => RedisClient} RedisModule
 *
 * An execution as n8n stored it in Postgres.
 * @typedef {object} ExecutionRow
 * @property {string} id
 * @property {string} status e.g. 'new', 'running', 'success', 'error', 'crashed'
 * @property {boolean} finished
 * @property {string} mode
 * @property {Date | null} startedAt
 * @property {Date | null} stoppedAt
 *
 * A Bull job of the stack's queue, as Redis holds it.
 * @typedef {object} QueueJob
 * @property {string} jobId
 * @property {string} executionId
 * @property {string | null} failedReason
 *
 * One n8n worker of a stack.
 * @typedef {GroupProcess & { hostname: string }} QueueWorker
 *
 * @typedef {object} QueueStackOptions
 * @property {N8nInstall} n8n
 * @property {string} template a user folder with the package installed (startSharedServices)
 * @property {QueueServices} services
 * @property {string} label part of folder and database names
 * @property {PlatformlyCredential[]} credentials
 * @property {Workflow[]} workflows all imported and made active
 * @property {number} [workerConcurrency] executions per worker at once (`--concurrency`); default 60
 * @property {NodeJS.ProcessEnv} [env] for every process, on top of the queue-mode settings
 */

/** How harness/scripts/queue.mjs tells each test file where the servers are and which folder to copy. */
export const QUEUE_ENV = {
	services: 'PLATFORMLY_QUEUE_SERVICES',
	template: 'PLATFORMLY_QUEUE_TEMPLATE',
	version: 'PLATFORMLY_QUEUE_N8N_VERSION',
};

export const QUEUE_WORKERS = 2;
// Well above what the node's process limit lets through, so that the bound the tests see is the
// node's, not n8n's.
const DEFAULT_WORKER_CONCURRENCY = 60;
const MAIN_READY_MS = 180_000;
const WORKER_READY_MS = 120_000;
// The Bull queue every n8n instance uses unless worker pools are on (resolveQueueName).
const BULL_QUEUE = 'jobs';

/**
 * The servers, the n8n install and the prepared user folder a test file works with: those
 * harness/scripts/queue.mjs started, or, for a file run alone, started here (and stopped by `cleanups`).
 * @param {(() => Promise<unknown>)[]} cleanups
 * @returns {Promise<{ n8n: N8nInstall, template: string, services: QueueServices }>}
 */
export async function queueEnvironment(cleanups) {
	const n8n = await ensureN8n(process.env[QUEUE_ENV.version] || DEFAULT_N8N_VERSION);
	const given = process.env[QUEUE_ENV.services];
	const template = process.env[QUEUE_ENV.template];
	if (given && template) return { n8n, template, services: JSON.parse(given) };
	say('Run alone (npm run test:queue shares them): starting Postgres and Redis, packing the node.');
	const started = await startSharedServices(n8n);
	cleanups.push(started.stop);
	return { n8n, template: started.template, services: started.services };
}

/**
 * Postgres, Redis and a user folder with the freshly packed package: what every queue stack of one
 * run shares. `stop()` stops and removes them all, also after a Ctrl-C.
 * @param {N8nInstall} n8n
 * @returns {Promise<{ services: QueueServices, template: string, stop: () => Promise<void> }>}
 */
export async function startSharedServices(n8n) {
	/** @type {(() => Promise<unknown>)[]} */
	const steps = [];
	const stop = async () => {
		unregister();
		for (const step of steps.splice(0).reverse()) {
			await step().catch((error) => say(`  clean-up failed: ${error.message}`));
		}
	};
	const unregister = stopOnInterrupt(stop);
	try {
		const { tarball, cleanup } = await buildAndPack();
		steps.push(cleanup);
		// No database is migrated here: in queue mode every stack migrates a Postgres database of its own.
		const template = await createUserFolder(n8n, 'queue-template');
		steps.push(() => template.remove());
		await phase('Installing the package into an n8n user folder', () =>
			template.installCommunityPackage(tarball),
		);
		const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
		steps.push(postgres.stop, redis.stop);
		return {
			services: {
				postgres: { host: postgres.host, port: postgres.port, user: postgres.user },
				redis: { host: redis.host, port: redis.port },
			},
			template: template.root,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

/** A user folder whose n8n commands all run in queue mode on the stack's Postgres and Redis. */
class QueueUserFolder extends N8nUserFolder {
	/**
	 * @param {N8nInstall} n8n
	 * @param {string} root
	 * @param {NodeJS.ProcessEnv} queueEnv
	 */
	constructor(n8n, root, queueEnv) {
		super(n8n, root);
		this.queueEnv = queueEnv;
	}

	/**
	 * @param {NodeJS.ProcessEnv} [extra]
	 * @returns {Promise<NodeJS.ProcessEnv>}
	 */
	env(extra = {}) {
		return super.env({ ...this.queueEnv, ...extra });
	}
}

/**
 * Starts n8n in queue mode: imports the credentials and workflows into a new database, makes the
 * workflows active, starts the main process and waits until it has activated every one of them,
 * then starts the workers and waits until each is ready. `stop()` ends them all (also after a
 * Ctrl-C) and removes their folders.
 * @param {QueueStackOptions} options
 * @returns {Promise<QueueStack>}
 */
export async function startQueueStack({
	n8n,
	template,
	services,
	label,
	credentials,
	workflows,
	workerConcurrency = DEFAULT_WORKER_CONCURRENCY,
	env = {},
}) {
	const suffix = randomBytes(4).toString('hex');
	const database = `n8n_${label.replace(/\W/g, '_')}_${suffix}`;
	const bullPrefix = `bull-${label}-${suffix}`;
	const stack = new QueueStack(n8n, services, database, bullPrefix);
	const unregister = stopOnInterrupt(() => stack.stop());
	stack.unregisterInterrupt = unregister;
	try {
		await phase(
			`Starting n8n in queue mode (${label}): main and ${QUEUE_WORKERS} workers`,
			async () => {
				await stack.createDatabase();
				const queueEnv = {
					EXECUTIONS_MODE: 'queue',
					QUEUE_BULL_REDIS_HOST: services.redis.host,
					QUEUE_BULL_REDIS_PORT: String(services.redis.port),
					QUEUE_BULL_PREFIX: bullPrefix,
					DB_TYPE: 'postgresdb',
					DB_POSTGRESDB_HOST: services.postgres.host,
					DB_POSTGRESDB_PORT: String(services.postgres.port),
					DB_POSTGRESDB_DATABASE: database,
					DB_POSTGRESDB_USER: services.postgres.user,
					// Otherwise n8n keeps trying to reach its own servers.
					N8N_DISABLED_MODULES: 'mcp-registry',
					// A stop that waits for running executions waits this long at most (seconds).
					N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
					...env,
				};
				const main = await stack.addFolder(template, 'main', queueEnv);
				await main.importCredentials(credentials);
				await main.importWorkflows(workflows);
				await main.activateWorkflows(workflows.map(({ id }) => id));
				await stack.startMain(main, workflows);
				for (let index = 1; index <= QUEUE_WORKERS; index++) {
					const folder = await stack.addFolder(template, `worker-${index}`, queueEnv);
					await stack.startWorker(folder, index, workerConcurrency);
				}
			},
		);
		return stack;
	} catch (error) {
		await stack.stop();
		throw error;
	}
}

export class QueueStack {
	/**
	 * @param {N8nInstall} n8n
	 * @param {QueueServices} services
	 * @param {string} database
	 * @param {string} bullPrefix
	 */
	constructor(n8n, services, database, bullPrefix) {
		this.n8n = n8n;
		this.services = services;
		this.database = database;
		this.bullPrefix = bullPrefix;
		this.url = '';
		/** @type {GroupProcess | undefined} */
		this.main = undefined;
		/** @type {QueueWorker[]} */
		this.workers = [];
		/** @type {QueueUserFolder[]} */
		this.folders = [];
		/** @type {PgPool | undefined} */
		this.pool = undefined;
		/** @type {() => void} */
		this.unregisterInterrupt = () => {};
		/** @type {Promise<void> | undefined} */
		this.stopping = undefined;
		this.requireFromN8n = createRequire(path.join(n8n.dir, 'package.json'));
	}

	/**
	 * @param {string} database
	 * @returns {PgPool}
	 */
	#connect(database) {
		/** @type {PgModule} */
		const pg = this.requireFromN8n('pg');
		const { host, port, user } = this.services.postgres;
		return new pg.Pool({ host, port, user, database, max: 2 });
	}

	async createDatabase() {
		const admin = this.#connect('postgres');
		try {
			await admin.query(`CREATE DATABASE "${this.database}"`);
		} finally {
			await admin.end();
		}
		this.pool = this.#connect(this.database);
	}

	/**
	 * @param {string} sql
	 * @param {unknown[]} params
	 * @returns {Promise<Record<string, any>[]>}
	 */
	async query(sql, params) {
		if (!this.pool) throw new Error('The stack has no database yet');
		return (await this.pool.query(sql, params)).rows;
	}

	/**
	 * @param {string} template
	 * @param {string} name
	 * @param {NodeJS.ProcessEnv} queueEnv
	 * @returns {Promise<QueueUserFolder>}
	 */
	async addFolder(template, name, queueEnv) {
		const copy = await copyUserFolder(this.n8n, template, `queue-${name}`);
		const folder = new QueueUserFolder(this.n8n, copy.root, queueEnv);
		this.folders.push(folder);
		return folder;
	}

	/**
	 * @param {QueueUserFolder} folder
	 * @param {Workflow[]} activeWorkflows
	 */
	async startMain(folder, activeWorkflows) {
		const port = await freePort();
		this.url = `http://localhost:${port}`;
		const logFile = path.join(folder.root, 'n8n-main.log');
		this.main = await spawnGroup('n8n main', this.n8n.nodeBin, [this.n8n.n8nEntry, 'start'], {
			cwd: folder.root,
			env: await folder.env({ N8N_PORT: String(port) }),
			logFile,
		});
		const main = this.main;
		// n8n listens before it is set up. It prints the editor's URL once it has activated the
		// workflows (in queue mode without a line per workflow), each webhook stored in the database.
		const webhookWorkflows = activeWorkflows
			.filter(({ nodes }) => nodes.some(({ webhookId }) => webhookId))
			.map(({ id }) => id);
		await withLogTail(logFile, () =>
			waitFor(
				`n8n's main process to be ready with ${webhookWorkflows.length} workflow(s) listening`,
				async () => {
					if (!main.running()) throw new Error("n8n's main process exited");
					const log = await fs.readFile(logFile, 'utf8');
					if (!log.includes(STARTED_LINE)) return undefined;
					const listening = await this.query(
						'SELECT DISTINCT "workflowId" FROM webhook_entity WHERE "workflowId" = ANY($1)',
						[webhookWorkflows],
					);
					if (listening.length < webhookWorkflows.length) return undefined;
					return (await restApiAnswers(this.url)) || undefined;
				},
				{ timeoutMs: MAIN_READY_MS, intervalMs: 500 },
			),
		);
	}

	/**
	 * @param {QueueUserFolder} folder
	 * @param {number} index
	 * @param {number} concurrency
	 */
	async startWorker(folder, index, concurrency) {
		const hostname = `platformly-worker-${index}`;
		const logFile = path.join(folder.root, 'n8n-worker.log');
		// A UTS namespace of its own gives the worker its own hostname, which n8n names it by; `exec`
		// keeps the worker's pid the one spawned.
		const script = 'hostname "$1" && exec "$2" "$3" worker --concurrency="$4"';
		const args = ['--uts', 'sh', '-c', script, 'sh', hostname];
		args.push(this.n8n.nodeBin, this.n8n.n8nEntry, String(concurrency));
		const worker = await spawnGroup(`n8n worker ${hostname}`, 'unshare', args, {
			cwd: folder.root,
			env: await folder.env(),
			logFile,
		});
		this.workers.push({ ...worker, hostname });
		await withLogTail(logFile, () =>
			waitFor(
				`n8n worker ${hostname} to be ready (log: ${logFile})`,
				async () => {
					if (!worker.running()) throw new Error(`n8n worker ${hostname} exited (log: ${logFile})`);
					return (
						(await fs.readFile(logFile, 'utf8')).includes('n8n worker is now ready') || undefined
					);
				},
				{ timeoutMs: WORKER_READY_MS, intervalMs: 500 },
			),
		);
	}

	/**
	 * The executions of a workflow, oldest first.
	 * @param {string} workflowId
	 * @returns {Promise<ExecutionRow[]>}
	 */
	async executions(workflowId) {
		const rows = await this.query(
			'SELECT id, status, finished, mode, "startedAt", "stoppedAt" FROM execution_entity WHERE "workflowId" = $1 ORDER BY id',
			[workflowId],
		);
		return rows.map((row) => ({
			id: String(row.id),
			status: row.status,
			finished: row.finished,
			mode: row.mode,
			startedAt: row.startedAt,
			stoppedAt: row.stoppedAt,
		}));
	}

	/**
	 * Waits until `count` executions of the workflow have ended (stoppedAt set, whatever their
	 * status) and returns them all.
	 * @param {string} workflowId
	 * @param {number} count
	 * @param {number} timeoutMs
	 * @returns {Promise<ExecutionRow[]>}
	 */
	async waitForExecutions(workflowId, count, timeoutMs) {
		/** @type {ExecutionRow[]} */
		let last = [];
		try {
			return await waitFor(
				`${count} ended executions of workflow ${workflowId}`,
				async () => {
					last = await this.executions(workflowId);
					return last.filter(({ stoppedAt }) => stoppedAt).length >= count ? last : undefined;
				},
				{ timeoutMs, intervalMs: 1_000 },
			);
		} catch (error) {
			const statuses = countBy(last.map(({ status }) => status));
			throw new Error(`${error.message}; statuses now: ${JSON.stringify(statuses)}`);
		}
	}

	/**
	 * The run data n8n stored for an execution, decoded (n8n stores it in flatted's format).
	 * @param {string} executionId
	 * @returns {Promise<N8nRun['data'] | undefined>}
	 */
	async runData(executionId) {
		const [row] = await this.query('SELECT data FROM execution_data WHERE "executionId" = $1', [
			Number(executionId),
		]);
		if (!row) return undefined;
		/** @type {{ parse: (text: string) => N8nRun['data'] }} */
		const flatted = this.requireFromN8n('flatted');
		return flatted.parse(row.data);
	}

	/**
	 * The worker whose log says it started the execution, if any has.
	 * @param {string} executionId
	 * @returns {Promise<QueueWorker | undefined>}
	 */
	async workerThatStarted(executionId) {
		const line = `Worker started execution ${executionId} (job`;
		for (const worker of this.workers) {
			if ((await fs.readFile(worker.logFile, 'utf8')).includes(line)) return worker;
		}
		return undefined;
	}

	/**
	 * How many executions each worker's log says it started, by hostname.
	 * @returns {Promise<Record<string, number>>}
	 */
	async executionsStartedPerWorker() {
		/** @type {Record<string, number>} */
		const counts = {};
		for (const worker of this.workers) {
			const log = await fs.readFile(worker.logFile, 'utf8');
			counts[worker.hostname] = log.split('Worker started execution ').length - 1;
		}
		return counts;
	}

	/**
	 * The jobs of the stack's queue that Bull keeps in `state`, read from Redis with n8n's ioredis.
	 * @param {'failed' | 'active' | 'wait'} state
	 * @returns {Promise<QueueJob[]>}
	 */
	async queueJobs(state) {
		/** @type {RedisModule} */
		const Redis = this.requireFromN8n('ioredis');
		const { host, port } = this.services.redis;
		const redis = new Redis({ host, port, lazyConnect: false, maxRetriesPerRequest: 1 });
		try {
			const key = `${this.bullPrefix}:${BULL_QUEUE}:${state}`;
			// Bull keeps finished jobs in sorted sets and waiting or active ones in lists.
			const ids =
				state === 'failed' ? await redis.zrange(key, 0, -1) : await redis.lrange(key, 0, -1);
			return Promise.all(
				ids.map(async (jobId) => {
					const job = await redis.hgetall(`${this.bullPrefix}:${BULL_QUEUE}:${jobId}`);
					const data = job.data ? JSON.parse(job.data) : {};
					return {
						jobId,
						executionId: String(data.executionId),
						failedReason: job.failedReason ?? null,
					};
				}),
			);
		} finally {
			await redis.quit();
		}
	}

	/** Stops the workers, then the main process (each bounded), and removes their folders. */
	stop() {
		this.stopping ??= (async () => {
			this.unregisterInterrupt();
			await Promise.all(this.workers.map((worker) => worker.stop()));
			await this.main?.stop();
			await this.pool?.end().catch(() => undefined);
			if (process.env.PLATFORMLY_QUEUE_KEEP) {
				say(`Keeping the n8n folders: ${this.folders.map(({ root }) => root).join(' ')}`);
			} else {
				await Promise.all(this.folders.map((folder) => folder.remove()));
			}
		})();
		return this.stopping;
	}
}

/**
 * Posts JSON to a production webhook of the stack and returns n8n's status.
 * @param {QueueStack} stack
 * @param {string} webhookPath
 * @param {unknown} body
 * @returns {Promise<number>}
 */
export async function postJson(stack, webhookPath, body) {
	const response = await fetch(`${stack.url}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	await response.body?.cancel();
	return response.status;
}

/**
 * Runs `work`; when it fails, adds the last lines of `logFile` to the error.
 * @template T
 * @param {string} logFile
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withLogTail(logFile, work) {
	try {
		return await work();
	} catch (error) {
		const log = await fs.readFile(logFile, 'utf8').catch(() => '');
		error.message = `${error.message}\nLast lines of ${logFile}:\n${lastLines(log, 30)}`;
		throw error;
	}
}

/**
 * @param {string[]} values
 * @returns {Record<string, number>}
 */
export function countBy(values) {
	/** @type {Record<string, number>} */
	const counts = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}
