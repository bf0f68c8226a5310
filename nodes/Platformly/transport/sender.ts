import type { IExecuteFunctions } from 'n8n-workflow';

import { defect, runStoppedFailure, withAttempts } from '../errors';
import type { Options } from '../options';
import type { Answer, Outcome, PlatformlyCall, Send } from '../types';
import { READ_ONLY_ACTIONS } from './actions';
import type { PlatformlyClient } from './client';
import { createPlatformlyClient } from './client';
import type { RetryPolicy } from './retry';
import { decideRetry } from './retry';
import type { Sleep } from './scheduler';
import { cancellableSleep, RequestGate } from './scheduler';

export interface Sender {
	/** A `send` for one item; the item's calls share one wait budget (Max Retry Wait). */
	forItem(): Send;
}

/** What one item has spent waiting between attempts so far, all its calls together. */
interface WaitBudget {
	waitedMs: number;
}

/**
 * Owns a request's life, from its turn at the gate to its final outcome: it waits for the gate
 * (concurrency spacing, the rate limit, a pause Platformly asked for), sends, decides on a
 * failure whether to try again, pauses everyone on a 429, backs off, and tries again. Once the
 * run has stopped, a call is not sent and its outcome says so. The router only hands each item
 * a `send`.
 */
export async function createSender(
	context: IExecuteFunctions,
	options: Options,
	isStopped: () => boolean,
): Promise<Sender> {
	const client = await createPlatformlyClient(context, options.timeoutMs);
	const signal = context.getExecutionCancelSignal();
	const sleep = cancellableSleep(signal);
	const gate = new RequestGate(options.maxRequestsPerSecond, options.concurrency, sleep);
	const life = new RequestLife(client, gate, sleep, options.retry, isStopped);
	return {
		forItem() {
			const budget: WaitBudget = { waitedMs: 0 };
			return async (call) => {
				try {
					return await life.run(call, budget);
				} catch (error) {
					// The waits reject when the execution is cancelled: the run ends there.
					if (signal?.aborted) return { ok: false, failure: runStoppedFailure() };
					throw defect(context.getNode(), error as Error);
				}
			};
		},
	};
}

class RequestLife {
	constructor(
		private readonly client: PlatformlyClient,
		private readonly gate: RequestGate,
		private readonly sleep: Sleep,
		private readonly retry: RetryPolicy,
		private readonly isStopped: () => boolean,
	) {}

	/**
	 * Sends one call, and again after failures that left it certainly unprocessed (or, if the
	 * user allows it or it only reads, possibly processed). The item's wait budget counts every
	 * wait between attempts as the clock measures it, pauses caused by other items' 429s
	 * included, and no wait may take it past Max Retry Wait.
	 */
	async run(call: PlatformlyCall, budget: WaitBudget): Promise<Outcome<Answer>> {
		// Reads change nothing, so sending one again is always safe.
		const policy = READ_ONLY_ACTIONS.has(call.action)
			? { ...this.retry, retryUncertain: true }
			: this.retry;
		await this.gate.waitForTurn();
		for (let retries = 0; ; retries++) {
			if (this.isStopped()) return { ok: false, failure: runStoppedFailure() };
			const outcome = await this.gate.timed(() => this.client.send(call));
			if (outcome.ok) return outcome;
			const state = {
				retries,
				waitedMs: budget.waitedMs,
				pauseRemainingMs: this.gate.pauseRemainingMs(),
			};
			const decision = decideRetry(outcome.failure, state, policy);
			const giveUp = (overBudget?: boolean): Outcome<Answer> => ({
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
			if (decision.pauseEveryone) this.gate.pauseFor(decision.waitMs);
			else await this.sleep(decision.waitMs);
			const gotTurn = await this.gate.waitForTurn(latestStartAt);
			budget.waitedMs += Date.now() - waitStartedAt;
			if (!gotTurn) return giveUp(true);
		}
	}
}
