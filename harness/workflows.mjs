// Builders for the workflow and credential JSON that `n8n import:*` takes, and readers for the
// run data that `n8n execute` returns.
import { randomBytes } from 'node:crypto';
import { CREDENTIAL_TYPE, NODE_TYPE } from './config.mjs';

export const PLATFORMLY_NODE_NAME = 'Platformly';
const ITEMS_NODE_NAME = 'Items';
const SPLIT_NODE_NAME = 'One item per entry';

/** A 16-character id like the ones n8n generates for workflows and credentials. */
export function newId(prefix = '') {
	const random = randomBytes(16).toString('hex');
	return `${prefix}${random}`.slice(0, 16);
}

export function platformlyCredential({ id, name, apiKey, baseUrl }) {
	return { id, name, type: CREDENTIAL_TYPE, data: { apiKey, baseUrl } };
}

/** The Platformly node, Contact › Fire Event, with the given fields on top of the defaults. */
export function platformlyNode({ parameters, credential, onError, name = PLATFORMLY_NODE_NAME, position = [600, 0] }) {
	return {
		id: newId('node'),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position,
		parameters: { resource: 'contact', operation: 'fireEvent', ...parameters },
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		...(onError ? { onError } : {}),
	};
}

/**
 * Manual Trigger → items given as data → the Platformly node. The items come from a Set node (one
 * item holding them all) and a Split Out node rather than a Code node: both are built into every
 * n8n and run in-process, while a Code node would start n8n's task runner.
 */
export function itemsToPlatformlyWorkflow({ id, name, items, platformly, settings = {} }) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1', ...settings },
		pinData: {},
		nodes: [
			{
				id: newId('node'),
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: newId('node'),
				name: ITEMS_NODE_NAME,
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ items }), options: {} },
			},
			{
				id: newId('node'),
				name: SPLIT_NODE_NAME,
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'items', options: {} },
			},
			platformly,
		],
		connections: {
			Start: { main: [[{ node: ITEMS_NODE_NAME, type: 'main', index: 0 }]] },
			[ITEMS_NODE_NAME]: { main: [[{ node: SPLIT_NODE_NAME, type: 'main', index: 0 }]] },
			[SPLIT_NODE_NAME]: { main: [[{ node: platformly.name, type: 'main', index: 0 }]] },
		},
	};
}

/**
 * What one node produced in a run: `{ main, error }` where each is a list of `{ json, pairedItem }`
 * (`error` is the second output, used with "On Error: Continue (using error output)"), or undefined
 * when the node did not run.
 */
export function nodeOutputs(run, nodeName) {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task) return undefined;
	const [main = [], error = []] = task.data?.main ?? [];
	const strip = (items) => (items ?? []).map(({ json, pairedItem }) => ({ json, pairedItem }));
	return { main: strip(main), error: strip(error), task };
}

/**
 * The main output of every run of a node, in run order. A node fed by two branches (say, after
 * both "update" and "create") runs once per branch.
 */
export function allRunsMain(run, nodeName) {
	const tasks = run.data.resultData.runData[nodeName] ?? [];
	return tasks.flatMap((task) => (task.data?.main?.[0] ?? []).map(({ json, pairedItem }) => ({ json, pairedItem })));
}

/** The workflow-level error of a failed run, as n8n reports it (message, description, node). */
export function runError(run) {
	const error = run.data.resultData.error;
	if (!error) return undefined;
	return { message: error.message, description: error.description ?? null, node: error.node?.name ?? null };
}
