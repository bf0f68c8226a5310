import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { findPrepareRequest } from './resources';
import { readRequestSettings } from './settings';
import type { PrepareRequest } from './resources/types';
import type { PlatformlyClient, PlatformlyRequest } from './shared/transport';
import { createPlatformlyClient, failureToNodeError } from './shared/transport';

type PreparedItem = { request: PlatformlyRequest } | { error: NodeOperationError };

/** The item n8n shows for a failed input when "Continue on fail" or the error output is on. */
function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	return { json: { error: error.message }, error: error as NodeOperationError, pairedItem: { item: itemIndex } };
}

function prepareItem(context: IExecuteFunctions, prepare: PrepareRequest, itemIndex: number): PreparedItem {
	try {
		return { request: prepare(context, itemIndex) };
	} catch (error) {
		// Field errors pass through unchanged; n8n's own (a failing expression) get the item attached.
		const itemError = new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		if (!context.continueOnFail()) throw itemError;
		return { error: itemError };
	}
}

async function sendItem(
	context: IExecuteFunctions,
	client: PlatformlyClient,
	request: PlatformlyRequest,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const outcome = await client.send(request);
	if (!outcome.ok) {
		const error = failureToNodeError(context.getNode(), outcome.failure, itemIndex);
		if (!context.continueOnFail()) throw error;
		return [errorItem(error, itemIndex)];
	}
	return context.helpers.constructExecutionMetaData(context.helpers.returnJsonArray(outcome.answer), {
		itemData: { item: itemIndex },
	});
}

/**
 * Runs the chosen operation for every input item. All items are checked before the first request,
 * so one bad item stops the run with nothing sent, unless "Continue on fail" turns it into an
 * error item of its own.
 */
export async function runOperation(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const prepare = findPrepareRequest(resource, operation);
	if (!prepare) {
		throw new NodeOperationError(context.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}

	const items = context.getInputData();
	const prepared = items.map((_item, itemIndex) => prepareItem(context, prepare, itemIndex));
	const client = await createPlatformlyClient(context, readRequestSettings(context).timeoutMs);

	const results: INodeExecutionData[][] = [];
	for (const [itemIndex, item] of prepared.entries()) {
		results.push('error' in item ? [errorItem(item.error, itemIndex)] : await sendItem(context, client, item.request, itemIndex));
	}
	return results.flat();
}
