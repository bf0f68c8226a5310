// @ts-check
// Installs what the harness runs: Debian packages it needs (Chromium, Postgres, Redis) with apt-get,
// and a pinned n8n and Node 24 once, into a cache outside the package:
//   <cache>/node24/                Node 24 from the npm registry's `node` package
//   <cache>/n8n-<version>/         a host package.json pinning n8n, with the xlsx override
// A completion marker is written only after every step succeeded, so an interrupted install is
// redone on the next run; a lock folder keeps two runs from installing into the same place at once.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cacheDir, NODE24_VERSION, XLSX_OVERRIDE } from './config.mjs';
import { phase, say, formatDuration } from '../progress.mjs';
import { cleanEnv, run } from '../proc.mjs';

const MARKER = '.platformly-harness-install-complete';
// An install takes about 5 minutes on a 2-core machine; past this, npm is stuck rather than slow.
const INSTALL_TIMEOUT_MS = 30 * 60_000;
const LOCK_POLL_MS = 2_000;
// A lock folder whose owner file is not written yet is only "fresh" for this long.
const LOCK_CREATION_GRACE_MS = 15_000;

/**
 * A ready n8n, as ensureN8n() returns it.
 * @typedef {object} N8nInstall
 * @property {string} version the exact version, e.g. 2.40.7
 * @property {string} dir the folder it is installed in (its node_modules/n8n)
 * @property {string} nodeBin the Node 24 binary that runs it
 * @property {string} n8nEntry n8n's CLI script
 * @property {string} binDir the folder of nodeBin, to put first on the PATH
 *
 * What an install lock's owner.json holds.
 * @typedef {object} LockOwner
 * @property {number} pid
 * @property {string} what
 * @property {string} since ISO time
 */

const APT_TIMEOUT_MS = 10 * 60_000;
/** @type {Promise<unknown> | undefined} */
let aptUpdated;

/**
 * Installs a Debian package with apt-get (as root) when `binary` is missing, `apt-get update`
 * first, once a run.
 * @param {string} binary
 * @param {string} debianPackage
 */
export async function ensureDebianPackage(binary, debianPackage) {
	if (await isExecutable(binary)) return;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${binary} is missing; install Debian's ${debianPackage} (apt-get install ${debianPackage}) as root`,
		);
	}
	const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
	const logFile = path.join(os.tmpdir(), `platformly-apt-${debianPackage}.log`);
	await phase(
		`Installing ${debianPackage} with apt-get (log: ${logFile})`,
		async () => {
			aptUpdated ??= run('apt-get', ['update'], { env, logFile, timeoutMs: APT_TIMEOUT_MS });
			await aptUpdated;
			await run('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], {
				env,
				logFile,
				timeoutMs: APT_TIMEOUT_MS,
			});
		},
		{ heartbeat: true },
	);
	if (!(await isExecutable(binary))) {
		throw new Error(`apt-get installed ${debianPackage}, but ${binary} is still missing`);
	}
}

/**
 * @param {string} file
 * @returns {Promise<boolean>}
 */
function isExecutable(file) {
	return fs.access(file, fs.constants.X_OK).then(
		() => true,
		() => false,
	);
}

/**
 * Returns the Node 24 binary, installing it first if needed.
 * @returns {Promise<string>}
 */
async function ensureNode24() {
	const dir = path.join(cacheDir(), 'node24');
	const nodeBin = path.join(dir, 'node_modules', 'node', 'bin', 'node');
	const wanted = `node@${NODE24_VERSION}`;
	await installOnce(dir, wanted, async (logFile) => {
		await writeJson(path.join(dir, 'package.json'), {
			name: 'platformly-harness-node24',
			private: true,
			dependencies: { node: NODE24_VERSION },
		});
		// The `node` package fetches the platform binary from its own install script, so scripts must run.
		await phase(`Installing Node ${NODE24_VERSION} from the npm registry (log: ${logFile})`, () =>
			run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts=false'], {
				cwd: dir,
				logFile,
			}),
		);
		await verify(nodeBin, ['--version'], `v${NODE24_VERSION}`, logFile);
	});
	return nodeBin;
}

/**
 * Returns `{ version, dir, nodeBin, n8nEntry, binDir }` for a ready n8n, installing it first if needed
 * (about 3 minutes and 2.8 GB the first time).
 * @param {string} version exact
 * @returns {Promise<N8nInstall>}
 */
