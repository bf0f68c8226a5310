import { WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWebhookResponseData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { PlatformlyTrigger } from '../../nodes/Platformly/PlatformlyTrigger.node';
import type { CredentialsByType } from './n8nRuntime';
import { createAdditionalData, onlyNodeType, TEST_API_KEY, TEST_BASE_URL } from './n8nRuntime';

/**
 * Runs the Platformly Trigger's webhook the way n8n does, in n8n-core's real WebhookContext.
 * What n8n's web server does before it (parse a JSON or form body, read the raw bytes, set the
 * media type) is given as `request`; the answer the trigger writes is recorded.
 */

export const TEST_SECRET = 'unitTestSecret-5b1e7c9a';

export interface PostedRequest {
	method?: 'POST' | 'GET';
	contentType?: string;
	/** The body as sent; its bytes become n8n's rawBody. */
	rawBody?: string;
	/** The body as n8n parsed it. */
	body?: unknown;
	query?: IDataObject;
}

export interface TriggerRun {
	/** What the trigger answered itself, if it did. */
	answer?: { status: number; body: IDataObject };
	result: IWebhookResponseData;
	/** The JSON of the item that starts the execution, if one does. */
	item?: IDataObject;
}

const nodeType: INodeType = new PlatformlyTrigger();
const nodeTypes = onlyNodeType(nodeType);

export async function postToTrigger(
	request: PostedRequest,
	{
		parameters = {},
		secret,
		platformly = { apiKey: TEST_API_KEY, baseUrl: TEST_BASE_URL },
	}: { parameters?: INodeParameters; secret?: string; platformly?: IDataObject } = {},
): Promise<TriggerRun> {
	const node: INode = {
		id: 'platformly-trigger',
		name: 'Platformly Trigger',
		type: 'n8n-nodes-platformly.platformlyTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'trigger-webhook-id',
		parameters,
		credentials: {
			...(secret === undefined ? {} : { platformlyTriggerApi: { id: 'cred-2', name: 'Secret' } }),
			platformlyApi: { id: 'cred-1', name: 'Platformly account' },
		},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: true, nodeTypes });
	const workflowNode = workflow.getNode(node.name) as INode;
	const others: CredentialsByType =
		secret === undefined ? {} : { platformlyTriggerApi: { secret } };
	const additionalData = createAdditionalData(platformly as never, undefined, others);
	const method = request.method ?? 'POST';
	const run: TriggerRun = { result: {} };
	const response = {
		status: (status: number) => ({
			json: (body: IDataObject) => {
				if (run.answer) throw new Error('the trigger answered twice');
				run.answer = { status, body };
			},
		}),
	};
	Object.assign(additionalData, {
		httpRequest: {
			method,
			headers: request.contentType ? { 'content-type': request.contentType } : {},
			contentType: request.contentType,
			rawBody: request.rawBody === undefined ? undefined : Buffer.from(request.rawBody),
			body: request.body ?? {},
			query: request.query ?? {},
		},
		httpResponse: response,
	});
	const webhookData = {
		httpMethod: method,
		node: node.name,
		path: 'platformly',
		webhookDescription: nodeType.description.webhooks!.find(
			({ httpMethod }) => httpMethod === method,
		)!,
		workflowId: 'trigger-workflow',
		workflowExecuteAdditionalData: additionalData,
	} as unknown as IWebhookData;
	const context = new WebhookContext(
		workflow,
		workflowNode,
		additionalData,
		'webhook',
		webhookData,
		[],
		null,
	);
	run.result = await nodeType.webhook!.call(context);
	run.item = run.result.workflowData?.[0]?.[0]?.json;
	return run;
}
