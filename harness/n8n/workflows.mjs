// @ts-check
// Builders for the workflow and credential JSON that `n8n import:*` takes, and readers for the
// run data that `n8n execute` returns.
import { randomBytes } from 'node:crypto';
import { CREDENTIAL_TYPE, NODE_TYPE, TRIGGER_NODE_TYPE } from './config.mjs';

export const PLATFORMLY_NODE_NAME = 'Platformly';
const ITEMS_NODE_NAME = 'Items';
const SPLIT_NODE_NAME = 'One item per entry';

/**
 * What `n8n import:credentials` takes, given in clear.
 * @typedef {object} PlatformlyCredential
 * @property {string} id
 * @property {string} name
 * @property {string} type
 * @property {{ apiKey: string, baseUrl: string, triggerSecret?: string }} data
 *
 * How a node names its credential.
 * @typedef {{ id: string, name: string }} CredentialRef
 *
 * A node's "On Error" setting; left out, the run stops at a failing item.
 * @typedef {import('n8n-workflow').OnError} OnError
 *
 * @typedef {object} WorkflowNode
 * @property {string} id
 * @property {string} name
 * @property {string} type
 * @property {number} typeVersion
 * @property {[number, number]} position
 * @property {Record<string, unknown>} parameters
 * @property {Record<string, CredentialRef>} [credentials]
 * @property {OnError} [onError]
 * @property {string} [webhookId] a trigger's, part of its webhook URLs
 *
 * A workflow as `n8n import:workflow` takes it (and as examples/*.workflow.json hold it).
 * @typedef {object} Workflow
 * @property {string} id
 * @property {string} name
 * @property {WorkflowNode[]} nodes
 * @property {Record<string, unknown>} connections
 * @property {boolean} [active]
 * @property {Record<string, unknown>} [settings]
 */

/**
 * The parts of a run (n8n's IRun, as `n8n execute` prints it and read-executions.cjs decodes it
 * from the database) that the harness reads.
 * @typedef {object} N8nRun
 * @property {{ resultData: N8nResultData }} data
 * @property {string} [status]
 * @property {string} [mode]
 * @property {string} [startedAt] ISO time
 * @property {string} stoppedAt ISO time; set once the execution ended, which the harness waits for
 *
 * @typedef {object} N8nResultData
 * @property {Record<string, N8nTaskData[]>} runData each node's runs, by node name
 * @property {N8nRunError} [error] why the run failed
 * @property {string} [lastNodeExecuted] set once a node has run
 *
 * One run of one node (ITaskData).
 * @typedef {object} N8nTaskData
 * @property {number} startTime epoch milliseconds
 * @property {number} executionTime milliseconds
 * @property {{ main?: (N8nItem[] | null)[] }} [data] the items of each output, in output order
 *
 * An item (INodeExecutionData). `json` is whatever the node put out.
 * @typedef {object} N8nItem
 * @property {Record<string, unknown>} json
 * @property {N8nPairedItem} [pairedItem]
 *
 * Which input item an output item came from. (n8n also allows a bare number or a list; the
 * nodes the harness reads give this form.)
 * @typedef {{ item: number, input?: number }} N8nPairedItem
 *
 * @typedef {object} N8nRunError
 * @property {string} message
 * @property {string} [description]
 * @property {{ name: string }} [node] the node it happened in
 *
 * A node's outputs in one run, as nodeOutputs() returns them.
 * @typedef {object} NodeOutputs
 * @property {N8nItem[]} main
 * @property {N8nItem[]} error the second output, used with "On Error: Continue (using error output)"
 * @property {N8nTaskData} task
 */

/**
 * A 16-character id like the ones n8n generates for workflows and credentials.
 * @param {string} [prefix]
 */
export function newId(prefix = '') {
	const random = randomBytes(16).toString('hex');
	return `${prefix}${random}`.slice(0, 16);
}

/**
 * The Platformly API credential; `triggerSecret` is the one the Platformly Trigger checks.
 * @param {{ id: string, name: string, apiKey: string, baseUrl: string, triggerSecret?: string }} fields
 * @returns {PlatformlyCredential}
 */
export function platformlyCredential({ id, name, apiKey, baseUrl, triggerSecret }) {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: { apiKey, baseUrl, ...(triggerSecret === undefined ? {} : { triggerSecret }) },
	};
}

