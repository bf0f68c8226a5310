// @ts-check
// Bulk firing under a misbehaving Platformly: with 10% of answers 429 and 5% 503, every one of
// 2,000 items must fire its event exactly once and report success; and an execution that n8n
// cancels must stop firing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { e2eN8nVersion, processed, useN8nCases } from './cases.mjs';
import { seed } from '../../harness/stand-ins/sandbox.mjs';

/** @param {number} count */
const bulkContacts = (count) =>
	Array.from({ length: count }, (_, n) => ({ email: seed.bulkContactEmail(n + 1) }));
/** @param {Record<string, unknown>} [options] the node's Options */
const fireForEachEmail = (options = {}) => ({ email: '={{ $json.email }}', eventId: 101, options });

const BULK = 2_000;
// 400 items, 2 at a time, 100 ms each: 20 s, which the execution timeout cuts short. The timeout
// leaves room for the bulk case beside it, in the same n8n process, to check its 2,000 items first
// (checking holds n8n's one thread, a few seconds when another test file loads the machine too):
// at 3 s, that check once took all of it and the cancelled case sent nothing.
const CANCELLED_ITEMS = 400;
const EXECUTION_TIMEOUT_S = 8;

describe(`Bulk reliability in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases(
		{
			underRateLimits: {
				items: bulkContacts(BULK),
				// With 15% of answers failing at random, the default 5 retries leave one of 2,000 items
				// failing all 6 attempts in about 2% of runs (2,000 × 0.15^6), which is the node doing
				// its job, not a fault. 10 retries make that chance negligible (2,000 × 0.15^11 ≈ 2e-6).
				parameters: fireForEachEmail({ maxRetries: 10 }),
				// Retry-After: 0 keeps the run short; that the node honours a real Retry-After is in retries.test.mjs.
				faults: { rate429: 0.1, retryAfterSeconds: 0, rate503: 0.05, seed: 2026 },
			},
			cancelledByTimeout: {
				items: bulkContacts(CANCELLED_ITEMS),
				parameters: fireForEachEmail({ concurrency: 2 }),
				faults: { latencyMs: 100 },
				// n8n cancels the execution after this many seconds, which aborts the node's cancel signal.
				settings: { executionTimeout: EXECUTION_TIMEOUT_S },
			},
		},
		{ timeoutMs: 10 * 60_000 },
	);

	test(`${BULK} items under 10% 429 and 5% 503: each item succeeds, in order`, () => {
		const result = results.underRateLimits;
		assert.equal(result.status, 'success');
		assert.deepEqual(result.error, []);
		assert.deepEqual(
			result.main,
			Array.from({ length: BULK }, (_, item) => processed(item)),
		);
	});

	test('…and every event arrived exactly once, none duplicated', () => {
		const result = results.underRateLimits;
		const firedEmails = result.fired.map(({ email }) => email).sort();
		assert.deepEqual(
			firedEmails,
			bulkContacts(BULK)
				.map(({ email }) => email)
				.sort(),
		);
		const outcomes = result.requests.map(({ outcome }) => outcome);
		const rateLimited = outcomes.filter((outcome) => outcome === 'fault:429').length;
		const unavailable = outcomes.filter((outcome) => outcome === 'fault:503').length;
		// The faults really happened, and each one cost exactly one extra request.
		assert.ok(rateLimited > BULK * 0.05, `only ${rateLimited} answers were 429`);
		assert.ok(unavailable > BULK * 0.02, `only ${unavailable} answers were 503`);
		assert.equal(result.requests.length, BULK + rateLimited + unavailable);
	});

	test('a cancelled execution stops firing: nothing arrives after n8n stopped it', () => {
		const result = results.cancelledByTimeout;
		// The bulk case runs in the same n8n process for much longer, so a node that ignored the cancel
		// would have had time to keep firing.
		assert.ok(results.underRateLimits.stoppedAt > result.stoppedAt + 5_000);
		assert.equal(result.status, 'canceled');
		assert.ok(
			result.fired.length > 0 && result.fired.length < CANCELLED_ITEMS,
			`${result.fired.length} events fired`,
		);
		// Requests already in flight (at most Concurrency) may land just after the cancel.
		const lateEvents = result.firedAt.filter((at) => at > result.stoppedAt + 250);
		assert.deepEqual(lateEvents, []);
	});
});
