import type { PlatformlyFailure } from '../../nodes/Platformly/transport/failures';
import { withAttempts } from '../../nodes/Platformly/errors';
import { backoffMs, decideRetry } from '../../nodes/Platformly/transport/retry';

const policy = {
	maxRetries: 5,
	maxTotalWaitMs: 60_000,
	retryUncertain: false,
	waitLimitName: 'Max Retry Wait',
};
const failure = (kind: PlatformlyFailure['kind'], retryAfterMs?: number): PlatformlyFailure => ({
	kind,
	message: kind,
	description: 'What happened.',
	retryAfterMs,
});
const middle = () => 0.5;
/** The state of a request's first failure, nothing waited yet and no pause running. */
const first = { retries: 0, waitedMs: 0, pauseRemainingMs: 0 };
const after = (retries: number, waitedMs = 0, pauseRemainingMs = 0) => ({
	retries,
	waitedMs,
	pauseRemainingMs,
});

describe('decideRetry', () => {
	test.each(['rate-limited', 'unavailable', 'refused'] as const)(
		'retries %s, which left nothing processed',
		(kind) => {
			expect(decideRetry(failure(kind), first, policy, middle)).toEqual({
				retry: true,
				waitMs: 188,
				pauseEveryone: kind === 'rate-limited',
			});
		},
	);

	test.each(['timeout', 'server', 'network', 'cut-off'] as const)(
		'leaves %s alone unless the user allows it',
		(kind) => {
			expect(decideRetry(failure(kind), first, policy, middle)).toEqual({ retry: false });
			expect(
				decideRetry(failure(kind), first, { ...policy, retryUncertain: true }, middle),
			).toEqual({
				retry: true,
				waitMs: 188,
				pauseEveryone: false,
			});
		},
	);

	test.each([
		'platformly',
		'auth',
		'not-found',
		'http',
		'not-json',
		'too-large',
		'unexpected-answer',
		'cancelled',
	] as const)('never retries %s, whatever the settings', (kind) => {
		expect(decideRetry(failure(kind), first, { ...policy, retryUncertain: true })).toEqual({
			retry: false,
		});
	});

	test('waits at least as long as Retry-After asks', () => {
		expect(decideRetry(failure('rate-limited', 2_000), first, policy, middle)).toMatchObject({
			waitMs: 2_000,
		});
		expect(decideRetry(failure('rate-limited', 10), after(3), policy, middle)).toMatchObject({
			waitMs: 1_500,
		});
	});

	test('stops after maxRetries', () => {
		expect(decideRetry(failure('unavailable'), after(4), policy, middle).retry).toBe(true);
		expect(decideRetry(failure('unavailable'), after(5), policy, middle)).toEqual({ retry: false });
		expect(decideRetry(failure('unavailable'), first, { ...policy, maxRetries: 0 })).toEqual({
			retry: false,
		});
	});

	test('stops when the next wait would pass the total wait allowed', () => {
		expect(
			decideRetry(failure('rate-limited', 5_000), after(0, 55_000), policy, middle).retry,
		).toBe(true);
		expect(decideRetry(failure('rate-limited', 5_001), after(0, 55_000), policy, middle)).toEqual({
			retry: false,
			overBudget: true,
		});
	});

	test("counts a pause for everyone that outlasts the item's own backoff", () => {
		// Backoff 188 ms, but another item's 429 holds every request for 5 s more.
		expect(decideRetry(failure('unavailable'), after(0, 55_000, 5_000), policy, middle).retry).toBe(
			true,
		);
		expect(decideRetry(failure('unavailable'), after(0, 55_000, 5_001), policy, middle)).toEqual({
			retry: false,
			overBudget: true,
		});
	});
});

describe('backoffMs', () => {
	test('doubles per retry, jitters within the upper half, and is capped at 30 s', () => {
		expect(
			[0, 1, 2, 3].map((retries) => [backoffMs(retries, () => 0), backoffMs(retries, () => 1)]),
		).toEqual([
			[125, 250],
			[250, 500],
			[500, 1_000],
			[1_000, 2_000],
		]);
		expect(backoffMs(20, () => 1)).toBe(30_000);
	});
});

test('withAttempts tells how often and how long the item was tried', () => {
	const maxRetryWait = { name: 'Max Retry Wait', ms: 60_000 };
	expect(withAttempts(failure('unavailable'), 1, 0).description).toBe('What happened.');
	expect(withAttempts(failure('unavailable'), 4, 1_750).description).toBe(
		'What happened. Tried 4 times, waiting 1.8 s in all.',
	);
	expect(withAttempts(failure('unavailable'), 3, 59_200, maxRetryWait).description).toBe(
		'What happened. Tried 3 times, waiting 59.2 s in all. Another wait would have passed Max Retry Wait (60 s).',
	);
	expect(withAttempts(failure('rate-limited', 90_000), 1, 0, maxRetryWait).description).toBe(
		'What happened. Tried 1 time, waiting 0.0 s in all. Another wait would have passed Max Retry Wait (60 s).',
	);
	expect(withAttempts(failure('rate-limited'), 0, 12_300, maxRetryWait).description).toBe(
		'What happened. Nothing was sent for this item; it waited 12.3 s in all. Another wait would have passed Max Retry Wait (60 s).',
	);
});
