#!/usr/bin/env node
// @ts-check
// `npm run scan`: the lint legs of n8n's package scanner (@n8n/scan-community-package), run here as
// the scanner runs them once it has checked a release's provenance: on the source (package.json,
// nodes/ and credentials/) and on the packed tarball (its .js files and package.json), with the
// scanner's own rules and inline eslint-disable comments ignored. It also checks that the tarball
// holds what n8n loads and nothing else.
//
//   npm run scan                                  the repo's source, and a tarball built and packed now
//   node harness/scripts/scan.mjs --source DIR --package DIR   folders of your choosing (the scan's own test)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';
import { REPO_ROOT } from '../n8n/config.mjs';
import { buildAndPack } from '../n8n/package-tarball.mjs';
import { phase, runScript, say } from '../progress.mjs';
import { run, runCleanups } from '../proc.mjs';

/** What the scanner lints of the tarball, after its provenance step. */
const PACKAGE_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** What the tarball may hold: what n8n loads, and what npm always adds. */
const ALLOWED_IN_TARBALL = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE$/,
	/^index\.js$/,
	/^dist\/(nodes|credentials)\/.+\.(js|d\.ts|json|svg)$/,
];

/**
 * The files of the unpacked tarball that do not belong there, and the n8n entry points it lacks.
 * @param {string} packageDir
 * @returns {Promise<string[]>} one line per problem
 */
async function tarballProblems(packageDir) {
	const files = (await fs.readdir(packageDir, { recursive: true, withFileTypes: true }))
		.filter((entry) => entry.isFile())
		.map((entry) =>
			path.relative(packageDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
		);
	const extra = files.filter((file) => !ALLOWED_IN_TARBALL.some((pattern) => pattern.test(file)));
	/** @type {{ n8n?: { nodes?: string[], credentials?: string[] } }} */
	const manifest = JSON.parse(await fs.readFile(path.join(packageDir, 'package.json'), 'utf8'));
	const entryPoints = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	const missing = entryPoints.filter((file) => !files.includes(file));
	return [
		...extra.map((file) => `the tarball holds ${file}, which n8n does not need`),
		...missing.map((file) => `the tarball lacks ${file}, which package.json's "n8n" section names`),
		...(entryPoints.length === 0
			? ['package.json names no nodes or credentials in its "n8n" section']
			: []),
	];
}

/**
 * @param {string} label
 * @param {string} dir
 * @param {string[]} patterns
 * @returns {Promise<boolean>}
 */
async function lintLeg(label, dir, patterns) {
	const result = await phase(`Scanning the ${label} (${dir})`, () => analyzePackage(dir, patterns));
	if (!result.passed)
		say(`✖ The ${label} fails n8n's scan: ${result.message ?? ''}\n${result.details ?? ''}`);
	return result.passed;
}

async function main() {
	const { values } = parseArgs({
		options: { source: { type: 'string' }, package: { type: 'string' } },
	});
	const sourceDir = path.resolve(values.source ?? REPO_ROOT);
	/** @type {import('../proc.mjs').Cleanup[]} */
	const cleanups = [];
	try {
		let packageDir = values.package ? path.resolve(values.package) : undefined;
		if (!packageDir) {
			const { tarball, cleanup } = await buildAndPack();
			cleanups.push(cleanup);
			const unpacked = await fs.mkdtemp(path.join(os.tmpdir(), 'platformly-scan-'));
			cleanups.push(() => fs.rm(unpacked, { recursive: true, force: true }));
			await run('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
			packageDir = unpacked;
		}
		const sourcePassed = await lintLeg('source', sourceDir, SOURCE_FILE_PATTERNS);
		const packagePassed = await lintLeg('packed package', packageDir, PACKAGE_FILE_PATTERNS);
		const problems = await tarballProblems(packageDir);
		for (const problem of problems) say(`✖ ${problem}`);
		const passed = sourcePassed && packagePassed && problems.length === 0;
		say(passed ? "✔ The source and the packed package pass n8n's scan." : "✖ n8n's scan fails.");
		return passed ? 0 : 1;
	} finally {
		await runCleanups(cleanups);
	}
}

runScript(main, 'The scan could not run');
