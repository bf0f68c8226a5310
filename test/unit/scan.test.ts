import { spawnSync } from 'node:child_process';
import {
	cpSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
	appendFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `npm run scan` (harness/scripts/scan.mjs) on copies of the source and on a package shaped like the
 * tarball: it passes them as they are, and fails, naming the file, once a lint error is planted in
 * the source or in the built .js, or a file n8n does not need is packed.
 */
const REPO = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};

let root: string;
let sourceDir: string;
let packageDir: string;

beforeEach(() => {
	root = mkdtempSync(join(tmpdir(), 'platformly-scan-test-'));
	sourceDir = join(root, 'source');
	packageDir = join(root, 'package');
	for (const part of ['package.json', 'nodes', 'credentials']) {
		cpSync(join(REPO, part), join(sourceDir, part), { recursive: true });
	}
	// The packed package's shape: its manifest and the entry points it names, as compiled CommonJS.
	mkdirSync(packageDir);
	cpSync(join(REPO, 'package.json'), join(packageDir, 'package.json'));
	for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		mkdirSync(join(packageDir, dirname(entry)), { recursive: true });
		writeFileSync(join(packageDir, entry), "'use strict';\nexports.loaded = true;\n");
	}
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

/**
 * Jest sets NODE_ENV=test, and eslint-plugin-n8n-nodes-base then checks file names as its own
 * tests need; n8n's scanner runs without it, and so does the scan here.
 */
const scanEnv = Object.fromEntries(
	Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV'),
);

function scan() {
	const result = spawnSync(
		process.execPath,
		[join(REPO, 'harness', 'scripts', 'scan.mjs'), '--source', sourceDir, '--package', packageDir],
		{ encoding: 'utf8', env: scanEnv },
	);
	return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

test('passes the source and a package holding only what n8n loads', () => {
	const { code, output } = scan();

	expect(output).toContain("✔ The source and the packed package pass n8n's scan.");
	expect(code).toBe(0);
}, 120_000);

test('fails on a lint error in the source, one in the built .js, and a file n8n does not need', () => {
	// no-console is an error in the scanner's rules, and an inline disable would be ignored.
	appendFileSync(
		join(sourceDir, 'nodes/Platformly/router.ts'),
		"\n// eslint-disable-next-line\nconsole.log('planted');\n",
	);
	appendFileSync(join(packageDir, manifest.n8n.nodes[0]), "console.log('planted');\n");
	mkdirSync(join(packageDir, 'sandbox'));
	writeFileSync(join(packageDir, 'sandbox/server.js'), "'use strict';\n");

	const { code, output } = scan();

	expect(code).toBe(1);
	expect(output).toContain("✖ The source fails n8n's scan");
	expect(output).toMatch(/nodes\/Platformly\/router\.ts[\s\S]*no-console/);
	expect(output).toContain("✖ The packed package fails n8n's scan");
	expect(output).toMatch(/dist\/nodes\/Platformly\/Platformly\.node\.js[\s\S]*no-console/);
	expect(output).toContain('✖ the tarball holds sandbox/server.js, which n8n does not need');
}, 120_000);
