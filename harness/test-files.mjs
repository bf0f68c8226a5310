// @ts-check
// Which test files a harness command runs: those named on its command line, or all of its folder.
import fs from 'node:fs/promises';
import path from 'node:path';

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
	if (named.length > 0) return { files: named, testRunnerOptions };
	const all = (await fs.readdir(testDir)).filter((name) => name.endsWith('.test.mjs')).sort();
	if (all.length === 0) throw new Error(`No *.test.mjs files in ${testDir}`);
	return { files: all.map((name) => path.join(testDir, name)), testRunnerOptions };
}
