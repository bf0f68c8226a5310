// The example workflow (examples/fire-contact-event.workflow.json) and what demo and dev need
// around it: which n8n to use, and a user folder with the package, a sandbox credential and the
// workflow imported.
import fs from 'node:fs/promises';
import path from 'node:path';
import { CREDENTIAL_TYPE, DEFAULT_N8N_VERSION, REPO_ROOT, resolveN8nVersions } from './config.mjs';
import { ensureN8n } from './n8n-install.mjs';
import { prepareUserFolder } from './n8n-instance.mjs';
import { buildAndPack } from './package-tarball.mjs';
import { phase } from './progress.mjs';
import { platformlyCredential } from './workflows.mjs';

export const EXAMPLE_WORKFLOW_FILE = path.join(REPO_ROOT, 'examples', 'fire-contact-event.workflow.json');

export async function loadExampleWorkflow() {
	const workflow = JSON.parse(await fs.readFile(EXAMPLE_WORKFLOW_FILE, 'utf8'));
	const platformly = workflow.nodes.find((node) => node.credentials?.[CREDENTIAL_TYPE]);
	if (!platformly) throw new Error(`${EXAMPLE_WORKFLOW_FILE} has no node using a ${CREDENTIAL_TYPE} credential`);
	return { workflow, platformlyNodeName: platformly.name, credentialRef: platformly.credentials[CREDENTIAL_TYPE] };
}

/** PLATFORMLY_N8N_VERSION (an exact version or 2.x / 1.123.x), else the default n8n. */
export function chosenN8nVersion() {
	const [version] = resolveN8nVersions(process.env.PLATFORMLY_N8N_VERSION ?? DEFAULT_N8N_VERSION);
	return version;
}

/**
 * Ensures n8n, builds and packs the package, and prepares a user folder with the package installed,
 * the example workflow imported and its credential (same id and name) pointing at `sandbox`.
 * Returns `{ n8n, instance, example, cleanup }`.
 */
export async function prepareExampleInstance(sandbox, label) {
	const n8n = await ensureN8n(chosenN8nVersion());
	const example = await loadExampleWorkflow();
	const { tarball, cleanup: removeTarball } = await buildAndPack();
	try {
		const instance = await phase(
			`Preparing n8n ${n8n.version} with the package, the credential and the example workflow`,
			async () => {
				const prepared = await prepareUserFolder(n8n, tarball, label);
				return prepared.removedOnFailure(async () => {
					await prepared.importCredentials([
						platformlyCredential({ ...example.credentialRef, apiKey: sandbox.apiKey, baseUrl: sandbox.url }),
					]);
					await prepared.importWorkflows([example.workflow]);
				});
			},
		);
		return { n8n, instance, example };
	} finally {
		await removeTarball();
	}
}
