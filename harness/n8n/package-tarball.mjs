// @ts-check
// Builds this package and packs it the way it would be published, so n8n gets exactly what users get.
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
	const tarball = await phase('Packing it (npm pack)', async () => {
		const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
			cwd: REPO_ROOT,
		});
		/** @type {{ filename: string }[]} */
		const [{ filename }] = JSON.parse(stdout);
		return path.join(destination, filename);
	});
	return { tarball, cleanup: () => fs.rm(destination, { recursive: true, force: true }) };
}
