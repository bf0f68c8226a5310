import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { findPrepareItem } from './resources';
import type { ItemCalls, ItemOutcome, PrepareItem, SendRequest } from './resources/types';
import type { RequestSettings } from './settings';
import { readRequestSettings } from './settings';
import { READ_ONLY_ACTIONS } from './shared/actions';
import type { RetryPolicy } from './shared/retry';
import { decideRetry, withAttempts } from './shared/retry';
import type { Sleep } from './shared/scheduler';
import { cancellableSleep, forEachConcurrently, RequestGate } from './shared/scheduler';
import type { PlatformlyClient, PlatformlyOutcome, PlatformlyRequest } from './shared/transport';
import { createPlatformlyClient, failureToNodeError } from './shared/transport';

type PreparedItem = { calls: ItemCalls } | { error: NodeOperationError };

/** Thrown by an item's `send` once the run has stopped, so its remaining calls are never made. */
class RunStopped extends Error {}

/** The item n8n shows for a failed input when "Continue on fail" or the error output is on. */
function errorItem(error: NodeOperationError | NodeApiError, itemIndex: number): INodeExecutionData {
	return { json: { error: error.message }, error, pairedItem: { item: itemIndex } };
}

function prepareItem(context: IExecuteFunctions, prepare: PrepareItem, itemIndex: number): PreparedItem {
	try {
		return { calls: prepare(context, itemIndex) };
	} catch (error) {
		// Field errors pass through unchanged; n8n's own (a failing expression) get the item attached.
		const itemError = new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		if (!context.continueOnFail()) throw itemError;
		return { error: itemError };
	}
}

/** Reads change nothing, so sending one again is always safe. */
function retryPolicyFor(request: PlatformlyRequest, settings: RequestSettings): RetryPolicy {
	return READ_ONLY_ACTIONS.has(request.action) ? { ...settings.retry, retryUncertain: true } : settings.retry;
}

/** What one item has spent waiting between attempts, all its requests together. */
interface WaitBudget {
	waitedMs: number;
}

/**
 * Sends one request, and again after failures that left it certainly unprocessed (or, if the
 * user allows it or it only reads, possibly processed), waiting as the retry policy says. The
 * item's wait budget counts every wait between attempts as the clock measures it, pauses caused
 * by other items' 429s included, and no wait may take it past Max Retry Wait. Once the run has
 * stopped, sends nothing more and returns nothing.
 */
async function sendWithRetries(
	client: PlatformlyClient,
	gate: RequestGate,
	sleep: Sleep,
	settings: RequestSettings,
	request: PlatformlyRequest,
	budget: WaitBudget,
	runStopped: () => boolean,
): Promise<PlatformlyOutcome | undefined> {
	const policy = retryPolicyFor(request, settings);
	await gate.waitForTurn();
	for (let retries = 0; ; retries++) {
		if (runStopped()) return undefined;
		const outcome = await gate.timed(() => client.send(request));
		if (outcome.ok) return outcome;
		const state = { retries, waitedMs: budget.waitedMs, pauseRemainingMs: gate.pauseRemainingMs() };
		const decision = decideRetry(outcome.failure, state, policy);
		const giveUp = (overBudget?: boolean): PlatformlyOutcome => ({
			ok: false,
			failure: withAttempts(
				outcome.failure,
				retries + 1,
				budget.waitedMs,
				overBudget ? policy.maxTotalWaitMs : undefined,
			),
		});
		if (!decision.retry) return giveUp(decision.overBudget);

		const waitStartedAt = Date.now();
		const latestStartAt = waitStartedAt + policy.maxTotalWaitMs - budget.waitedMs;
		if (decision.pauseEveryone) gate.pauseFor(decision.waitMs);
		else await sleep(decision.waitMs);
		const gotTurn = await gate.waitForTurn(latestStartAt);
		budget.waitedMs += Date.now() - waitStartedAt;
		if (!gotTurn) return giveUp(true);
	}
}

/**
 * Runs the chosen operation for every input item. All items are checked before the first request,
 * so one bad item stops the run with nothing sent, unless "Continue on fail" turns it into an
 * error item of its own. (Checking each item just before its request was measured slower: n8n's
 * expression evaluation then holds up the requests in flight.) Items then run side by side up
 * to the concurrency limit, each making its calls in turn; the output keeps input order, each
 * input item's output (one item, or one per entry of a list) paired with it.
 */
export async function runOperation(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const prepare = findPrepareItem(resource, operation);
	if (!prepare) {
		throw new NodeOperationError(context.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}

	const settings = readRequestSettings(context);
	const items = context.getInputData();
	const prepared = items.map((_item, itemIndex) => prepareItem(context, prepare, itemIndex));
	const client = await createPlatformlyClient(context, settings.timeoutMs);
	const signal = context.getExecutionCancelSignal();
	const sleep = cancellableSleep(signal);
	const gate = new RequestGate(settings.maxRequestsPerSecond, settings.concurrency, sleep);
	const continueOnFail = context.continueOnFail();

	const results: INodeExecutionData[][] = new Array(prepared.length);
	let stoppedBy: Error | undefined;
	const runStopped = () => Boolean(stoppedBy || signal?.aborted);

	async function processItem(itemIndex: number): Promise<void> {
		const item = prepared[itemIndex];
		if ('error' in item) {
			results[itemIndex] = [errorItem(item.error, itemIndex)];
			return;
		}
		const budget: WaitBudget = { waitedMs: 0 };
		const send: SendRequest = async (request) => {
			const outcome = await sendWithRetries(client, gate, sleep, settings, request, budget, runStopped);
			if (!outcome) throw new RunStopped();
			return outcome;
		};
		let outcome: ItemOutcome;
		try {
			outcome = await item.calls(send);
		} catch (error) {
			if (error instanceof RunStopped) return;
			// Otherwise a wait was cut short because the execution was cancelled.
			stoppedBy ??= new NodeOperationError(context.getNode(), error as Error, { itemIndex });
			return;
		}
		if (outcome.ok) {
			results[itemIndex] = context.helpers.constructExecutionMetaData(
				context.helpers.returnJsonArray(outcome.json),
				{ itemData: { item: itemIndex } },
			);
			return;
		}
		const error = failureToNodeError(context.getNode(), outcome.failure, itemIndex);
		if (continueOnFail) results[itemIndex] = [errorItem(error, itemIndex)];
		else stoppedBy ??= error;
	}

	await forEachConcurrently(prepared.length, settings.concurrency, processItem, runStopped);
	if (signal?.aborted) {
		throw new NodeOperationError(context.getNode(), 'The execution was cancelled before every item was sent');
	}
	if (stoppedBy) throw stoppedBy;
	return results.flat();
}
