import type { IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import type { NodeOperationError } from 'n8n-workflow';

import { cancelledRun, failureToNodeError, itemReadError, unsupportedOperation } from './errors';
import { readOptions } from './options';
import { findOperation } from './resources';
import { forEachConcurrently } from './helpers/concurrency';
import { createSender } from './transport/sender';
import type { ItemTask, Operation } from './types';

type PreparedItem = { task: ItemTask } | { error: NodeOperationError };

/** The item n8n shows for a failed input when "Continue on fail" or the error output is on. */
function errorItem(
	error: NodeOperationError | NodeApiError,
	itemIndex: number,
): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem: { item: itemIndex } };
}

function prepareItem(
	context: IExecuteFunctions,
	operation: Operation,
	itemIndex: number,
): PreparedItem {
	try {
		return { task: operation.prepare(context, itemIndex) };
	} catch (error) {
		// Field errors pass through unchanged; n8n's own (a failing expression) get the item attached.
		const itemError = itemReadError(context.getNode(), error as Error, itemIndex);
		if (!context.continueOnFail()) throw itemError;
		return { error: itemError };
	}
}

/**
 * Runs the chosen operation for every input item. All items are checked before the first request,
 * so one bad item stops the run with nothing sent, unless "Continue on fail" turns it into an
 * error item of its own. (Checking each item just before its request was measured slower: n8n's
 * expression evaluation then holds up the requests in flight.) Items then run side by side up
 * to the concurrency limit, each doing its task; the output keeps input order, each input item's
 * output (one item, or one per entry of a list) paired with it.
 */
export async function runOperation(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operationName = context.getNodeParameter('operation', 0) as string;
	const operation = findOperation(resource, operationName);
	if (!operation) throw unsupportedOperation(context.getNode(), resource, operationName);

	const options = readOptions(context);
	const items = context.getInputData();
	const prepared = items.map((_item, itemIndex) => prepareItem(context, operation, itemIndex));

	const signal = context.getExecutionCancelSignal();
	let stoppedBy: Error | undefined;
	const isStopped = () => Boolean(stoppedBy || signal?.aborted);
	const sender = await createSender(context, options, isStopped);
	const continueOnFail = context.continueOnFail();
	const results: INodeExecutionData[][] = new Array(prepared.length);

	async function runItem(itemIndex: number): Promise<void> {
		const item = prepared[itemIndex];
		if ('error' in item) {
			results[itemIndex] = [errorItem(item.error, itemIndex)];
			return;
		}
		const outcome = await item.task(sender.forItem());
		if (outcome.ok) {
			results[itemIndex] = context.helpers.constructExecutionMetaData(
				context.helpers.returnJsonArray(outcome.value),
				{ itemData: { item: itemIndex } },
			);
			return;
		}
		// The run ends with the failure or the cancellation that stopped it, not with this item.
		if (outcome.failure.kind === 'stopped') return;
		const error = failureToNodeError(context.getNode(), outcome.failure, itemIndex);
		if (continueOnFail) results[itemIndex] = [errorItem(error, itemIndex)];
		else stoppedBy ??= error;
	}

	try {
		await forEachConcurrently(prepared.length, options.concurrency, runItem, isStopped);
	} finally {
		sender.close();
	}
	if (signal?.aborted) throw cancelledRun(context.getNode());
	if (stoppedBy) throw stoppedBy;
	return results.flat();
}