/**
 * A Platformly API credential for `sandbox`: its API key and URL. `id` and `name` default to a new
 * credential's; an example workflow's credential reference keeps the example as it is.
 * @param {{ apiKey: string, url: string }} sandbox
 * @param {{ id?: string, name?: string, triggerSecret?: string }} [fields]
 * @returns {PlatformlyCredential}
 */
export function sandboxCredential(
	sandbox,
	{ id = newId('cred'), name = 'Platformly sandbox', triggerSecret } = {},
) {
	return platformlyCredential({
		id,
		name,
		apiKey: sandbox.apiKey,
		baseUrl: sandbox.url,
		triggerSecret,
	});
}

/**
 * The Platformly node, Contact › Fire Event, with the given fields on top of the defaults.
 * @param {object} options
 * @param {Record<string, unknown>} [options.parameters]
 * @param {CredentialRef} options.credential
 * @param {OnError | null} [options.onError]
 * @param {string} [options.name]
 * @returns {WorkflowNode}
 */
export function platformlyNode({ parameters, credential, onError, name = PLATFORMLY_NODE_NAME }) {
	return {
		id: newId('node'),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [600, 0],
		parameters: { resource: 'contact', operation: 'fireEvent', ...parameters },
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		...(onError ? { onError } : {}),
	};
}

/**
 * A workflow as the harness imports it: inactive (the harness activates what must be), with n8n's
 * current execution order.
 * @param {Pick<Workflow, 'id' | 'name' | 'nodes' | 'connections'> & { settings?: Record<string, unknown> }} parts
 * @returns {Workflow}
 */
function inactiveWorkflow({ id, name, nodes, connections, settings = {} }) {
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1', ...settings },
		nodes,
		connections,
	};
}

/**
 * Manual Trigger → items given as data → the Platformly node. The items come from a Set node (one
 * item holding them all) and a Split Out node rather than a Code node: both are built into every
 * n8n and run in-process, while a Code node would start n8n's task runner.
 * @param {object} options
 * @param {string} options.id
 * @param {string} options.name
 * @param {Record<string, unknown>[]} options.items the items' json
 * @param {WorkflowNode} options.platformly the node that gets the items
 * @param {Record<string, unknown>} [options.settings]
 * @returns {Workflow}
 */
export function itemsToPlatformlyWorkflow({ id, name, items, platformly, settings = {} }) {
	return inactiveWorkflow({
		id,
		name,
		settings,
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
	});
}

/** The path of the Platformly Trigger's webhook, after its webhook ID. */
export const TRIGGER_WEBHOOK_PATH = 'platformly';

/**
 * A workflow that is nothing but a Platformly Trigger: its runs show what the trigger emitted.
 * `webhookId` makes the production URL `<n8n>/webhook/<webhookId>/platformly`.
 * @param {object} spec
 * @param {string} spec.id
 * @param {string} spec.name
 * @param {string} spec.webhookId
 * @param {boolean} [spec.fetchContact]
 * @param {CredentialRef} [spec.platformly] the Platformly API credential: its Trigger Secret, if it
 *   has one, guards the URL; its key is what Fetch Contact reads with
 * @returns {Workflow}
 */
export function triggerWorkflow({ id, name, webhookId, fetchContact = false, platformly }) {
	/** @type {Record<string, CredentialRef>} */
	const credentials = {};
	if (platformly) credentials[CREDENTIAL_TYPE] = { id: platformly.id, name: platformly.name };
	return inactiveWorkflow({
		id,
		name,
		nodes: [
			{
				id: newId('node'),
				name: TRIGGER_NODE_NAME,
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { fetchContact },
				credentials,
			},
		],
		connections: {},
	});
}

export const TRIGGER_NODE_NAME = 'Platformly Trigger';

/**
 * n8n's own Webhook node: POST `<n8n>/webhook/<path>`, answered as soon as n8n has the execution.
 * @param {{ path: string, name?: string, position?: [number, number] }} spec
 * @returns {WorkflowNode}
 */
