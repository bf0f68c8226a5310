// @ts-check
// Failures below Platformly's answer (HTTP errors, a body that is not JSON, no answer, nothing
// listening) and how each reaches the workflow. Retries are off here (retries.test.mjs covers them)
// and items go one at a time, so the sandbox's fault queue fails exactly item 0's request.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { e2eN8nVersion, failedItem, processed, useN8nCases } from './cases.mjs';

/**
 * @typedef {import('./cases.mjs').CaseSpec} CaseSpec
 * @typedef {import('../../sandbox/index.js').FaultName} FaultName
 */

const NO_RETRIES_ONE_AT_A_TIME = { concurrency: 1, maxRetries: 0, timeout: 1000 };
/** @type {CaseSpec} */
const annThenBen = {
	items: [{ email: 'ann@example.com' }, { email: 'ben@example.com' }],
	parameters: { email: '={{ $json.email }}', eventId: 102, options: NO_RETRIES_ONE_AT_A_TIME },
	onError: 'continueErrorOutput',
};
/**
 * @param {FaultName} fault
 * @returns {CaseSpec}
 */
const firstRequestFails = (fault) => ({ ...annThenBen, faults: { queue: [fault] } });
const BEN_FIRED = { contactId: 13, email: 'ben@example.com', event: 102, options: null };

const CHECK_BASE_URL =
	'Check the Base URL in the Platformly credential (normally https://api.platform.ly).';
/** @type {Record<string, { fault: FaultName, message: string, description?: string | RegExp }>} */
const FAILURES = {
	unavailable503: {
		fault: '503',
		message: 'Platformly is temporarily unavailable (HTTP 503)',
	},
	rateLimited429: {
		fault: '429',
		message: 'Platformly is limiting the request rate (HTTP 429)',
	},
	serverError500: {
		fault: '500',
		message: 'Platformly had a server error (HTTP 500)',
		description:
			'The request reached Platformly but failed there; it may or may not have been processed. Check in Platformly before sending it again.',
	},
	notJson: {
		fault: 'non-json',
		message: "Platformly's answer is not JSON (HTTP 200)",
		// The start of the proxy's page (the node cuts it short), then what to check.
		description: new RegExp(
			`^The answer began with: <html><head><title>502 Bad Gateway</title>.*\\. A proxy or firewall may be answering instead of Platformly\\. ${escapeRegExp(CHECK_BASE_URL)}$`,
		),
	},
	noAnswer: {
		fault: 'hang',
		message: 'Platformly sent no complete answer within the timeout of 1 s',
		description:
			'The request was sent. Platformly may already have made the change (fired the event, added the note): check there before sending it again. Raise the Timeout option if Platformly is slow.',
	},
};

/** @param {string} text */
function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe(`HTTP failures in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases({
		...Object.fromEntries(
			Object.entries(FAILURES).map(([name, { fault }]) => [name, firstRequestFails(fault)]),
		),
		...Object.fromEntries(
			['serverError500', 'notJson', 'noAnswer'].map((name) => [
				`${name}StopsRun`,
				{ ...firstRequestFails(FAILURES[name].fault), onError: undefined },
			]),
		),
		serverErrorAfterFiring: firstRequestFails('500-after-fire'),
		connectionRefused: { ...annThenBen, unreachable: true },
	});

	for (const [name, { fault, message }] of Object.entries(FAILURES)) {
		test(`${name}: "${message}" on the error output for item 0; item 1 still fires`, () => {
			const result = results[name];
			assert.equal(result.status, 'success');
			assert.deepEqual(result.error, [failedItem(0, message)]);
			assert.deepEqual(result.main, [processed(1)]);
			assert.deepEqual(result.fired, [BEN_FIRED]);
			assert.deepEqual(
				result.requests.map(({ outcome }) => outcome),
				[`fault:${fault}`, 'success'],
			);
		});
	}

	for (const name of ['serverError500', 'notJson', 'noAnswer']) {
		const { message, description } = FAILURES[name];
		test(`${name} without "On Error": the run fails with "${message}" and its explanation; item 1 is not sent`, () => {
			const result = results[`${name}StopsRun`];
			assert.equal(result.status, 'error');
			assert.equal(result.workflowError?.node, 'Platformly');
			assert.equal(result.workflowError?.message, message);
			if (description instanceof RegExp)
				assert.match(result.workflowError?.description ?? '', description);
			else assert.equal(result.workflowError?.description, description);
			assert.deepEqual(result.fired, []);
			assert.equal(result.requests.length, 1);
		});
	}

	test('a 500 after Platformly fired: reported as failed although the event went out', () => {
		const result = results.serverErrorAfterFiring;
		assert.deepEqual(result.error, [failedItem(0, FAILURES.serverError500.message)]);
		assert.deepEqual(result.main, [processed(1)]);
		assert.deepEqual(
			result.fired.map(({ email }) => email),
			['ann@example.com', 'ben@example.com'],
		);
	});

	test('nothing listening at the Base URL: every item fails with "connection refused"', () => {
		const result = results.connectionRefused;
		const refused =
			/^Could not connect to Platformly at http:\/\/127\.0\.0\.1:\d+: connection refused$/;
		assert.equal(result.status, 'success');
		assert.deepEqual(result.main, []);
		assert.deepEqual(
			(result.error ?? []).map(({ pairedItem }) => pairedItem),
			[{ item: 0 }, { item: 1 }],
		);
		for (const { json } of result.error ?? []) assert.match(String(json.error), refused);
	});
});
