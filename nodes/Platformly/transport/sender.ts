import type { IExecuteFunctions } from 'n8n-workflow';

import type { WaitLimit } from '../errors';
import {
	answerPastDeadlineFailure,
	defect,
	notSentInTimeFailure,
	pausePastWaitLimitFailure,
	runStoppedFailure,
	withAttempts,
} from '../errors';
import type { Options } from '../options';
import { NUMBER_OPTION_RANGES } from '../options';
import type { Answer, Outcome, PlatformlyCall, Send } from '../types';
import type { AccountGateLease } from './accountGate';
import { accountGates } from './accountGate';
import type { AccountPace } from './accountPace';
import { READ_ONLY_ACTIONS } from './actions';
import type { PlatformlyClient } from './client';
import { createPlatformlyClient } from './client';
import type { PlatformlyFailure } from './failures';
import { decideRetry } from './retry';
import { RunPacer } from './pacer';
import type { Sleep } from './waits';
import { abortableSleep, cancellableSleep } from './waits';

export interface Sender {
	/**
	 * A `send` for one item; the item's calls share one wait budget (Max Retry Wait). With
	 * `deadlineAt` (epoch milliseconds), nothing of the item outlasts it: no pause is sat
	 * through, no slot waited for and no request kept open past it.
	 */
	forItem(deadlineAt?: number): Send;
	/** Lets go of the account's shared gate; once, when the run is over. */
	close(): void;
}

/**
 * The longest pause a Retry-After can put on the account: no setting lets an item wait longer
 * (Max Retry Wait's largest value), and a bogus header must not hold the account for days.
 */
const LONGEST_ACCOUNT_PAUSE_MS = NUMBER_OPTION_RANGES.maxRetryWait.max;

/** What one item has spent waiting so far, all its calls together. */
interface ItemWaits {
	waitedMs: number;
}

/**
 * Owns a request's life, from its turn to its final outcome: it waits for the run's pacer (the
 * spacing, the rate limit, a pause Platformly asked for) and for a free slot at the account's gate
 * (among the account's requests in this process), sends, decides on a failure whether to try again,
 * pauses everyone on a 429, backs off, and tries again. Once the run has stopped, a call is not
 * sent and its outcome says so. The router only hands each item a `send`.
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
	const pacer = new RunPacer(options, lease.gate, sleep);
	const calls = new CallSender(client, pacer, lease, sleep, options, isStopped, signal);
	return {
		forItem(deadlineAt = Number.POSITIVE_INFINITY) {
			const waits: ItemWaits = { waitedMs: 0 };
			return async (call) => {
				try {
					return await calls.run(call, waits, deadlineAt);
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

/**
 * How a request's turn ended: sent, too late (for the item's wait budget or deadline; `failure`
 * says why when nothing had been sent before), or the run stopped. `pausedMs` is the time it sat
 * in the account's pauses.
 */
type TurnEnd =
	| { kind: 'sent'; pausedMs: number; outcome: Outcome<Answer> }
	| { kind: 'late'; pausedMs: number; failure: PlatformlyFailure; sent: boolean }
	| { kind: 'stopped'; pausedMs: number };

class CallSender {
	constructor(
		private readonly client: PlatformlyClient,
		private readonly pacer: RunPacer,
		private readonly slots: AccountGateLease,
		private readonly sleep: Sleep,
		private readonly options: Options,
		private readonly isStopped: () => boolean,
		private readonly signal: AbortSignal | undefined,
	) {}

	/**
	 * Sends one call, and again after failures that left it certainly unprocessed (or, if the
	 * user allows it or it only reads, possibly processed). The item's wait budget counts, by the
	 * clock, every pause of the account it sits through from its first turn on, whoever's 429
	 * caused it, and its own backoff between attempts; no wait may take it past Max Retry Wait,
	 * and a pause that would is not sat through: the item fails, unsent if it had not been sent.
	 * Waiting for a free slot among the process's requests, or for the spacing, is not counted:
	 * it is waiting for other work, as an item not yet started waits for Concurrency.
	 */
	async run(call: PlatformlyCall, waits: ItemWaits, deadlineAt: number): Promise<Outcome<Answer>> {
		const retry = this.options.retry;
		// Reads change nothing, so sending one again is always safe.
		const policy = READ_ONLY_ACTIONS.has(call.action) ? { ...retry, retryUncertain: true } : retry;
		const waitLimit = { name: policy.waitLimitName, ms: policy.maxTotalWaitMs };
		const giveUp = (failure: PlatformlyFailure, attempts: number, pastLimit?: boolean) => ({
			ok: false as const,
			failure: withAttempts(failure, attempts, waits.waitedMs, pastLimit ? waitLimit : undefined),
		});
		let failure: PlatformlyFailure | undefined;
		for (let attempts = 0; ; attempts++) {
			const pauseDeadline = Math.min(
				Date.now() + policy.maxTotalWaitMs - waits.waitedMs,
				deadlineAt,
			);
			const turn = await this.takeTurn(call, pauseDeadline, deadlineAt, waitLimit);
			waits.waitedMs += turn.pausedMs;
			if (turn.kind === 'stopped') return { ok: false, failure: runStoppedFailure() };
			if (turn.kind === 'late') {
				return giveUp(failure ?? turn.failure, attempts + (turn.sent ? 1 : 0), true);
			}

			const { outcome } = turn;
			if (outcome.ok) return outcome;
			failure = outcome.failure;
			// Platformly's Retry-After is about the whole account: everyone in the process holds
			// off, whether or not this item can wait that long itself.
			if (failure.kind === 'rate-limited' && failure.retryAfterMs !== undefined) {
				this.pacer.pauseFor(Math.min(failure.retryAfterMs, LONGEST_ACCOUNT_PAUSE_MS));
			}
			const state = {
				retries: attempts,
				waitedMs: waits.waitedMs,
				pauseRemainingMs: this.pacer.pauseRemainingMs(),
			};
			const decision = decideRetry(failure, state, policy);
			if (!decision.retry) return giveUp(failure, attempts + 1, decision.overBudget);
			if (decision.pauseEveryone) {
				this.pacer.pauseFor(decision.waitMs);
				continue;
			}
			if (Date.now() + decision.waitMs > deadlineAt) return giveUp(failure, attempts + 1, true);
			const waitStartedAt = Date.now();
			await this.sleep(decision.waitMs);
			waits.waitedMs += Date.now() - waitStartedAt;
		}
	}

