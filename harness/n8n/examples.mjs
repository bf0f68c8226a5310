// @ts-check
// The example workflows (examples/*.workflow.json) and what demo and dev need around them: which
// n8n to use, and a user folder with the package, a sandbox credential and the workflows imported.
import fs from 'node:fs/promises';
import path from 'node:path';
import { CREDENTIAL_TYPE, oneN8nVersion, REPO_ROOT } from './config.mjs';
import { ensureN8n } from './install.mjs';
import { prepareUserFolder } from './instance.mjs';
import { buildAndPack } from './package-tarball.mjs';
import { phase } from '../progress.mjs';
import { sandboxCredential } from './workflows.mjs';

/**
 * @typedef {import('./workflows.mjs').Workflow} Workflow
 * @typedef {import('./workflows.mjs').WorkflowNode} WorkflowNode
 * @typedef {import('./workflows.mjs').CredentialRef} CredentialRef
 * @typedef {import('./install.mjs').N8nInstall} N8nInstall
 * @typedef {import('./instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../stand-ins/sandbox.mjs').Sandbox} Sandbox
 *
 * @typedef {object} ExampleWorkflow
 * @property {Workflow} workflow
 * @property {string} platformlyNodeName the first Platformly node's name
 * @property {CredentialRef} credentialRef the credential every Platformly node of it uses
 *
 * @typedef {keyof typeof EXAMPLE_WORKFLOW_FILES} ExampleKey
 */

/** In the order the demo runs them: firing alone first, then the fuller contact workflow. */
const EXAMPLE_WORKFLOW_FILES = {
	fireContactEvent: path.join(REPO_ROOT, 'examples', 'fire-contact-event.workflow.json'),
	syncCustomer: path.join(REPO_ROOT, 'examples', 'sync-customer.workflow.json'),
};

/**
 * One example: the workflow, the name of its first Platformly node, and the credential its
 * Platformly nodes use (every example uses the same one, so one sandbox credential serves all).
 * @param {string} [file]
 * @returns {Promise<ExampleWorkflow>}
 */
export async function loadExampleWorkflow(file = EXAMPLE_WORKFLOW_FILES.fireContactEvent) {
	/** @type {Workflow} */
	const workflow = JSON.parse(await fs.readFile(file, 'utf8'));
	const platformlyNodes = workflow.nodes.filter(usesPlatformlyCredential);
	if (platformlyNodes.length === 0)
		throw new Error(`${file} has no node using a ${CREDENTIAL_TYPE} credential`);
	const credentialRef = platformlyNodes[0].credentials[CREDENTIAL_TYPE];
	if (platformlyNodes.some((node) => node.credentials[CREDENTIAL_TYPE].id !== credentialRef.id)) {
		throw new Error(`${file}: every Platformly node must use the credential ${credentialRef.id}`);
	}
	return { workflow, platformlyNodeName: platformlyNodes[0].name, credentialRef };
}

/**
 * @param {WorkflowNode} node
 * @returns {node is WorkflowNode & { credentials: Record<string, CredentialRef> }}
 */
function usesPlatformlyCredential(node) {
	return Boolean(node.credentials?.[CREDENTIAL_TYPE]);
}

/**
 * Every example, keyed as EXAMPLE_WORKFLOW_FILES is.
 * @returns {Promise<Record<ExampleKey, ExampleWorkflow>>}
 */
export async function loadExampleWorkflows() {
	/** @type {[string, ExampleWorkflow][]} */
	const entries = await Promise.all(
		Object.entries(EXAMPLE_WORKFLOW_FILES).map(async ([key, file]) => [
			key,
			await loadExampleWorkflow(file),
		]),
	);
	const examples = /** @type {Record<ExampleKey, ExampleWorkflow>} */ (Object.fromEntries(entries));
	const credentialIds = new Set(entries.map(([, example]) => example.credentialRef.id));
	if (credentialIds.size !== 1)
		throw new Error('the examples must share one Platformly credential');
	return examples;
}

/**
 * PLATFORMLY_N8N_VERSION (an exact version, 2.x / 1.123.x, latest or next), else the default n8n.
 * @returns {Promise<string>}
 */
export function chosenN8nVersion() {
	return oneN8nVersion('PLATFORMLY_N8N_VERSION');
}

/**
 * Ensures n8n, builds and packs the package, and prepares a user folder with the package installed,
 * the example workflows imported and their credential (same id and name) pointing at `sandbox`.
 * Returns `{ n8n, instance, examples }`.
 * @param {Sandbox} sandbox
 * @param {string} label part of the user folder's name
 * @returns {Promise<{ n8n: N8nInstall, instance: N8nUserFolder, examples: Record<ExampleKey, ExampleWorkflow> }>}
 */
export async function prepareExampleInstance(sandbox, label) {
	const n8n = await ensureN8n(await chosenN8nVersion());
	const examples = await loadExampleWorkflows();
	const all = Object.values(examples);
	const { tarball, cleanup: removeTarball } = await buildAndPack();
	try {
		const instance = await phase(
			`Preparing n8n ${n8n.version} with the package, the credential and the example workflows`,
			async () => {
				const prepared = await prepareUserFolder(n8n, tarball, label);
				return prepared.removedOnFailure(async () => {
					await prepared.importCredentials([sandboxCredential(sandbox, all[0].credentialRef)]);
					await prepared.importWorkflows(all.map(({ workflow }) => workflow));
				});
			},
		);
		return { n8n, instance, examples };
	} finally {
		await removeTarball();
	}
}