export async function ensureN8n(version) {
	const nodeBin = await ensureNode24();
	const dir = path.join(cacheDir(), `n8n-${version}`);
	const n8nEntry = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	await installOnce(dir, `n8n@${version}`, async (logFile) => {
		await writeJson(path.join(dir, 'package.json'), {
			name: `platformly-harness-n8n-${version}`,
			private: true,
			dependencies: { n8n: version },
			overrides: { xlsx: XLSX_OVERRIDE },
		});
		// Scripts are ignored because several optional native modules (Kafka client, isolated-vm, …)
		// fail to build without their toolchains; sqlite3, which n8n's default database needs, is
		// rebuilt on its own below.
		await phase(
			`Installing n8n ${version} (about 3 minutes and 2.8 GB the first time; npm log: ${logFile})`,
			() =>
				run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
					cwd: dir,
					logFile,
					timeoutMs: INSTALL_TIMEOUT_MS,
				}).catch((error) => {
					throw new Error(installFailure(version, error, logFile));
				}),
			{ heartbeat: true, watchDir: dir },
		);
		await phase(
			'Building sqlite3 for n8n (about 1 minute)',
			() => run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: dir, logFile }),
			{ heartbeat: true },
		);
		await verify(
			nodeBin,
			['-e', `require(${JSON.stringify(path.join(dir, 'node_modules', 'sqlite3'))})`],
			undefined,
			logFile,
		);
		await verify(nodeBin, [n8nEntry, '--version'], version, logFile);
	});
	return { version, dir, nodeBin, n8nEntry, binDir: path.dirname(nodeBin) };
}

/**
 * Why n8n could not be installed, in one line: npm's own reason when the registry lacks a package
 * n8n pins (as for 2.41.3 from the npm registry in December 2026), else the error's first line.
 * @param {string} version
 * @param {Error} error
 * @param {string} logFile
 */
function installFailure(version, error, logFile) {
	const missing = /No matching version found for (\S+?)\.?\s/.exec(error.message)?.[1];
	const reason = missing
		? `the npm registry has no ${missing}, which it pins`
		: error.message.split('\n')[0];
	return `n8n ${version} cannot be installed: ${reason} (npm log: ${logFile})`;
}

/**
 * Fails unless the command exits 0 and, when `expectedOutput` is given, prints it.
 * @param {string} command
 * @param {string[]} args
 * @param {string | undefined} expectedOutput
 * @param {string} logFile
 */
async function verify(command, args, expectedOutput, logFile) {
	const { stdout } = await run(command, args, { logFile });
	if (expectedOutput !== undefined && !stdout.includes(expectedOutput)) {
		throw new Error(
			`\`${command} ${args.join(' ')}\` printed "${stdout.trim()}", expected "${expectedOutput}" (log: ${logFile})`,
		);
	}
}

/**
 * @param {string} dir
 * @param {string} what what is installed, e.g. n8n@2.40.7; the completion marker holds it
 * @param {(logFile: string) => Promise<void>} install
 */
async function installOnce(dir, what, install) {
	const marker = path.join(dir, MARKER);
	if ((await readText(marker)) === what) return;
	await fs.mkdir(dir, { recursive: true });
	const release = await acquireLock(`${dir}.lock`, what);
	try {
		// Another run may have finished the install while this one waited for the lock.
		if ((await readText(marker)) === what) return;
		await fs.rm(marker, { force: true });
		const logFile = path.join(dir, 'install.log');
		await fs.appendFile(logFile, `\n===== ${new Date().toISOString()} installing ${what} =====\n`);
		await install(logFile);
		await fs.writeFile(marker, what);
	} finally {
		await release();
	}
}

/**
 * @param {string} lockDir
 * @param {string} what
 * @returns {Promise<() => Promise<void>>} releases the lock
 */
async function acquireLock(lockDir, what) {
	const ownerFile = path.join(lockDir, 'owner.json');
	const waitStarted = Date.now();
	let lastNotice = 0;
	for (;;) {
		try {
			await fs.mkdir(lockDir);
			await writeJson(ownerFile, { pid: process.pid, what, since: new Date().toISOString() });
			return () => fs.rm(lockDir, { recursive: true, force: true });
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
		}
		const owner = /** @type {LockOwner | undefined} */ (await readJson(ownerFile));
		if (await isStaleLock(lockDir, owner)) {
			say(`Removing a stale install lock left by process ${owner?.pid ?? '(unknown)'}: ${lockDir}`);
			await fs.rm(lockDir, { recursive: true, force: true });
			continue;
		}
		if (Date.now() - lastNotice > 30_000) {
			lastNotice = Date.now();
			say(
				`Waiting for another run (pid ${owner?.pid}) to finish installing ${what} (${formatDuration(Date.now() - waitStarted)} so far)…`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
	}
}

/**
 * @param {string} lockDir
 * @param {LockOwner | undefined} owner undefined while the owner file is not written yet
 * @returns {Promise<boolean>}
 */
async function isStaleLock(lockDir, owner) {
	if (!owner) {
		const stat = await fs.stat(lockDir).catch(() => undefined);
		return !stat || Date.now() - stat.mtimeMs > LOCK_CREATION_GRACE_MS;
	}
	try {
		process.kill(owner.pid, 0);
		return false;
	} catch (error) {
		return error.code === 'ESRCH';
	}
}

/**
 * @param {string} file
 * @returns {Promise<string | undefined>} undefined when it cannot be read
 */
async function readText(file) {
	return fs.readFile(file, 'utf8').catch(() => undefined);
}

/**
 * @param {string} file
 * @returns {Promise<unknown>} undefined when it cannot be read or parsed
 */
async function readJson(file) {
	const text = await readText(file);
	try {
		return text === undefined ? undefined : JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * @param {string} file
 * @param {unknown} value
 */
async function writeJson(file, value) {
	await fs.writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