	/**
	 * Waits for the pacer, then for a slot at the account's gate, then for the account's pace, and
	 * sends, telling the pace whether Platformly refused it. A 429 that arrives while the request
	 * waits for its slot or its pace pauses it too, so it goes back to the pacer.
	 */
	private async takeTurn(
		call: PlatformlyCall,
		pauseDeadline: number,
		deadlineAt: number,
		waitLimit: WaitLimit,
	): Promise<TurnEnd> {
		let pausedMs = 0;
		const late = (failure: PlatformlyFailure, sent = false): TurnEnd => ({
			kind: 'late',
			pausedMs,
			failure,
			sent,
		});
		for (;;) {
			const turn = await this.pacer.waitToStart(pauseDeadline);
			pausedMs += turn.pausedMs;
			if (!turn.ok) {
				return late(pausePastWaitLimitFailure(this.pacer.pauseRemainingMs(), waitLimit));
			}
			const slot = await this.takeSlot(deadlineAt);
			if (slot === 'stopped') return { kind: 'stopped', pausedMs };
			if (slot === 'late') return late(notSentInTimeFailure(waitLimit));
			try {
				if (this.pacer.pauseRemainingMs() > 0) continue;
				const paceWaitMs = this.pace.reserveStart();
				if (paceWaitMs > 0) {
					if (Date.now() + paceWaitMs > deadlineAt) return late(notSentInTimeFailure(waitLimit));
					await this.sleep(paceWaitMs);
					// A 429 that came meanwhile pauses this request too.
					if (this.pacer.pauseRemainingMs() > 0) continue;
				}
				if (this.isStopped()) return { kind: 'stopped', pausedMs };
				const untilDeadlineMs = deadlineAt - Date.now();
				const endsAtDeadline = untilDeadlineMs <= this.options.timeoutMs;
				const timeoutMs = endsAtDeadline ? untilDeadlineMs : this.options.timeoutMs;
				if (timeoutMs < 1) return late(notSentInTimeFailure(waitLimit));
				const startedAt = Date.now();
				const outcome = await this.pacer.timed(() => this.client.send(call, timeoutMs));
				if (!outcome.ok && outcome.failure.kind === 'rate-limited') this.pace.onRefused(startedAt);
				else this.pace.onAccepted(startedAt);
				// A request whose timeout is the item's deadline ends by the deadline, however slow
				// Platformly was: an earlier failure, if any, stays the reason given.
				if (endsAtDeadline && !outcome.ok && outcome.failure.kind === 'timeout') {
					const readOnly = READ_ONLY_ACTIONS.has(call.action);
					return late(answerPastDeadlineFailure(waitLimit, readOnly), true);
				}
				return { kind: 'sent', pausedMs, outcome };
			} finally {
				this.slots.release();
			}
		}
	}

	private get pace(): AccountPace {
		return this.slots.gate.pace;
	}

	/**
	 * Takes one of the account's slots, or says why not: `deadlineAt` came first, or the execution
	 * was cancelled (the gate only ever turns a request away for its signal). Whether a slot is
	 * held is the gate's answer alone: a request it granted is never left unreleased.
	 */
	private async takeSlot(deadlineAt: number): Promise<'taken' | 'late' | 'stopped'> {
		const limit = this.options.processConcurrency;
		const finished = new AbortController();
		let signal = this.signal;
		if (deadlineAt !== Number.POSITIVE_INFINITY) {
			const expired = new AbortController();
			void abortableSleep(deadlineAt - Date.now(), finished.signal).then(
				() => expired.abort(),
				() => undefined,
			);
			signal = signal ? AbortSignal.any([signal, expired.signal]) : expired.signal;
		}
		try {
			await this.slots.acquire(limit, signal);
			return 'taken';
		} catch {
			return this.signal?.aborted ? 'stopped' : 'late';
		} finally {
			finished.abort();
		}
	}
}