function webhookNode({ path: webhookPath, name = 'Webhook', position = [0, 0] }) {
	return {
		id: newId('node'),
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position,
		webhookId: newId('hook'),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

/**
 * n8n's Webhook node followed by `nodes`, one after another: a workflow that a running n8n starts
 * when something posts to `<n8n>/webhook/<path>`, each post's JSON body being the item
 * (`{{ $json.body.… }}` in the first node's fields). With several Platformly nodes, their runs
 * follow each other in one execution.
 * @param {{ id: string, name: string, path: string, nodes: WorkflowNode[] }} spec
 * @returns {Workflow}
 */
export function webhookThenNodesWorkflow({ id, name, path: webhookPath, nodes }) {
	const chain = [
		webhookNode({ path: webhookPath }),
		...nodes.map(
			(node, index) => /** @type {WorkflowNode} */ ({ ...node, position: [200 * (index + 1), 0] }),
		),
	];
	/** @type {Record<string, unknown>} */
	const connections = {};
	for (let index = 1; index < chain.length; index++) {
		connections[chain[index - 1].name] = {
			main: [[{ node: chain[index].name, type: 'main', index: 0 }]],
		};
	}
	return inactiveWorkflow({ id, name, nodes: chain, connections });
}

/**
 * n8n's Webhook node → the Platformly node (see webhookThenNodesWorkflow).
 * @param {{ id: string, name: string, path: string, platformly: WorkflowNode }} spec
 * @returns {Workflow}
 */
export function webhookToPlatformlyWorkflow({ id, name, path: webhookPath, platformly }) {
	return webhookThenNodesWorkflow({ id, name, path: webhookPath, nodes: [platformly] });
}

/**
 * The workflow as given, started by n8n's Webhook node in place of its manual trigger: a running
 * n8n in queue mode hands such an execution to a worker, while a manual one would run in the main
 * process.
 * @param {Workflow} workflow one of itemsToPlatformlyWorkflow's, whose first node is its trigger
 * @param {string} webhookPath
 * @returns {Workflow}
 */
function startedByWebhook(workflow, webhookPath) {
	const [trigger, ...rest] = workflow.nodes;
	const webhook = webhookNode({
		path: webhookPath,
		name: trigger.name,
		position: trigger.position,
	});
	return { ...workflow, nodes: [webhook, ...rest] };
}

/**
 * A workflow of many items for the Platformly node, started by a webhook (see startedByWebhook).
 * @param {Omit<Parameters<typeof itemsToPlatformlyWorkflow>[0], 'id'> & { path: string }} spec
 * @returns {Workflow}
 */
export function webhookItemsWorkflow({ path: webhookPath, ...spec }) {
	return startedByWebhook(itemsToPlatformlyWorkflow({ id: newId('wf'), ...spec }), webhookPath);
}

/**
 * What one node produced in a run: `{ main, error }` where each is a list of `{ json, pairedItem }`
 * (`error` is the second output, used with "On Error: Continue (using error output)"), or undefined
 * when the node did not run.
 * @param {N8nRun} run
 * @param {string} nodeName
 * @returns {NodeOutputs | undefined}
 */
export function nodeOutputs(run, nodeName) {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task) return undefined;
	const [main = [], error = []] = task.data?.main ?? [];
	/** @param {N8nItem[] | null} items */
	const strip = (items) => (items ?? []).map(({ json, pairedItem }) => ({ json, pairedItem }));
	return { main: strip(main), error: strip(error), task };
}

/**
 * The main output of every run of a node, in run order. A node fed by two branches (say, after
 * both "update" and "create") runs once per branch.
 * @param {N8nRun} run
 * @param {string} nodeName
 * @returns {N8nItem[]}
 */
export function allRunsMain(run, nodeName) {
	const tasks = run.data.resultData.runData[nodeName] ?? [];
	return tasks.flatMap((task) =>
		(task.data?.main?.[0] ?? []).map(({ json, pairedItem }) => ({ json, pairedItem })),
	);
}

/**
 * The workflow-level error of a failed run, as n8n reports it (message, description, node).
 * @param {N8nRun} run
 * @returns {{ message: string, description: string | null, node: string | null } | undefined}
 */
export function runError(run) {
	const error = run.data.resultData.error;
	if (!error) return undefined;
	return {
		message: error.message,
		description: error.description ?? null,
		node: error.node?.name ?? null,
	};
}
