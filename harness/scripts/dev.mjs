#!/usr/bin/env node
// @ts-check
// `npm run dev`: the n8n editor with this package installed, a Platformly credential pointing at the
// local sandbox and the example workflows, until Ctrl-C.
//   PLATFORMLY_N8N_VERSION   n8n to run (default 2.41.1; 1.123.x for the last 1.x, or any version)
//   PLATFORMLY_N8N_PORT      editor port (default 5678)
//   PLATFORMLY_SANDBOX_PORT  sandbox port (default 4010; fixed so the credential stays valid)
// The n8n user folder is kept between runs (workflows you build survive a restart); the package is
// rebuilt and reinstalled and the credential re-imported at every start.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { cacheDir } from '../n8n/config.mjs';
import { chosenN8nVersion, loadExampleWorkflows } from '../n8n/examples.mjs';
import { ensureN8n } from '../n8n/install.mjs';
import { isN8n1, openUserFolder } from '../n8n/instance.mjs';
import { buildAndPack } from '../n8n/package-tarball.mjs';
import { phase, runScript, say } from '../progress.mjs';
import { startSandbox } from '../stand-ins/sandbox.mjs';
import { sandboxCredential } from '../n8n/workflows.mjs';

const N8N_PORT = Number(process.env.PLATFORMLY_N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.PLATFORMLY_SANDBOX_PORT ?? 4010);
// A local, throw-away instance: the owner login is printed on purpose.
const DEV_OWNER = {
	email: 'dev@example.com',
	password: 'Platformly-dev-1',
	firstName: 'Dev',
	lastName: 'Owner',
};
const EXAMPLE_IMPORTED_MARKER = '.platformly-example-imported';
// After Ctrl-C n8n got the terminal's SIGINT too; give it this long before sending SIGTERM ourselves.
const OWN_SIGINT_GRACE_MS = 2_000;

/**
 * @typedef {import('../n8n/install.mjs').N8nInstall} N8nInstall
 * @typedef {import('../n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../n8n/instance.mjs').N8nServer} N8nServer
 * @typedef {import('../stand-ins/sandbox.mjs').Sandbox} Sandbox
 */

async function main() {
	const n8n = await ensureN8n(await chosenN8nVersion());
	const sandbox = await startSandbox({ port: SANDBOX_PORT }).catch((error) => {
		if (error.code === 'EADDRINUSE')
			throw new Error(`port ${SANDBOX_PORT} is taken; set PLATFORMLY_SANDBOX_PORT to a free one`);
		throw error;
	});
	/** @type {N8nServer | undefined} */
	let server;
	try {
		const instance = await prepareDevUserFolder(n8n, sandbox);
		say(`▶ Starting n8n ${n8n.version} (user folder ${instance.root})`);
		// At the harness's info log level: n8n prints the line that ready() waits for ("Editor is now
		// accessible via") through its logger at info level, so a quieter level never gets ready.
		// Listening before n8n starts: a Ctrl-C while it starts must stop it too, not leave it running.
		const stopRequested = onceStopRequested();
		server = await instance.start({ port: N8N_PORT, env: ownerEnv(n8n) });
		const ready = await Promise.race([server.ready().then(() => true), stopRequested]);
		if (ready === true) {
			printBanner(n8n, sandbox);
			const stopWatching = reportFiredEvents(sandbox);
			const outcome = await Promise.race([server.exited.then((exit) => ({ exit })), stopRequested]);
			stopWatching();
			if (outcome.exit)
				throw new Error(
					`n8n stopped by itself (${outcome.exit.signal ?? `exit code ${outcome.exit.code}`})`,
				);
		}
		say('\nStopping n8n and the sandbox…');
		await stopGently(server);
	} finally {
		await server?.stop();
		await sandbox.close();
	}
	say('Stopped.');
}

/**
 * @param {N8nInstall} n8n
 * @param {Sandbox} sandbox
 * @returns {Promise<N8nUserFolder>}
 */
