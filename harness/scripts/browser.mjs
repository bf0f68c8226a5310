#!/usr/bin/env node
// @ts-check
// `npm run test:browser`: the node in n8n's editor, driven in Debian's Chromium. Installs n8n and
// the packed package, starts the sandbox and `n8n start` with a credential pointing at it, signs
// Chromium in as the instance's owner, then runs test/browser/*.test.mjs (node's test runner, in
// this process, so the tests share the browser and see the sandbox's records). Everything started
// is stopped after the last test, also when one fails or the run is interrupted.
//
//   BROWSER_N8N_VERSION=2.41.1    which n8n (default 2.41.1; only 2.x's editor is covered)
//   PLATFORMLY_TARBALL=<file>     test this tarball instead of building and packing the repo
//
// Screenshots of each step go to test-results/browser/; the README's pictures to docs/images/.
import fs from 'node:fs/promises';
import path from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ARTIFACTS_DIR, setBrowserSession } from '../../test/browser/session.mjs';
import { launchChromium, ensureChromium } from '../browser/chromium.mjs';
import { oneN8nVersion, REPO_ROOT } from '../n8n/config.mjs';
import { startEditor } from '../n8n/editor.mjs';
import { loadExampleWorkflow } from '../n8n/examples.mjs';
import { ensureN8n } from '../n8n/install.mjs';
import { prepareUserFolder } from '../n8n/instance.mjs';
import { buildAndPack } from '../n8n/package-tarball.mjs';
import { runCleanups, stopOnInterrupt } from '../proc.mjs';
import { formatDuration, phase, say } from '../progress.mjs';
import { randomApiKey, startSandbox } from '../stand-ins/sandbox.mjs';
import { sandboxCredential } from '../n8n/workflows.mjs';
import { testFilesIn } from './test-files.mjs';

/** @typedef {import('../proc.mjs').Cleanup} Cleanup */

const TEST_DIR = path.join(REPO_ROOT, 'test', 'browser');
// The README's pictures are taken at this size; the node panel then shows at its default width.
const VIEWPORT = { width: 1440, height: 900 };

/**
 * Starts everything the tests need and hands it to them; returns the clean-up steps.
 * @param {string} version
 * @param {Cleanup[]} cleanups filled as things start, so a failure half-way stops what did start
 */
async function setUp(version, cleanups) {
	await ensureChromium();
	const n8n = await ensureN8n(version);
	const { tarball, cleanup } = await buildAndPack();
	cleanups.push(cleanup);
	const instance = await phase('Preparing an n8n user folder with the package', () =>
		prepareUserFolder(n8n, tarball, 'browser'),
	);
	cleanups.push(() => instance.remove());

	const apiKey = randomApiKey();
	const sandbox = await startSandbox({ apiKey });
	cleanups.push(() => sandbox.close());
	// The example workflows' credential, so that they open in the editor as they are.
	const { credentialRef } = await loadExampleWorkflow();
	const credential = sandboxCredential(sandbox, credentialRef);
	const editor = await phase(`Starting n8n ${version} with the editor`, () =>
		startEditor(instance, [credential], cleanups),
	);

	const chromium = await phase('Launching Chromium', () => launchChromium({ viewport: VIEWPORT }));
	cleanups.push(() => chromium.close());
	await signIn(chromium.context, editor);

	await fs.rm(ARTIFACTS_DIR, { recursive: true, force: true });
	await fs.mkdir(ARTIFACTS_DIR, { recursive: true });
	setBrowserSession({
		context: chromium.context,
		editor,
		sandbox,
		credential,
		n8nVersion: version,
	});
}

/**
 * Gives the browser the owner's session from the REST sign-in. n8n accepts the cookie only from
 * the browser it was issued to, which its editor names by the `n8n-browserId` it keeps in local
 * storage; the page gets the same id before n8n's scripts run.
 * @param {import('playwright-core').BrowserContext} context
 * @param {import('../n8n/editor.mjs').EditorSession} editor
 */
async function signIn(context, editor) {
	const cookies = editor.headers.cookie.split('; ').map((pair) => {
		const at = pair.indexOf('=');
		return { name: pair.slice(0, at), value: pair.slice(at + 1), url: editor.url };
	});
	await context.addCookies(cookies);
	const browserId = JSON.stringify(editor.headers['browser-id']);
	await context.addInitScript({ content: `localStorage.setItem('n8n-browserId', ${browserId});` });
}

async function main() {
	const started = Date.now();
	const version = await oneN8nVersion('BROWSER_N8N_VERSION');
	if (!version.startsWith('2.')) {
		throw new Error(`BROWSER_N8N_VERSION: give a 2.x version (the editor the tests know)`);
	}
	const files = await testFilesIn(TEST_DIR);
	/** @type {Cleanup[]} */
	const cleanups = [];
	const stop = () =>
		phase('Stopping Chromium, n8n and the sandbox', () => runCleanups(cleanups)).then(() =>
			say(`Browser tests: ${formatDuration(Date.now() - started)} in all`),
		);
	stopOnInterrupt(stop);
	try {
		await setUp(version, cleanups);
	} catch (error) {
		await stop();
		throw error;
	}
	// Runs once the test runner has finished every test of every file, failed ones included.
	after(stop);
	say(`▶ Running ${files.length} browser test file(s) in n8n ${version}`);
	for (const file of files) await import(pathToFileURL(file).href);
}

main().catch((error) => {
	say(`\nBrowser run could not complete: ${error.stack ?? error.message}`);
	process.exitCode = 1;
});
