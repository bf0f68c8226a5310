import type { FailureKind, PlatformlyFailure } from './failures';

export interface RetryPolicy {
	/** How often one request is sent again after its first attempt; 0 turns retrying off. */
	maxRetries: number;
	/**
	 * The most one item may spend waiting, over all of its requests: its own backoff between
	 * attempts, and every pause of the account it sits through, from its first turn on, whichever
	 * request (of this run or another) Platformly answered with 429.
	 */
	maxTotalWaitMs: number;
	/** The setting maxTotalWaitMs comes from, as errors name it. */
	waitLimitName: string;
	/** Also retry failures after which Platformly may already have made the change. */
	retryUncertain: boolean;
}

/** Platformly said "not now" or nothing connected: the request was certainly not processed. */
const NOTHING_PROCESSED: ReadonlySet<FailureKind> = new Set([
	'rate-limited',
	'unavailable',
	'refused',
]);

/** The request may have been processed before it failed, so sending it again could fire twice. */
const MAYBE_PROCESSED: ReadonlySet<FailureKind> = new Set([
	'timeout',
	'server',
	'network',
	'cut-off',
]);

const FIRST_BACKOFF_MS = 250;
const LONGEST_BACKOFF_MS = 30_000;

export type RetryDecision =
	{ retry: true; waitMs: number; pauseEveryone: boolean } | { retry: false; overBudget?: boolean };

/** Where one item stands when a request of it has just failed. */
export interface RetryState {
	/** Retries this request has had so far. */
	retries: number;
	/** What the item has spent waiting between attempts so far, all its requests together. */
	waitedMs: number;
	/** The pause for everyone still to run, which this item will sit through too. */
	pauseRemainingMs: number;
}

/**
 * Exponential backoff with jitter, so that many items failing at once do not come back at once.
 * A Retry-After from Platformly is a floor, never shortened.
 */
export function backoffMs(retriesSoFar: number, random: () => number = Math.random): number {
	const ceiling = Math.min(LONGEST_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** retriesSoFar);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function decideRetry(
	failure: PlatformlyFailure,
	{ retries, waitedMs, pauseRemainingMs }: RetryState,
	policy: RetryPolicy,
	random: () => number = Math.random,
): RetryDecision {
	const retryable =
		NOTHING_PROCESSED.has(failure.kind) ||
		(policy.retryUncertain && MAYBE_PROCESSED.has(failure.kind));
	if (!retryable || retries >= policy.maxRetries) return { retry: false };

	const waitMs = Math.max(failure.retryAfterMs ?? 0, backoffMs(retries, random));
	if (waitedMs + Math.max(waitMs, pauseRemainingMs) > policy.maxTotalWaitMs) {
		return { retry: false, overBudget: true };
	}
	// A 429 is about the whole client, not this one request: everyone holds off.
	return { retry: true, waitMs, pauseEveryone: failure.kind === 'rate-limited' };
}
