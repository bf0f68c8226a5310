// @ts-check
// A rate limit Platformly does not publish, in real n8n: the sandbox holds the key to a token bucket
// of 50 requests a second (50 at once after a lull), answering 429 beyond it, with and without
// Retry-After. The node, at its defaults, has to find the limit from the 429s and keep to it:
// every event fires once, every item comes out, and few requests are refused. (Before the node
// learned a pace, 11 % of its requests were refused with Retry-After and 21 % without.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { byContact, e2eN8nVersion, processed, useN8nCases } from './cases.mjs';
import { seed } from '../../harness/stand-ins/sandbox.mjs';

/**
 * @typedef {import('./cases.mjs').CaseSpec} CaseSpec
 * @typedef {import('./cases.mjs').CaseResult} CaseResult
 */

const ITEMS = 500;
const LIMIT_PER_SECOND = 50;
const items = Array.from({ length: ITEMS }, (_, i) => ({ email: seed.bulkContactEmail(i + 1) }));

/**
 * @param {boolean} rateLimitRetryAfter
 * @returns {CaseSpec}
 */
const againstTheLimit = (rateLimitRetryAfter) => ({
	items,
	parameters: { email: '={{ $json.email }}', eventId: 101 },
	faults: {
		rateLimitPerSecond: LIMIT_PER_SECOND,
		rateLimitBurst: LIMIT_PER_SECOND,
		rateLimitRetryAfter,
		latencyMs: 30,
	},
});

/** @param {CaseResult} result */
const refusedShare = (result) =>
	result.requests.filter(({ outcome }) => outcome === 'fault:429').length / result.requests.length;

describe(`Under a rate limit nobody published, in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases({
		withRetryAfter: againstTheLimit(true),
		withoutRetryAfter: againstTheLimit(false),
	});

	for (const [name, label] of [
		['withRetryAfter', 'with Retry-After'],
		['withoutRetryAfter', 'without Retry-After'],
	]) {
		test(`${label}: ${ITEMS} items at the defaults, every event fired once, under 6 % of requests refused`, () => {
			const result = results[name];
			assert.equal(result.status, 'success');
			assert.deepEqual(
				result.main,
				items.map((_, item) => processed(item)),
			);
			assert.deepEqual(
				byContact(result.fired),
				items.map(({ email }, i) => ({
					contactId: seed.BULK_CONTACT_ID_OFFSET + i + 1,
					email,
					event: 101,
					options: null,
				})),
			);
			// The limit was met (the first second's burst runs past it), and then kept to.
			const share = refusedShare(result);
			assert.ok(share > 0, 'no request was refused: the limit was never met');
			assert.ok(share < 0.06, `${(share * 100).toFixed(1)} % of requests were answered 429`);
		});
	}
});
