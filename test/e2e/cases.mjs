// @ts-check
// Runs a test file's cases in real n8n, all in one n8n start-up, each against a sandbox of its own.
//
// Every case gets its own sandbox (own port, own faults, own records) and its own credential
// pointing at it, so cases cannot see each other's events even though n8n runs them side by side
// in one `n8n execute-batch`. A file costs three n8n start-ups (import credentials, import workflows,
// execute), whatever its number of cases.
//
// Inside a node:test `describe`:
//   const results = useN8nCases({ caseName: { items, parameters, onError, faults, sandboxApiKey, unreachable, settings }, … });
// (items: the input items' json; parameters: the Platformly node's fields, on top of Contact › Fire
// Event; onError: the node's "On Error" setting; faults: the sandbox's; sandboxApiKey: a key the
// sandbox expects instead of the credential's, to provoke "Invalid API key"; unreachable: the
// credential's Base URL is one where nothing listens (the case's sandbox then gets nothing); baseUrl: turns the
// sandbox's URL into the credential's Base URL, e.g. to add a user name and password; settings: the
// workflow's settings, e.g. a timeout)
// A second argument's `secrets` lists more texts that n8n must have stored and logged nowhere.
//   test('…', () => { const r = results.caseName; … });
// where r = { status, main, error, workflowError, nodeExecutionMs, stoppedAt, fired, firedAt, requests,
// state, storedRows, workflowId } (stoppedAt and firedAt are epoch milliseconds; state is what the
// sandbox knows after the run: contacts, tags, segments, custom fields, events).
// `fired` is in the order the sandbox received the requests; the node sends several items at once
// by default, so compare it with byContact() unless the case sets options.concurrency to 1.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_N8N_VERSION, E2E_ENV } from '../../harness/n8n/config.mjs';
import { ensureN8n } from '../../harness/n8n/install.mjs';
import { copyUserFolder, prepareUserFolder } from '../../harness/n8n/instance.mjs';
import { buildAndPack } from '../../harness/n8n/package-tarball.mjs';
import { runCleanups } from '../../harness/proc.mjs';
import { say } from '../../harness/progress.mjs';
import {
	firedEvents,
	randomApiKey,
	startSandbox,
	unreachableUrl,
} from '../../harness/stand-ins/sandbox.mjs';
import {
	itemsToPlatformlyWorkflow,
	newId,
	nodeOutputs,
	platformlyCredential,
	platformlyNode,
	PLATFORMLY_NODE_NAME,
	runError,
} from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('../../sandbox/index.js').FaultSettings} FaultSettings
 * @typedef {import('../../sandbox/index.js').RequestRecord} RequestRecord
 * @typedef {import('../../sandbox/index.js').SandboxState} SandboxState
 * @typedef {ReturnType<typeof firedEvents>[number]} FiredRecord
 * @typedef {import('../../harness/n8n/workflows.mjs').N8nItem} N8nItem
 * @typedef {import('../../harness/n8n/workflows.mjs').OnError} OnError
 * @typedef {import('../../harness/n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../../harness/proc.mjs').Cleanup} Cleanup
 *
 * One case of useN8nCases() (see the top of this file).
 * @typedef {object} CaseSpec
 * @property {Record<string, unknown>[]} items the input items' json
 * @property {Record<string, unknown>} [parameters] the Platformly node's, on top of Contact › Fire Event
 * @property {OnError | null} [onError] the node's "On Error"; left out or null, the run fails on the item
 * @property {Partial<FaultSettings>} [faults] the sandbox's
 * @property {string} [sandboxApiKey] a key the sandbox expects instead of the credential's
 * @property {boolean} [unreachable] the credential's Base URL is one where nothing listens
 * @property {(sandboxUrl: string) => string} [baseUrl] the credential's Base URL, made from the sandbox's
 * @property {Record<string, unknown>} [settings] the workflow's
 *
 * What a case's run produced, in n8n and at its sandbox.
 * @typedef {object} CaseResult
 * @property {string} workflowId
 * @property {string} status the execution's, e.g. 'success', 'error', 'canceled'
 * @property {N8nItem[] | undefined} main the Platformly node's main output; undefined when it did not run
 * @property {N8nItem[] | undefined} error its error output
 * @property {ReturnType<typeof runError>} workflowError undefined unless the run failed
 * @property {number | undefined} nodeExecutionMs the node's own time in n8n's run data
 * @property {number} stoppedAt epoch milliseconds
 * @property {FiredRecord[]} fired in the order the sandbox received the requests
 * @property {number[]} firedAt epoch milliseconds, in the same order
 * @property {RequestRecord[]} requests
 * @property {SandboxState} state what the sandbox knows after the run
 * @property {string} storedRows what n8n stored for the execution, as JSON
 */

