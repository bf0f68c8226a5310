// @ts-check
// One n8n user folder (N8N_USER_FOLDER) and the n8n CLI commands run against it.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { N8N_ENCRYPTION_KEY, PACKAGE_NAME } from './config.mjs';
import { cleanEnv, lastLines, run, waitFor } from '../proc.mjs';

/**
 * @typedef {import('./install.mjs').N8nInstall} N8nInstall
 * @typedef {import('../proc.mjs').RunResult} RunResult
 * @typedef {import('../proc.mjs').RunOptions['onSpawn']} OnSpawn
 * @typedef {import('./workflows.mjs').N8nRun} N8nRun
 * @typedef {import('./workflows.mjs').Workflow} Workflow
 *
 * What n8n stored for the latest execution of a workflow, as read-executions.cjs prints it.
 * @typedef {object} StoredExecution
 * @property {string} id
 * @property {string} status e.g. 'success', 'error', 'canceled'
 * @property {string} mode
 * @property {boolean} finished
 * @property {N8nRun | null} run null when the execution has no run data stored
 * @property {string} storedRows the raw database rows, as JSON, for searching them for secrets
 *
 * @typedef {StoredExecution & { run: N8nRun }} CompleteExecution
 *
 * @typedef {{ workflowId: string, executions: StoredExecution[] }} StoredExecutionEntry
 *
 * @typedef {import('../proc.mjs').ProcessExit} ProcessExit
 *
 * What N8nUserFolder#execute() returns.
 * @typedef {object} ExecuteResult
 * @property {N8nRun} run as `n8n execute` printed it
 * @property {number | null} exitCode non-zero when the workflow failed
 * @property {number} durationMs
 *
 * A running `n8n start`, as N8nUserFolder#start() returns it.
 * @typedef {object} N8nServer
 * @property {import('node:child_process').ChildProcess} child
 * @property {string} url
 * @property {Promise<ProcessExit>} exited
 * @property {() => Promise<void>} ready
 * @property {() => Promise<ProcessExit>} stop
 */

const READ_EXECUTIONS_SCRIPT = path.join(
	path.dirname(fileURLToPath(import.meta.url)),
	'read-executions.cjs',
);
const EXIT_GRACE_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'exit-grace.cjs');

// What `n8n start` prints once it is fully up, in 1.x and 2.x alike.
export const STARTED_LINE = 'Editor is now accessible via';
const START_TIMEOUT_MS = 120_000;

// Settings shared by every n8n the harness starts: no calls home, no UI tours, sqlite.
const N8N_BASE_ENV = {
	N8N_ENCRYPTION_KEY,
	DB_TYPE: 'sqlite',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
	N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
	// This package is not on n8n's vetted list; 2.x warns that this default will change.
	N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
	// `execute` prints its JSON result through the logger: a level above info would hide it.
	N8N_LOG_LEVEL: 'info',
};

