import type { IExecuteFunctions } from 'n8n-workflow';

import type { PlatformlyFailure } from '../errors';
import { defect, runStoppedFailure, withAttempts } from '../errors';
import type { Options } from '../options';
import type { Answer, Outcome, PlatformlyCall, Send } from '../types';
import { accountGates } from './accountGate';
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
	/** Lets go of the account's shared gate; once, when the run is over. */
	close(): void;
}

/** What one item has spent waiting between attempts so far, all its calls together. */
interface WaitBudget {
	waitedMs: number;
}

/**
 * Owns a request's life, from its turn at the gate to its final outcome: it waits for the gate
 * (concurrency spacing, the rate limit, a pause Platformly asked for, a free slot among the
 * account's requests in this process), sends, decides on a failure whether to try again, pauses
 * everyone on a 429, backs off, and tries again. Once the run has stopped, a call is not sent
 * and its outcome says so. The router only hands each item a `send`.
 */
export async function createSender(
	context: IExecuteFunctions,
	options: Options,
	isStopped: () => boolean,
): Promise<Sender> {
	const client = await createPlatformlyClient(context, options.timeoutMs);
	const signal = context.getExecutionCancelSignal();
	const sleep = cancellableSleep(signal);
	const lease = accountGates.join(client.account);
	const gate = new RequestGate(options, lease.gate, sleep);
	const slots: ProcessSlots = {
		take: () => lease.gate.acquire(options.processConcurrency, signal),
		give: () => lease.gate.release(),
	};
	const life = new RequestLife(client, gate, slots, sleep, options.retry, isStopped);
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
		close: lease.leave,
	};
}

/** How a request's turn ended: sent, too late for the item's wait budget, or the run stopped. */
type Turn =
	| { kind: 'sent'; waitedMs: number; outcome: Outcome<Answer> }
	| { kind: 'late'; waitedMs: number }
	| { kind: 'stopped'; waitedMs: number };

/** The account's requests in flight in this process, at most Concurrency per Process. */
interface ProcessSlots {
	take(): Promise<void>;
	give(): void;
}

class RequestLife {
	constructor(
		private readonly client: PlatformlyClient,
		private readonly gate: RequestGate,
		private readonly slots: ProcessSlots,
		private readonly sleep: Sleep,
		private readonly retry: RetryPolicy,
		private readonly isStopped: () => boolean,
	) {}

	/**
	 * Sends one call, and again after failures that left it certainly unprocessed (or, if the
	 * user allows it or it only reads, possibly processed). The item's wait budget counts every
	 * wait between attempts as the clock measures it, pauses caused by other items' 429s
	 * included, and no wait may take it past Max Retry Wait. Waiting for a free slot among the
	 * process's requests is not counted: it is waiting for other work, as an item not yet
	 * started waits for Concurrency.
	 */
	async run(call: PlatformlyCall, budget: WaitBudget): Promise<Outcome<Answer>> {
		// Reads change nothing, so sending one again is always safe.
		const policy = READ_ONLY_ACTIONS.has(call.action)
			? { ...this.retry, retryUncertain: true }
			: this.retry;
		const giveUp = (failure: PlatformlyFailure, attempts: number, overBudget?: boolean) => ({
			ok: false as const,
			failure: withAttempts(
				failure,
				attempts,
				budget.waitedMs,
				overBudget ? policy.maxTotalWaitMs : undefined,
			),
		});
		let latestStartAt = Number.POSITIVE_INFINITY;
		let failure: PlatformlyFailure | undefined;
		for (let retries = 0; ; retries++) {
			const turn = await this.takeTurn(call, latestStartAt);
			if (retries > 0) budget.waitedMs += turn.waitedMs;
			if (turn.kind === 'stopped') return { ok: false, failure: runStoppedFailure() };
			// Only a retry has a latest start, so a turn comes late only after a failure.
			if (turn.kind === 'late') return giveUp(failure!, retries, true);

			const { outcome } = turn;
			if (outcome.ok) return outcome;
			failure = outcome.failure;
			const state = {
				retries,
				waitedMs: budget.waitedMs,
				pauseRemainingMs: this.gate.pauseRemainingMs(),
			};
			const decision = decideRetry(failure, state, policy);
			if (!decision.retry) return giveUp(failure, retries + 1, decision.overBudget);

			const waitStartedAt = Date.now();
			latestStartAt = waitStartedAt + policy.maxTotalWaitMs - budget.waitedMs;
			if (decision.pauseEveryone) this.gate.pauseFor(decision.waitMs);
			else await this.sleep(decision.waitMs);
			budget.waitedMs += Date.now() - waitStartedAt;
		}
	}

	/**
	 * Waits for the gate, then for a slot, and sends. A 429 that arrives while the request waits
	 * for its slot pauses it too, so it goes back to the gate. `waitedMs` is the time spent at the
	 * gate, the slot waits left out.
	 */
	private async takeTurn(call: PlatformlyCall, latestStartAt: number): Promise<Turn> {
		let waitedMs = 0;
		for (;;) {
			const gateStartedAt = Date.now();
			const gotTurn = await this.gate.waitForTurn(latestStartAt);
			waitedMs += Date.now() - gateStartedAt;
			if (!gotTurn) return { kind: 'late', waitedMs };
			await this.slots.take();
			if (this.gate.pauseRemainingMs() > 0) {
				this.slots.give();
				continue;
			}
			try {
				if (this.isStopped()) return { kind: 'stopped', waitedMs };
				const outcome = await this.gate.timed(() => this.client.send(call));
				return { kind: 'sent', waitedMs, outcome };
			} finally {
				this.slots.give();
			}
		}
	}
}