/**
 * @param {CaseSpec} spec
 * @param {string} sandboxUrl
 * @returns {Promise<string>}
 */
async function credentialBaseUrl(spec, sandboxUrl) {
	if (spec.unreachable) return unreachableUrl();
	return spec.baseUrl ? spec.baseUrl(sandboxUrl) : sandboxUrl;
}

/** @returns {string} */
export function e2eN8nVersion() {
	return process.env[E2E_ENV.version] || DEFAULT_N8N_VERSION;
}

/**
 * @param {Record<string, CaseSpec>} cases
 * @param {{ timeoutMs?: number, secrets?: string[] }} [options]
 * @returns {Record<string, CaseResult>} filled in once the cases have run (in `before`)
 */
export function useN8nCases(cases, { timeoutMs = 5 * 60_000, secrets = [] } = {}) {
	/** @type {Record<string, CaseResult>} */
	const results = {};
	/** @type {Cleanup[]} */
	const cleanups = [];
	const apiKey = randomApiKey();
	/** @type {{ filesWithSecrets: Record<string, string[]> | undefined }} */
	const storage = { filesWithSecrets: undefined };

	before(
		async () => {
			const instance = await e2eUserFolder(cleanups);

			const prepared = await Promise.all(
				Object.entries(cases).map(async ([name, spec]) => {
					const sandbox = await startSandbox({
						apiKey: spec.sandboxApiKey ?? apiKey,
						faults: spec.faults,
					});
					cleanups.push(() => sandbox.close());
					const credential = platformlyCredential({
						id: newId('cred'),
						name: `Platformly for ${name}`,
						apiKey,
						baseUrl: await credentialBaseUrl(spec, sandbox.url),
					});
					const workflow = itemsToPlatformlyWorkflow({
						id: newId('wf'),
						name,
						items: spec.items,
						settings: spec.settings,
						platformly: platformlyNode({
							parameters: spec.parameters,
							credential,
							onError: spec.onError,
						}),
					});
					return { name, sandbox, credential, workflow };
				}),
			);
			await instance.importCredentials(prepared.map(({ credential }) => credential));
			await instance.importWorkflows(prepared.map(({ workflow }) => workflow));
			const { executions } = await instance.executeBatch(
				prepared.map(({ workflow }) => workflow.id),
			);

			for (const { name, sandbox, workflow } of prepared) {
				const execution = executions[workflow.id];
				const outputs = nodeOutputs(execution.run, PLATFORMLY_NODE_NAME);
				results[name] = {
					workflowId: workflow.id,
					status: execution.status,
					main: outputs?.main,
					error: outputs?.error,
					workflowError: runError(execution.run),
					// The node's own time in n8n's run data, without n8n's start-up.
					nodeExecutionMs: outputs?.task.executionTime,
					stoppedAt: Date.parse(execution.run.stoppedAt),
					fired: firedEvents(sandbox),
					firedAt: sandbox.fired().map(({ at }) => Date.parse(at)),
					requests: sandbox.requests(),
					state: sandbox.state(),
					storedRows: execution.storedRows,
				};
			}
			storage.filesWithSecrets = Object.fromEntries(
				await Promise.all(
					[apiKey, ...secrets].map(async (secret) => [
						secret,
						await instance.filesContaining(secret),
					]),
				),
			);
		},
		{ timeout: timeoutMs },
	);

	after(() => runCleanups(cleanups));

	test(`n8n stored the API key${secrets.length > 0 ? ' and the other secrets' : ''} nowhere (database, config, logs, run data)`, () => {
		assert.deepEqual(
			storage.filesWithSecrets,
			Object.fromEntries([apiKey, ...secrets].map((secret) => [secret, []])),
		);
		for (const [name, result] of Object.entries(results)) {
			for (const secret of [apiKey, ...secrets]) {
				assert.ok(
					!result.storedRows.includes(secret),
					`the stored execution of "${name}" contains a secret`,
				);
			}
			// The search must look at real data: every stored execution names its workflow.
			assert.ok(
				result.storedRows.includes(result.workflowId),
				`the stored execution of "${name}" was not read`,
			);
		}
	});

	return results;
}

