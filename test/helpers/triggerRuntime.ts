import { ExecuteContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	IExecuteData,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookData,
	IWebhookResponseData,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { PlatformlyTrigger } from '../../nodes/Platformly/PlatformlyTrigger.node';
import { createAdditionalData, onlyNodeType, TEST_API_KEY, TEST_BASE_URL } from './n8nRuntime';

/**
 * Runs the Platformly Trigger the way n8n does: its webhook in n8n-core's real WebhookContext,
 * then, when the webhook started an execution, its `execute` on the items it returned, in a real
 * ExecuteContext. What n8n's web server does before the webhook (parse a JSON or form body, read
 * the raw bytes, set the media type) is given as `request`; the answer the trigger writes itself
 * is recorded.
 */

export const TEST_SECRET = 'unitTestSecret-5b1e7c9a';

export interface PostedRequest {
	method?: 'POST' | 'GET';
	contentType?: string;
	contentEncoding?: string;
	/** The body as sent; its bytes become n8n's rawBody. */
	rawBody?: string;
	/** The body as n8n parsed it. */
	body?: unknown;
	query?: IDataObject;
}

export interface TriggerRun {
	/** What the trigger answered itself, if it did: it does only to turn a post away. */
	answer?: { status: number; body: IDataObject };
	result: IWebhookResponseData;
	/** The trigger's output in the execution the post started, if it started one. */
	output?: INodeExecutionData[];
	/** The JSON of that output's one item. */
	item?: IDataObject;
}

const nodeType: INodeType = new PlatformlyTrigger();
const nodeTypes = onlyNodeType(nodeType);

/**
 * `platformly` is the trigger's Platformly API credential (null for none); `secret`, when given,
 * is its Trigger Secret.
 */
export async function postToTrigger(
	request: PostedRequest,
	{
		parameters = {},
		secret,
		platformly = { apiKey: TEST_API_KEY, baseUrl: TEST_BASE_URL },
	}: { parameters?: INodeParameters; secret?: string; platformly?: IDataObject | null } = {},
): Promise<TriggerRun> {
	const node: INode = {
		id: 'platformly-trigger',
		name: 'Platformly Trigger',
		type: 'n8n-nodes-platformly.platformlyTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'trigger-webhook-id',
		parameters,
		credentials: platformly ? { platformlyApi: { id: 'cred-1', name: 'Platformly account' } } : {},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: true, nodeTypes });
	const workflowNode = workflow.getNode(node.name) as INode;
	const credential = { ...platformly, ...(secret === undefined ? {} : { triggerSecret: secret }) };
	const additionalData = createAdditionalData(credential as never);
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
			headers: {
				...(request.contentType && { 'content-type': request.contentType }),
				...(request.contentEncoding && { 'content-encoding': request.contentEncoding }),
			},
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
	const items = run.result.workflowData?.[0];
	if (items) {
		const executeData: IExecuteData = { node: workflowNode, data: { main: [items] }, source: null };
		const execution = new ExecuteContext(
			workflow,
			workflowNode,
			additionalData,
			'webhook',
			createRunExecutionData(),
			0,
			items,
			{ main: [items] },
			executeData,
			[],
		);
		[run.output] = (await nodeType.execute!.call(execution)) as INodeExecutionData[][];
		run.item = run.output[0]?.json;
	}
	return run;
}
