// @ts-check
// Builds this package and packs it the way it would be published, so n8n gets exactly what users get:
// as it is in this checkout, or as it was at an earlier commit.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './config.mjs';
import { phase } from '../progress.mjs';
import { run } from '../proc.mjs';

/**
 * `npm run build`, then `npm pack` into a new temp folder. Returns `{ tarball, cleanup }`.
 * With PLATFORMLY_TARBALL set, uses that tarball instead (e.g. one CI already built).
 * @returns {Promise<{ tarball: string, cleanup: () => Promise<void> }>}
 */
export async function buildAndPack() {
	if (process.env.PLATFORMLY_TARBALL) {
		const tarball = path.resolve(process.env.PLATFORMLY_TARBALL);
		await fs.access(tarball).catch(() => {
			throw new Error(`PLATFORMLY_TARBALL is set to ${tarball}, which does not exist`);
		});
		return { tarball, cleanup: async () => {} };
	}
	await phase('Building the package (npm run build)', () =>
		run('npm', ['run', 'build'], { cwd: REPO_ROOT }),
	);
	const destination = await fs.mkdtemp(path.join(os.tmpdir(), 'platformly-pack-'));
	const tarball = await phase('Packing it (npm pack)', () => pack(REPO_ROOT, destination));
	return { tarball, cleanup: () => fs.rm(destination, { recursive: true, force: true }) };
}

/**
 * Builds and packs the package as it was at `commit`, from a `git archive` copy in a temp folder
 * that uses this checkout's node_modules. Returns the tarball and a clean-up.
 * @param {string} commit
 * @returns {Promise<{ tarball: string, cleanup: () => Promise<void> }>}
 */
export async function packCommit(commit) {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), `platformly-${commit}-`));
	const cleanup = () => fs.rm(dir, { recursive: true, force: true });
	try {
		const tarball = await phase(`Building and packing the node as of ${commit}`, async () => {
			const archive = path.join(dir, 'source.tar');
			await run('git', ['archive', '--format=tar', `--output=${archive}`, commit], {
				cwd: REPO_ROOT,
			});
			const source = path.join(dir, 'source');
			await fs.mkdir(source);
			await run('tar', ['-xf', archive, '-C', source]);
			await fs.symlink(path.join(REPO_ROOT, 'node_modules'), path.join(source, 'node_modules'));
			await run('npm', ['run', 'build'], { cwd: source });
			return pack(source, dir);
		});
		return { tarball, cleanup };
	} catch (error) {
		await cleanup();
		throw error;
	}
}

/**
 * `npm pack` of the built package in `sourceDir`.
 * @param {string} sourceDir
 * @param {string} destination
 * @returns {Promise<string>} the tarball
 */
async function pack(sourceDir, destination) {
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: sourceDir,
	});
	/** @type {{ filename: string }[]} */
	const [{ filename }] = JSON.parse(stdout);
	return path.join(destination, filename);
}