export { runCleanups };

/**
 * Imports the credentials and workflows, makes every workflow active, and starts `n8n start` (stopped
 * by `cleanups`): a running n8n whose triggers answer on their production URLs.
 * @param {N8nUserFolder} instance
 * @param {{ credentials: Parameters<N8nUserFolder['importCredentials']>[0], workflows: import('../../harness/n8n/workflows.mjs').Workflow[] }} content
 * @param {Cleanup[]} cleanups
 * @returns {Promise<string>} the URL n8n listens on
 */
export async function startWithActiveWorkflows(instance, { credentials, workflows }, cleanups) {
	await instance.importCredentials(credentials);
	await instance.importWorkflows(workflows);
	await instance.activateWorkflows(workflows.map(({ id }) => id));
	const server = await instance.start({ quiet: true });
	cleanups.push(() => server.stop());
	await server.ready();
	return server.url;
}

/**
 * A user folder for one test file: a copy of the one harness/scripts/e2e.mjs prepared, or, when the file runs
 * alone, a fresh one. Its removal (unless PLATFORMLY_E2E_KEEP is set) is added to `cleanups`.
 * @param {Cleanup[]} cleanups
 * @returns {Promise<N8nUserFolder>}
 */
export async function e2eUserFolder(cleanups) {
	const n8n = await ensureN8n(e2eN8nVersion());
	const template = process.env[E2E_ENV.template];
	let instance;
	if (template) {
		instance = await copyUserFolder(n8n, template, 'e2e');
	} else {
		// Run alone (`node --test test/e2e/<file>.test.mjs`): slower, but needs nothing else.
		say('No prepared n8n user folder given (npm run test:e2e shares one); preparing one.');
		const { tarball, cleanup } = await buildAndPack();
		cleanups.push(cleanup);
		instance = await prepareUserFolder(n8n, tarball, 'e2e');
	}
	if (process.env[E2E_ENV.keep]) say(`Keeping the n8n user folder ${instance.root}`);
	else cleanups.push(() => instance.remove());
	return instance;
}

/**
 * Fired events in a fixed order (by contact, then event), for cases whose items are sent side by side.
 * @template {{ contactId: number, event: number }} T
 * @param {readonly T[]} fired
 * @returns {T[]}
 */
export function byContact(fired) {
	return [...fired].sort((a, b) => a.contactId - b.contactId || a.event - b.event);
}

/**
 * What the node outputs for one successful Platformly answer to item `item`.
 * @param {number} item
 * @returns {N8nItem}
 */
export function processed(item) {
	return {
		json: { status: 'success', message: 'The action has been processed' },
		pairedItem: { item },
	};
}

/**
 * What the node outputs for an item Platformly (or the network) failed, with continue-on-fail.
 * @param {number} item
 * @param {string} message
 * @returns {N8nItem}
 */
export function failedItem(item, message) {
	return { json: { error: message }, pairedItem: { item } };
}