async function prepareDevUserFolder(n8n, sandbox) {
	const instance = await openUserFolder(n8n, path.join(cacheDir(), `dev-n8n-${n8n.version}`));
	const examples = Object.values(await loadExampleWorkflows());
	const { tarball, cleanup } = await buildAndPack();
	try {
		await phase('Installing the package and importing the sandbox credential', async () => {
			await instance.installCommunityPackage(tarball);
			await instance.importCredentials([sandboxCredential(sandbox, examples[0].credentialRef)]);
		});
	} finally {
		await cleanup();
	}
	// Each example only once: later runs must not overwrite changes made to it in the editor.
	const marker = path.join(instance.root, EXAMPLE_IMPORTED_MARKER);
	const imported = (await fs.readFile(marker, 'utf8').catch(() => '')).split('\n').filter(Boolean);
	const missing = examples.filter(({ workflow }) => !imported.includes(workflow.id));
	if (missing.length > 0) {
		await phase('Importing the example workflows', () =>
			instance.importWorkflows(missing.map(({ workflow }) => workflow)),
		);
		await fs.writeFile(
			marker,
			[...imported, ...missing.map(({ workflow }) => workflow.id)].join('\n'),
		);
	}
	return instance;
}

/**
 * n8n 2.x can create its owner account from the environment (N8N_INSTANCE_OWNER_MANAGED_BY_ENV with
 * a bcrypt hash), which skips the set-up form. 1.x has no such setting: the form is filled once.
 * @param {N8nInstall} n8n
 * @returns {NodeJS.ProcessEnv}
 */
function ownerEnv(n8n) {
	if (isN8n1(n8n)) return {};
	/** @type {{ hashSync: (password: string, rounds: number) => string }} the part of n8n's bcryptjs used here */
	const bcrypt = createRequire(path.join(n8n.dir, 'package.json'))('bcryptjs');
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: DEV_OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: DEV_OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: DEV_OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(DEV_OWNER.password, 10),
	};
}

/**
 * @param {N8nInstall} n8n
 * @param {Sandbox} sandbox
 */
function printBanner(n8n, sandbox) {
	const login = isN8n1(n8n)
		? 'On first open n8n asks to set up an owner account: enter any name, email and password (it stays in the local dev folder).'
		: `Sign in as ${DEV_OWNER.email} / ${DEV_OWNER.password} (a local owner account created from the environment).`;
	say(
		[
			'',
			`n8n ${n8n.version} editor: http://localhost:${N8N_PORT}`,
			`  ${login}`,
			'  Open one of the example workflows (names starting "Platformly:") and click "Execute workflow".',
			`  Credential "Platformly account" points at the sandbox ${sandbox.url} (public sandbox key ${sandbox.apiKey}).`,
			`  Fired events are listed below as the sandbox records them (also at ${sandbox.url}/__sandbox/fired).`,
			'Press Ctrl-C to stop n8n and the sandbox.',
			'',
		].join('\n'),
	);
}

/**
 * Prints each event the sandbox fires, about a second after it did.
 * @param {Sandbox} sandbox
 * @returns {() => void} stops it
 */
function reportFiredEvents(sandbox) {
	let reported = 0;
	const timer = setInterval(() => {
		const fired = sandbox.fired();
		for (const event of fired.slice(reported)) {
			say(
				`[sandbox] fired event ${event.event} for ${event.email} (contact ${event.contactId})${event.options ? ` options ${JSON.stringify(event.options)}` : ''}`,
			);
		}
		reported = fired.length;
	}, 1_000);
	return () => clearInterval(timer);
}

/**
 * Resolves at the first Ctrl-C or SIGTERM. The handlers stay installed: a second Ctrl-C while n8n
 * shuts down must not kill this process and leave n8n running without it.
 * @returns {Promise<{ signal: NodeJS.Signals, exit?: undefined }>}
 */
function onceStopRequested() {
	return new Promise((resolve) => {
		let requested = false;
		for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
			process.on(signal, () => {
				if (requested) say('Still stopping…');
				requested = true;
				resolve({ signal });
			});
		}
	});
}

/** @param {N8nServer} server */
async function stopGently(server) {
	const exitedByItself = await Promise.race([
		server.exited.then(() => true),
		new Promise((resolve) => setTimeout(resolve, OWN_SIGINT_GRACE_MS, false)),
	]);
	if (!exitedByItself) await server.stop();
}

runScript(main, 'Dev environment failed');
