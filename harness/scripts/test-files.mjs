// @ts-check
// Which test files a harness command runs (those named on its command line, or all of its folder),
// and running them with node's test runner.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../n8n/config.mjs';

/**
 * Arguments that name existing files select test files; the rest go to `node --test`. Without a
 * named file, every `*.test.mjs` in `testDir` runs, in name order.
 * @param {string[]} args
 * @param {string} testDir
 * @returns {Promise<{ files: string[], testRunnerOptions: string[] }>}
 */
export async function selectTests(args, testDir) {
	/** @type {string[]} */
	const named = [];
	/** @type {string[]} */
	const testRunnerOptions = [];
	for (const arg of args) {
		const isFile =
			!arg.startsWith('-') && (await fs.stat(path.resolve(arg)).catch(() => undefined))?.isFile();
		(isFile ? named : testRunnerOptions).push(isFile ? path.resolve(arg) : arg);
	}
	return { files: named.length > 0 ? named : await testFilesIn(testDir), testRunnerOptions };
}

/**
 * Every `*.test.mjs` in `testDir`, in name order.
 * @param {string} testDir
 * @returns {Promise<string[]>}
 */
export async function testFilesIn(testDir) {
	const names = (await fs.readdir(testDir)).filter((name) => name.endsWith('.test.mjs')).sort();
	if (names.length === 0) throw new Error(`No *.test.mjs files in ${testDir}`);
	return names.map((name) => path.join(testDir, name));
}

/**
 * Starts `node --test` on `files`, `concurrency` files at a time, with `env` added to this
 * process's environment and its output on this terminal.
 * @param {string[]} files
 * @param {string[]} testRunnerOptions
 * @param {NodeJS.ProcessEnv} env
 * @param {number} concurrency
 * @returns {{ child: import('node:child_process').ChildProcess, exited: Promise<number> }}
 *   `exited` is node --test's exit code (1 when a signal ended it)
 */
export function startNodeTest(files, testRunnerOptions, env, concurrency) {
	const args = [
		'--test',
		`--test-concurrency=${concurrency}`,
		'--test-reporter=spec',
		...testRunnerOptions,
		...files,
	];
	const child = spawn(process.execPath, args, {
		cwd: REPO_ROOT,
		env: { ...process.env, ...env },
		stdio: 'inherit',
	});
	const exited = new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
	});
	return { child, exited };
}
