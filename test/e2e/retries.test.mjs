// @ts-check
// The node's own retries (Options › Max Retries, Max Retry Wait, Retry Uncertain Failures): what
// is retried, what is not, and what the sandbox received as a result. Items go one at
// a time so the fault queue hits item 0's request(s).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { e2eN8nVersion, failedItem, processed, useN8nCases } from './cases.mjs';

/**
 * @typedef {import('./cases.mjs').CaseSpec} CaseSpec
 * @typedef {import('./cases.mjs').CaseResult} CaseResult
 * @typedef {import('./cases.mjs').FaultSettings} FaultSettings
 * @typedef {import('./cases.mjs').OnError} OnError
 */

/**
 * @param {Record<string, unknown>} options the node's Options, on top of one at a time and a 1 s timeout
 * @param {Partial<FaultSettings> | undefined} faults
 * @param {OnError | null} [onError] null: no "On Error" setting, the run fails on the item.
 * @returns {CaseSpec}
 */
const annThenBen = (options, faults, onError = 'continueErrorOutput') => ({
	items: [{ email: 'ann@example.com' }, { email: 'ben@example.com' }],
	parameters: {
		email: '={{ $json.email }}',
		eventId: 102,
		options: { concurrency: 1, timeout: 1000, ...options },
	},
	onError,
	faults,
});
/** @param {CaseResult} result */
const outcomes = (result) => result.requests.map(({ outcome }) => outcome);
/** @param {CaseResult} result */
const firedEmails = (result) => result.fired.map(({ email }) => email);
const BOTH_PROCESSED = [processed(0), processed(1)];

describe(`Retries in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases({
		retried503: annThenBen({}, { queue: ['503'] }),
		retried429AfterRetryAfter: annThenBen({}, { queue: ['429'], retryAfterSeconds: 1 }),
		retryAfterLongerThanMaxWait: annThenBen(
			{ maxRetryWait: 500 },
			{ queue: ['429'], retryAfterSeconds: 1 },
		),
		gaveUpAfterMaxRetries: annThenBen({ maxRetries: 2 }, { queue: ['503', '503', '503'] }, null),
		serverErrorNotRetried: annThenBen({}, { queue: ['500'] }),
		serverErrorRetriedWhenAllowed: annThenBen({ retryUncertain: true }, { queue: ['500'] }),
		doubleFireWhenAllowed: annThenBen({ retryUncertain: true }, { queue: ['500-after-fire'] }),
		timeoutRetriedWhenAllowed: annThenBen({ retryUncertain: true }, { queue: ['hang'] }),
		refusedRetried: { ...annThenBen({ maxRetries: 1 }, undefined, null), unreachable: true },
	});

	test('503: retried, then both items fire once each', () => {
		const result = results.retried503;
		assert.deepEqual(result.main, BOTH_PROCESSED);
		assert.deepEqual(result.error, []);
		assert.deepEqual(outcomes(result), ['fault:503', 'success', 'success']);
		assert.deepEqual(firedEmails(result), ['ann@example.com', 'ben@example.com']);
	});

	test("429: the node waits at least Platformly's Retry-After (1 s), then succeeds", () => {
		const result = results.retried429AfterRetryAfter;
		assert.deepEqual(result.main, BOTH_PROCESSED);
		assert.deepEqual(outcomes(result), ['fault:429', 'success', 'success']);
		assert.ok(result.nodeExecutionMs !== undefined, 'the node did not run');
		assert.ok(
			result.nodeExecutionMs >= 1000,
			`the node took ${result.nodeExecutionMs} ms, less than the 1 s Retry-After`,
		);
	});

	test('a Retry-After longer than Max Retry Wait: no retry, the item fails at once; the next, which cannot wait out the pause either, fails unsent', () => {
		const result = results.retryAfterLongerThanMaxWait;
		const [limited, next, ...others] = result.error ?? [];
		assert.deepEqual(limited, failedItem(0, 'Platformly is limiting the request rate (HTTP 429)'));
		assert.equal(next.pairedItem?.item, 1);
		assert.match(
			String(next.json.error),
			/^Platformly asked this account to pause for (0\.\d|1\.0) s more \(HTTP 429\), past Max Retry Wait \(0\.5 s\)$/,
		);
		assert.deepEqual(others, []);
		assert.deepEqual(result.main, []);
		assert.deepEqual(outcomes(result), ['fault:429']);
	});

	test('after Max Retries the run fails, and the explanation says how often it tried', () => {
		const result = results.gaveUpAfterMaxRetries;
		assert.equal(result.status, 'error');
		assert.equal(result.workflowError?.message, 'Platformly is temporarily unavailable (HTTP 503)');
		assert.match(
			result.workflowError?.description ?? '',
			/^Platformly could not take the request\. Try again in a moment\. Tried 3 times, waiting \d+\.\d s in all\.$/,
		);
		assert.deepEqual(outcomes(result), ['fault:503', 'fault:503', 'fault:503']);
		assert.deepEqual(result.fired, []);
	});

	test('500: not retried by default (the event may have fired)', () => {
		const result = results.serverErrorNotRetried;
		assert.deepEqual(result.error, [failedItem(0, 'Platformly had a server error (HTTP 500)')]);
		assert.deepEqual(outcomes(result), ['fault:500', 'success']);
	});

	test('500 with Retry Uncertain Failures: retried and processed', () => {
		const result = results.serverErrorRetriedWhenAllowed;
		assert.deepEqual(result.main, BOTH_PROCESSED);
		assert.deepEqual(outcomes(result), ['fault:500', 'success', 'success']);
	});

	test('…which fires twice when Platformly had already fired: the risk that option names', () => {
		const result = results.doubleFireWhenAllowed;
		assert.deepEqual(result.main, BOTH_PROCESSED);
		assert.deepEqual(firedEmails(result), [
			'ann@example.com',
			'ann@example.com',
			'ben@example.com',
		]);
	});

	test('a timeout with Retry Uncertain Failures: retried and processed', () => {
		const result = results.timeoutRetriedWhenAllowed;
		assert.deepEqual(result.main, BOTH_PROCESSED);
		assert.deepEqual(outcomes(result), ['fault:hang', 'success', 'success']);
	});

	test('connection refused: retried (nothing can have fired), then the run fails naming the attempts', () => {
		const result = results.refusedRetried;
		assert.equal(result.status, 'error');
		assert.match(
			result.workflowError?.message ?? '',
			/^Could not connect to Platformly at http:\/\/127\.0\.0\.1:\d+: connection refused$/,
		);
		assert.match(
			result.workflowError?.description ?? '',
			/Tried 2 times, waiting \d+\.\d s in all\.$/,
		);
	});
});
