#!/usr/bin/env node
// @ts-check
// `npm run test:e2e`: the end-to-end suite (test/e2e/*.test.mjs, node's test runner) in real n8n,
// once per n8n version, against the local Platformly sandbox.
//
//   E2E_N8N_VERSIONS=2.41.1,1.123.x   which n8n versions (default: both; aliases 2.x, 1.123.x, 1.x;
//                                     latest and next are looked up on the npm registry)
//   PLATFORMLY_TARBALL=<file>         test this tarball instead of building and packing the repo
//   PLATFORMLY_E2E_KEEP=1             keep the n8n user folders (their paths are printed)
//   extra arguments                   test files to run instead of all, and/or node --test options
//                                     (e.g. --test-name-pattern="keypair")
import path from 'node:path';
import { E2E_ENV, REPO_ROOT, resolveN8nVersions } from '../n8n/config.mjs';
import { ensureN8n } from '../n8n/install.mjs';
import { prepareUserFolder } from '../n8n/instance.mjs';
import { buildAndPack } from '../n8n/package-tarball.mjs';
import { runCleanups } from '../proc.mjs';
import { formatDuration, phase, runScript, say } from '../progress.mjs';
import { selectTests, startNodeTest } from './test-files.mjs';

const TEST_DIR = path.join(REPO_ROOT, 'test', 'e2e');
// Two test files at a time: n8n start-ups are CPU-bound, but a file also waits on timeouts it provokes.
const FILE_CONCURRENCY = 2;

/** @typedef {import('../n8n/install.mjs').N8nInstall} N8nInstall */

/** @returns {Promise<number>} the exit code */
async function main() {
	const started = Date.now();
	const versions = await resolveN8nVersions(process.env.E2E_N8N_VERSIONS);
	const { files, testRunnerOptions } = await selectTests(process.argv.slice(2), TEST_DIR);
	say(`E2E: n8n ${versions.join(' and ')}; ${files.length} test file(s)`);

	/** @type {N8nInstall[]} */
	const installs = [];
	for (const version of versions) installs.push(await ensureN8n(version));
	const { tarball, cleanup } = await buildAndPack();
	const cleanups = [cleanup];
	const outcomes = [];
	try {
		// Installing the package and migrating the database once per version; each test file copies the result.
		const templates = await phase(
			`Preparing an n8n user folder with the package for n8n ${versions.join(', ')}`,
			() =>
				Promise.all(
					installs.map((n8n) => prepareUserFolder(n8n, tarball, `e2e-template-${n8n.version}`)),
				),
		);
		for (const template of templates) cleanups.push(() => template.remove());

		for (const template of templates) {
			const version = template.n8n.version;
			say(`\n══════ n8n ${version} ══════`);
			const versionStarted = Date.now();
			const { exited } = startNodeTest(
				files,
				testRunnerOptions,
				{ [E2E_ENV.version]: version, [E2E_ENV.template]: template.root },
				FILE_CONCURRENCY,
			);
			const code = await exited;
			outcomes.push({ version, passed: code === 0, durationMs: Date.now() - versionStarted });
		}
	} finally {
		await runCleanups(cleanups);
	}

	say('\nE2E summary');
	for (const { version, passed, durationMs } of outcomes) {
		say(`  n8n ${version}: ${passed ? 'passed' : 'FAILED'} (${formatDuration(durationMs)})`);
	}
	say(`  total ${formatDuration(Date.now() - started)}`);
	return outcomes.every(({ passed }) => passed) ? 0 : 1;
}

runScript(main, 'E2E run could not complete');