// The flags n8n's own community-package installer passes to npm inside the unpacked package
// (CommunityPackagesService.downloadPackage, the same in 1.123 and 2.40), so the package gets the
// node_modules layout users get.
const N8N_INSTALLER_NPM_FLAGS = [
	'install',
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

/**
 * Creates an empty user folder in the system temp dir.
 * @param {N8nInstall} n8n
 * @param {string} label part of the folder's name
 * @returns {Promise<N8nUserFolder>}
 */
export async function createUserFolder(n8n, label) {
	const root = await fs.mkdtemp(path.join(os.tmpdir(), `platformly-${label}-`));
	return new N8nUserFolder(n8n, root);
}

/**
 * A user folder ready to run workflows with this package: the tarball installed as a community
 * package and the database migrated (the first command in a fresh folder spends ~4 s on that).
 * @param {N8nInstall} n8n
 * @param {string} tarball
 * @param {string} label
 * @returns {Promise<N8nUserFolder>}
 */
export async function prepareUserFolder(n8n, tarball, label) {
	const instance = await createUserFolder(n8n, label);
	return instance.removedOnFailure(async () => {
		await instance.installCommunityPackage(tarball);
		await instance.migrate();
	});
}

/**
 * A user folder at a fixed place, kept between runs (created when missing).
 * @param {N8nInstall} n8n
 * @param {string} root
 * @returns {Promise<N8nUserFolder>}
 */
export async function openUserFolder(n8n, root) {
	await fs.mkdir(root, { recursive: true });
	return new N8nUserFolder(n8n, root);
}

/**
 * Copies a prepared user folder (migrated database, package installed) to a new temp dir.
 * @param {N8nInstall} n8n
 * @param {string} templateRoot
 * @param {string} label
 * @returns {Promise<N8nUserFolder>}
 */
export async function copyUserFolder(n8n, templateRoot, label) {
	const instance = await createUserFolder(n8n, label);
	return instance.removedOnFailure(() =>
		fs.cp(templateRoot, instance.root, { recursive: true, verbatimSymlinks: true }),
	);
}

export class N8nUserFolder {
	/**
	 * @param {N8nInstall} n8n what ensureN8n() returned
	 * @param {string} root
	 */
	constructor(n8n, root) {
		this.n8n = n8n;
		this.root = root;
		this.n8nFolder = path.join(root, '.n8n');
		this.cliLog = path.join(root, 'n8n-cli.log');
	}

	/**
	 * @param {NodeJS.ProcessEnv} [extra]
	 * @returns {Promise<NodeJS.ProcessEnv>}
	 */
	async env(extra = {}) {
		return cleanEnv({
			...N8N_BASE_ENV,
			N8N_USER_FOLDER: this.root,
			// The task broker listens on a fixed port by default; parallel n8n processes need their own.
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			// Child processes n8n starts (task runners) must run on Node 24 too.
			PATH: `${this.n8n.binDir}${path.delimiter}${process.env.PATH}`,
			// n8n 1.x warns at every start unless task runners are switched on explicitly; 2.x always uses
			// them and warns about the variable instead.
			...(isN8n1(this.n8n) ? { N8N_RUNNERS_ENABLED: 'true' } : {}),
			...extra,
		});
	}

	/**
	 * Runs `n8n <args>` to completion; its output is also appended to n8n-cli.log in the user folder.
	 * @param {string[]} args
	 * @param {{ allowFailure?: boolean, timeoutMs?: number, env?: NodeJS.ProcessEnv, onSpawn?: OnSpawn }} [options]
	 * @returns {Promise<RunResult>}
	 */
	async cli(args, { allowFailure = false, timeoutMs = 10 * 60_000, env = {}, onSpawn } = {}) {
		return run(this.n8n.nodeBin, [this.n8n.n8nEntry, ...args], {
			cwd: this.root,
			env: await this.env(env),
			logFile: this.cliLog,
			allowFailure,
			timeoutMs,
			onSpawn,
		});
	}

	/**
	 * Installs a package tarball into .n8n/nodes the way n8n's community-package installer does:
	 * unpack into nodes/node_modules/<name>, drop dev/peer/optional dependencies from its package.json,
	 * npm install inside it with n8n's flags, and record it in nodes/package.json.
	 * @param {string} tarball
	 */
	async installCommunityPackage(tarball) {
		const nodesDir = path.join(this.n8nFolder, 'nodes');
		const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		// Like n8n, replace an installed version wholesale rather than unpacking over it.
		await fs.rm(packageDir, { recursive: true, force: true });
		await fs.mkdir(packageDir, { recursive: true });
		await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
		const manifestPath = path.join(packageDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
			await fs.readFile(manifestPath, 'utf8'),
		);
		await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 2));
		await run('npm', N8N_INSTALLER_NPM_FLAGS, { cwd: packageDir, logFile: this.cliLog });
		await fs.writeFile(
			path.join(nodesDir, 'package.json'),
			JSON.stringify(
				{
					name: 'installed-nodes',
					private: true,
					dependencies: { [PACKAGE_NAME]: manifest.version },
				},
				null,
				2,
			),
		);
	}

	/** Runs the database migrations (every CLI command does; this one changes nothing else). */
	async migrate() {
		await this.cli(['list:workflow']);
	}

	/**
	 * Imports credentials given in clear (n8n encrypts them on import). The clear-text file lives in
	 * its own private temp folder, never in the user folder, and is deleted right after the import.
	 * @param {{ id: string, name: string, type: string, data: Record<string, string> }[]} credentials
	 *   any credential type n8n knows, e.g. the package's own or an OpenAI credential
	 */
	async importCredentials(credentials) {
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'platformly-credentials-'));
		try {
			const file = path.join(dir, 'credentials.json');
			await fs.writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
			await this.cli(['import:credentials', `--input=${file}`]);
		} finally {
			await fs.rm(dir, { recursive: true, force: true });
		}
	}

	/** @param {Workflow[]} workflows */
	async importWorkflows(workflows) {
		const file = path.join(this.root, `workflows-${Date.now()}.json`);
		await fs.writeFile(file, JSON.stringify(workflows, null, 2));
		await this.cli(['import:workflow', `--input=${file}`]);
	}

	/**
	 * `n8n execute --id=… --rawOutput`: one n8n start-up per workflow. Returns the run (n8n's IRun: data,
	 * status, startedAt, …) as printed, and whether the command succeeded (it exits non-zero when the
	 * workflow fails, and then prints the run through its logger).
	 * @param {string} workflowId
	 * @param {{ onSpawn?: OnSpawn, env?: NodeJS.ProcessEnv }} [options]
	 * @returns {Promise<ExecuteResult>}
	 */
	async execute(workflowId, { onSpawn, env } = {}) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			allowFailure: true,
			onSpawn,
			env: withExitGrace(env),
		});
		const run = parseRunOutput(result.stdout);
		if (!run) {
			const tail = lastLines(`${result.stdout}\n${result.stderr}`, 20);
			throw new Error(
				`n8n execute --id=${workflowId} printed no run data (exit ${result.code}):\n${tail}\nFull log: ${this.cliLog}`,
			);
		}
		return { run, exitCode: result.code, durationMs: result.durationMs };
	}

	/**
	 * Runs several workflows side by side in one n8n start-up (`n8n execute-batch`, without its
	 * automatic retries), then returns what n8n stored for each: `{ [workflowId]: { id, status, run,
	 * storedRows } }`.
	 * @param {string[]} workflowIds
	 * @returns {Promise<{ executions: Record<string, CompleteExecution>, durationMs: number }>}
	 */
	async executeBatch(workflowIds) {
		const result = await this.cli(
			[
				'execute-batch',
				`--ids=${workflowIds.join(',')}`,
				'--retries=0',
				`--concurrency=${workflowIds.length}`,
				'--shortOutput',
			],
			{ allowFailure: true, env: withExitGrace() },
		);
		const stored = await this.storedExecutions(workflowIds);
		const missing = workflowIds.filter((id) => !stored[id]?.run?.data?.resultData);
		if (missing.length > 0) {
			const tail = lastLines(`${result.stdout}\n${result.stderr}`, 20);
			throw new Error(
				`n8n stored no complete execution for workflow(s) ${missing.join(', ')}:\n${tail}\nFull log: ${this.cliLog}`,
			);
		}
		// Each one has its run data: `missing` is empty.
		return {
			executions: /** @type {Record<string, CompleteExecution>} */ (stored),
			durationMs: result.durationMs,
		};
	}

	/**
	 * What n8n stored in its database for the latest execution of each workflow (see read-executions.cjs).
	 * @param {string[]} workflowIds
	 * @returns {Promise<Record<string, StoredExecution | null>>} null for a workflow without any execution
	 */
	async storedExecutions(workflowIds) {
		const entries = await this.#readExecutions('latest', workflowIds);
		return Object.fromEntries(
			entries.map(({ workflowId, executions }) => [workflowId, executions[0] ?? null]),
		);
	}

	/**
	 * Every execution n8n stored for one workflow, oldest first; it can be read while n8n runs.
	 * @param {string} workflowId
	 * @returns {Promise<StoredExecution[]>}
	 */
	async allExecutions(workflowId) {
		const [{ executions }] = await this.#readExecutions('all', [workflowId]);
		return executions;
	}

	/**
	 * Waits until n8n has stored `count` finished executions of the workflow, and returns them, oldest
	 * first; fails after `timeoutMs`, saying how many there were.
	 * @param {string} workflowId
	 * @param {number} count
	 * @param {number} [timeoutMs]
	 * @returns {Promise<StoredExecution[]>}
	 */
	async waitForExecutions(workflowId, count, timeoutMs = 60_000) {
		let finished = 0;
		try {
			return await waitFor(
				`${count} finished executions of workflow ${workflowId}`,
				async () => {
					const executions = (await this.allExecutions(workflowId)).filter(hasEnded);
					finished = executions.length;
					return finished >= count ? executions : undefined;
				},
				{ timeoutMs },
			);
		} catch (error) {
			throw new Error(`${error.message}; ${finished} had finished`);
		}
	}

	/**
	 * @param {'latest' | 'all'} which
	 * @param {string[]} workflowIds
	 * @returns {Promise<StoredExecutionEntry[]>}
	 */
	async #readExecutions(which, workflowIds) {
		const flatted = path.join(this.n8n.dir, 'node_modules', 'flatted');
		const { stdout } = await run(this.n8n.nodeBin, [
			'--no-warnings',
			READ_EXECUTIONS_SCRIPT,
			path.join(this.n8nFolder, 'database.sqlite'),
			flatted,
			which,
			...workflowIds,
		]);
		return JSON.parse(stdout);
	}

	/**
	 * Makes workflows active, so that `n8n start` registers their triggers' production webhooks:
	 * n8n 2.x publishes each one's current version (it has no "all" any more), 1.x sets it active.
	 * @param {string[]} workflowIds
	 */
	async activateWorkflows(workflowIds) {
		const activate = isN8n1(this.n8n) ? ['update:workflow', '--active=true'] : ['publish:workflow'];
		for (const id of workflowIds) await this.cli([...activate, `--id=${id}`]);
	}

	/**
	 * Every file n8n wrote for this user folder (database with its WAL, config, binary data, logs) plus
	 * what the CLI printed, as raw bytes. The installed package's own files are left out.
	 * @returns {Promise<{ file: string, bytes: Buffer }[]>}
	 */
	async storedFiles() {
		const nodesDir = path.join(this.n8nFolder, 'nodes');
		const files = [this.cliLog, ...(await listFiles(this.n8nFolder, (dir) => dir !== nodesDir))];
		return Promise.all(
			files.map(async (file) => ({
				file,
				bytes: await fs.readFile(file).catch(() => Buffer.alloc(0)),
			})),
		);
	}

	/**
	 * The stored files (see storedFiles) whose bytes contain `text`.
	 * @param {string} text
	 * @returns {Promise<string[]>}
	 */
	async filesContaining(text) {
		const needle = Buffer.from(text, 'utf8');
		return (await this.storedFiles())
			.filter(({ bytes }) => bytes.includes(needle))
			.map(({ file }) => file);
	}

	/**
	 * Starts `n8n start` (editor and API on `port`, a free one by default), its output on this
	 * console or, with `quiet`, appended to n8n-cli.log. Returns the child process, its `url`,
	 * `ready()` and `stop()`, which ends it with SIGTERM (n8n shuts down cleanly on it) and waits.
	 * `ready()` resolves once n8n has said it is up ("Editor is now accessible via", printed after
	 * its REST API, its webhooks and its active workflows are all set up) and its REST API answers:
	 * /healthz, and even /rest/settings, answer while other routes, such as the owner set-up, are
	 * not there yet.
	 * @param {{ port?: number, env?: NodeJS.ProcessEnv, quiet?: boolean }} [options]
	 * @returns {Promise<N8nServer>}
	 */
	async start({ port, env = {}, quiet = false } = {}) {
		const listenOn = port ?? (await freePort());
		const log = quiet ? createWriteStream(this.cliLog, { flags: 'a' }) : undefined;
		const child = spawn(this.n8n.nodeBin, [this.n8n.n8nEntry, 'start'], {
			cwd: this.root,
			env: await this.env({ N8N_PORT: String(listenOn), ...env }),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let announced = false;
		let recent = '';
		/** @param {NodeJS.WriteStream} console */
		const forward = (console) => (/** @type {Buffer} */ chunk) => {
			(log ?? console).write(chunk);
			// The line may come in two chunks: keep the end of the last one.
			recent = (recent + chunk.toString('utf8')).slice(-200);
			if (recent.includes(STARTED_LINE)) announced = true;
		};
		child.stdout.on('data', forward(process.stdout));
		child.stderr.on('data', forward(process.stderr));
		/** @type {Promise<ProcessExit>} */
		const exited = new Promise((resolve) =>
			child.once('exit', (code, signal) => resolve({ code, signal })),
		);
		exited.then(() => log?.end());
		const url = `http://localhost:${listenOn}`;
		const stop = async () => {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			return exited;
		};
		const ready = async () => {
			await waitFor(
				`n8n to finish starting on ${url}`,
				async () => {
					if (child.exitCode !== null || child.signalCode !== null) {
						throw new Error(
							`n8n exited during start-up (see ${quiet ? this.cliLog : 'its output above'})`,
						);
					}
					return (announced && (await restApiAnswers(url))) || undefined;
				},
				{ timeoutMs: START_TIMEOUT_MS, intervalMs: 500 },
			);
		};
		return { child, url, exited, ready, stop };
	}

	/**
	 * Runs `steps`; returns this folder, or removes it and rethrows if a step failed.
	 * @param {() => Promise<unknown>} steps
	 * @returns {Promise<this>}
	 */
	async removedOnFailure(steps) {
		try {
			await steps();
			return this;
		} catch (error) {
			await this.remove();
			throw error;
		}
	}

	async remove() {
		await fs.rm(this.root, { recursive: true, force: true });
	}
}

/**
 * POSTs to a production webhook URL, again every 250 ms while n8n answers 404. n8n serves requests
 * before it has registered the active workflows' webhooks (one workflow at a time; measured on
 * 2.40.7, a webhook answered about 13 s after start), and a 404 starts nothing, so posting again
 * cannot start a workflow twice.
 * @param {string} url
 * @param {RequestInit} init the request, but for its method
 * @returns {Promise<Response>} n8n's first answer that is not 404
 */
export function postToWebhook(url, init) {
	return waitFor(
		`n8n to register a webhook at ${url}`,
		async () => {
			const response = await fetch(url, { ...init, method: 'POST' }).catch(() => undefined);
			if (response && response.status !== 404) return response;
			await response?.body?.cancel();
			return undefined;
		},
		{ timeoutMs: 60_000 },
	);
}

/**
 * Waits until n8n has registered a Platformly Trigger at each URL. n8n answers OPTIONS with 204 on
 * any path once up (measured on 2.40.7), so a CORS preflight does not say a webhook is there. The
 * probe is a POST the trigger refuses, text/plain (415, or 401/403 where a secret is set), which
 * starts nothing.
 * @param {string[]} urls Platformly Trigger production URLs
 */
export async function waitForWebhooks(urls) {
	for (const url of urls) {
		const probe = { headers: { 'content-type': 'text/plain' }, body: 'probe' };
		await (await postToWebhook(url, probe)).body?.cancel();
	}
}

/**
 * Whether n8n's REST API answers /rest/settings. It does before every route is there (see
 * N8nUserFolder#start): ask only once n8n has printed STARTED_LINE.
 * @param {string} url
 * @returns {Promise<boolean>}
 */
export function restApiAnswers(url) {
	return fetch(`${url}/rest/settings`).then(
		(response) => response.ok,
		() => false,
	);
}

/**
 * @param {N8nInstall} n8n
 */
export function isN8n1(n8n) {
	return n8n.version.startsWith('1.');
}

/**
 * Whether n8n has stored the end of an execution: its stop time and its final run data. n8n 1.x on
 * sqlite writes the two in separate statements, the stop time first (ExecutionRepository
 * .updateExistingExecution without a pool), so between them the stored run data is still the one
 * the execution started with: neither a last node executed nor an error.
 * @param {StoredExecution} execution
 */
function hasEnded({ run }) {
	if (!run?.stoppedAt) return false;
	const { lastNodeExecuted, error } = run.data.resultData;
	return lastNodeExecuted !== undefined || error !== undefined;
}

/**
 * Adds the exit-grace preload to the environment of an n8n command that ends with process.exit.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {NodeJS.ProcessEnv}
 */
function withExitGrace(env = {}) {
	return {
		...env,
		NODE_OPTIONS: [`--require=${EXIT_GRACE_SCRIPT}`, env.NODE_OPTIONS].filter(Boolean).join(' '),
	};
}

/**
 * Finds the run JSON in `n8n execute` output: log lines come first, then the run printed with
 * JSON.stringify(…, null, 2), i.e. from a line "{" to the next line "}".
 * @param {string} stdout
 * @returns {N8nRun | undefined}
 */
function parseRunOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line === '{');
	if (start === -1) return undefined;
	const end = lines.indexOf('}', start);
	if (end === -1) return undefined;
	return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

/**
 * Every file under `dir`, descending only into the folders `includeDir` accepts.
 * @param {string} dir
 * @param {(dir: string) => boolean} includeDir
 * @returns {Promise<string[]>}
 */
async function listFiles(dir, includeDir) {
	const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
	const nested = await Promise.all(
		entries.map(async (entry) => {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) return includeDir(full) ? listFiles(full, includeDir) : [];
			return entry.isFile() ? [full] : [];
		}),
	);
	return nested.flat();
}

/**
 * A port the OS says is free on the loopback now (listening on port 0).
 * @returns {Promise<number>}
 */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			// Listening on TCP, the address is an AddressInfo (a string only for a pipe or socket file).
			const { port } = /** @type {net.AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}
