// @ts-check
// How the node paces its requests (Options › Concurrency, Max Requests per Second), seen from the
// sandbox: every item fires exactly once, the output stays in input order and paired, and the
// timing shows the setting took effect. The sandbox answers each request after `latencyMs`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { byContact, e2eN8nVersion, processed, useN8nCases } from './cases.mjs';
import { seed } from '../../harness/stand-ins/sandbox.mjs';

/**
 * @typedef {import('./cases.mjs').CaseSpec} CaseSpec
 * @typedef {import('./cases.mjs').FaultSettings} FaultSettings
 * @typedef {import('./cases.mjs').RequestRecord} RequestRecord
 */

const LATENCY_MS = 200;
/** @param {number} count */
const bulkItems = (count) =>
	Array.from({ length: count }, (_, i) => ({ email: seed.bulkContactEmail(i + 1) }));
/** @param {number} count */
const bulkFired = (count) =>
	Array.from({ length: count }, (_, i) => ({
		contactId: seed.BULK_CONTACT_ID_OFFSET + i + 1,
		email: seed.bulkContactEmail(i + 1),
		event: 101,
		options: null,
	}));
/** @param {number} count */
const processedItems = (count) => Array.from({ length: count }, (_, i) => processed(i));
/**
 * @param {Record<string, unknown>[]} items
 * @param {Record<string, unknown>} options the node's Options
 * @param {Partial<FaultSettings>} [faults]
 * @returns {CaseSpec}
 */
const fireFor = (items, options, faults) => ({
	items,
	parameters: { email: '={{ $json.email }}', eventId: 101, options },
	faults,
});
/** @param {RequestRecord[]} requests */
const spanMs = (requests) =>
	Date.parse(requests[requests.length - 1].at) - Date.parse(requests[0].at);

describe(`Request pacing in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases({
		sideBySide: fireFor(bulkItems(25), {}, { latencyMs: LATENCY_MS }),
		oneAtATime: fireFor(bulkItems(5), { concurrency: 1 }, { latencyMs: LATENCY_MS }),
		fivePerSecond: fireFor(bulkItems(6), { maxRequestsPerSecond: 5 }),
	});

	test('default concurrency: 25 items, each fired once, output in input order, far faster than one by one', () => {
		const result = results.sideBySide;
		assert.deepEqual(result.main, processedItems(25));
		assert.deepEqual(byContact(result.fired), bulkFired(25));
		const oneByOneMs = 25 * LATENCY_MS;
		assert.ok(result.nodeExecutionMs !== undefined, 'the node did not run');
		assert.ok(
			result.nodeExecutionMs < oneByOneMs / 2,
			`took ${result.nodeExecutionMs} ms; one by one would take ${oneByOneMs} ms`,
		);
	});

	test('concurrency 1: one request at a time, in input order', () => {
		const result = results.oneAtATime;
		assert.deepEqual(result.main, processedItems(5));
		assert.deepEqual(result.fired, bulkFired(5));
		assert.ok(result.nodeExecutionMs !== undefined, 'the node did not run');
		assert.ok(
			result.nodeExecutionMs >= 5 * LATENCY_MS,
			`took ${result.nodeExecutionMs} ms for 5 requests of ${LATENCY_MS} ms`,
		);
	});

	test('5 requests per second: the 6 requests arrive at the sandbox over more than one second', () => {
		const result = results.fivePerSecond;
		assert.deepEqual(result.main, processedItems(6));
		assert.deepEqual(byContact(result.fired), bulkFired(6));
		// As Platformly would count them, by arrival: never 6 within a second.
		assert.ok(
			spanMs(result.requests) > 1_000,
			`the 6 requests arrived within ${spanMs(result.requests)} ms`,
		);
	});
});
