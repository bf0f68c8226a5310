#!/usr/bin/env node
// @ts-check
// `npm run test:queue`: real n8n (2.41.1) in queue mode (a main process and two workers on Postgres
// and Redis) against the local Platformly sandbox, the tests in test/queue/*.test.mjs (node's test
// runner). Postgres and Redis are started once, throwaway, on free loopback ports (and installed with
// apt-get when missing); each test file starts the n8n processes it needs on a database of its own.
//
//   QUEUE_N8N_VERSION=<version>  which n8n (default 2.41.1)
//   PLATFORMLY_TARBALL=<file>    test this tarball instead of building and packing the repo
//   PLATFORMLY_QUEUE_KEEP=1      keep the n8n user folders (their paths are printed)
//   extra arguments              test files to run instead of all, and/or node --test options
import path from 'node:path';
import { oneN8nVersion, REPO_ROOT } from '../n8n/config.mjs';
import { ensureN8n } from '../n8n/install.mjs';
import { formatDuration, runScript, say } from '../progress.mjs';
import { QUEUE_ENV, startSharedServices } from '../queue/n8n.mjs';
import { stopOnInterrupt, withTimeout } from '../proc.mjs';
import { selectTests, startNodeTest } from './test-files.mjs';

const TEST_DIR = path.join(REPO_ROOT, 'test', 'queue');
// After a Ctrl-C the test files stop their own n8n processes; this bounds waiting for them.
const TEST_STOP_MS = 60_000;

/** @returns {Promise<number>} the exit code */
async function main() {
	const started = Date.now();
	const { files, testRunnerOptions } = await selectTests(process.argv.slice(2), TEST_DIR);
	const version = await oneN8nVersion('QUEUE_N8N_VERSION');
	say(`Queue mode: n8n ${version}, ${files.length} test file(s)`);
	const n8n = await ensureN8n(version);
	const shared = await startSharedServices(n8n);
	let code = 1;
	try {
		const testsStarted = Date.now();
		code = await runNodeTest(files, testRunnerOptions, {
			[QUEUE_ENV.services]: JSON.stringify(shared.services),
			[QUEUE_ENV.template]: shared.template,
			[QUEUE_ENV.version]: n8n.version,
		});
		say(
			`\nQueue tests ${code === 0 ? 'passed' : 'FAILED'} (${formatDuration(Date.now() - testsStarted)})`,
		);
	} finally {
		await shared.stop();
	}
	say(`Total ${formatDuration(Date.now() - started)}`);
	return code;
}

/**
 * Runs the files one at a time: each starts three n8n processes, and the machine has two cores.
 * A Ctrl-C reaches the test processes from the terminal too; they stop their n8n processes, and
 * this waits for them (bounded) before stopping Postgres and Redis.
 * @param {string[]} files
 * @param {string[]} testRunnerOptions
 * @param {NodeJS.ProcessEnv} env added to this process's environment
 * @returns {Promise<number>} node --test's exit code
 */
async function runNodeTest(files, testRunnerOptions, env) {
	const { child, exited } = startNodeTest(files, testRunnerOptions, env, 1);
	// Runs before the shared servers stop: stopOnInterrupt runs the last registered first.
	const unregister = stopOnInterrupt(async () => {
		child.kill('SIGINT');
		await withTimeout(exited, TEST_STOP_MS);
	});
	try {
		return await exited;
	} finally {
		unregister();
	}
}

runScript(main, 'Queue run could not complete');
