// @ts-check
// Careless settings and hostile servers, as a workflow meets them: every one gets a clear error,
// a bound, and nothing sent that should not be; n8n keeps no secret of the credential.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { e2eN8nVersion, failedItem, useN8nCases } from './cases.mjs';
import { randomApiKey, seed } from '../../harness/stand-ins/sandbox.mjs';

// What stands where a secret was, in everything the node passes on (nodes/…/helpers/redaction.ts).
const HIDDEN = '[hidden]';

/** @typedef {import('./cases.mjs').CaseSpec} CaseSpec */

// A password nobody would type, so finding it anywhere n8n wrote can only mean it leaked.
const PASSWORD = `pw${randomApiKey()}`;
const ann = {
	items: [{ email: 'ann@example.com' }],
	parameters: { email: '={{ $json.email }}', eventId: 101 },
};
/**
 * @param {Record<string, unknown>} options the node's Options
 * @returns {CaseSpec}
 */
const withOptions = (options) => ({ ...ann, parameters: { ...ann.parameters, options } });
const OPTIONS_DESCRIPTION = "Correct it in the node's Options. Nothing was sent to Platformly.";
// The sandbox's success answer is about 60 bytes: at 400 ms a byte it would take some 24 s to arrive.
const TRICKLE_MS = 400;

describe(`Hostile answers and careless settings in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases(
		{
			trickle: {
				...withOptions({ timeout: 1_000, maxRetries: 0 }),
				faults: { queue: ['trickle'], trickleMs: TRICKLE_MS },
			},
			cutOffMidAnswer: {
				...withOptions({ maxRetries: 0 }),
				faults: { queue: ['cut-off'] },
				onError: 'continueRegularOutput',
			},
			errorCapitalised: {
				...ann,
				faults: { queue: ['error-capitalised'] },
				onError: 'continueRegularOutput',
			},
			wrappingPages: {
				items: [{}],
				parameters: {
					resource: 'tag',
					operation: 'getAll',
					projectId: { __rl: true, mode: 'id', value: '1' },
					returnAll: true,
				},
				faults: { wrapPages: true },
			},
			concurrencyAsText: {
				...withOptions({ concurrency: 'abc' }),
				items: [{ email: 'ann@example.com' }, { email: 'ben@example.com' }],
			},
			concurrencyFromNothing: withOptions({ concurrency: '={{ $json.missing }}' }),
			retryOptionsAsText: withOptions({ maxRetries: 'many', maxRetryWait: 'long' }),
			baseUrlWithUserInfo: {
				...ann,
				baseUrl: (url) => url.replace('http://', `http://admin:${PASSWORD}@`),
			},
			// Platformly's message quoting the API key: in an error item, and as the run's error.
			echoedKeyItem: { ...ann, faults: { queue: ['echo-key'] }, onError: 'continueRegularOutput' },
			echoedKeyRun: { ...ann, faults: { queue: ['echo-key'] } },
			hugeMessage: {
				...ann,
				faults: { queue: ['huge-message'] },
				onError: 'continueRegularOutput',
			},
		},
		{ secrets: [PASSWORD] },
	);

	test('an answer trickling in byte by byte fails at the Timeout, not when it ends; the event had fired', () => {
		const result = results.trickle;
		assert.equal(result.status, 'error');
		assert.equal(
			result.workflowError?.message,
			'Platformly sent no complete answer within the timeout of 1 s',
		);
		assert.match(
			result.workflowError?.description ?? '',
			/^The request was sent\. Platformly may already have made the change/,
		);
		assert.deepEqual(
			result.fired.map(({ email }) => email),
			['ann@example.com'],
		);
		// The bound itself: the node gave up near its 1 s Timeout, long before the answer's last byte.
		assert.ok(result.nodeExecutionMs !== undefined, 'the node did not run');
		assert.ok(result.nodeExecutionMs < 5_000, `the node took ${result.nodeExecutionMs} ms`);
	});

	test("a connection cut mid-answer keeps the node's wording through n8n's error wrapper", () => {
		const [item] = results.cutOffMidAnswer.main ?? [];
		assert.match(
			String(item.json.error),
			/^The connection to Platformly at http:\/\/127\.0\.0\.1:\d+ broke before a complete answer came \(ECONNRESET\)$/,
		);
		assert.equal(results.cutOffMidAnswer.fired.length, 1);
	});

	test('{"status": "Error"} is an error, whatever its case', () => {
		assert.deepEqual(results.errorCapitalised.main, [failedItem(0, 'Simulated failure')]);
	});

	test('pages that wrap around end the list: every tag once, and one page read past the end', () => {
		const result = results.wrappingPages;
		const tagsOfProject1 = seed.SANDBOX_TAGS.filter(({ project_id: projectId }) => projectId === 1);
		assert.deepEqual(
			(result.main ?? []).map(({ json }) => json.id),
			tagsOfProject1.map(({ id }) => id),
		);
		assert.equal(result.requests.length, 3);
	});

	for (const [name, message] of [
		['concurrencyAsText', 'Concurrency must be a whole number from 1 to 100, got "abc"'],
		['concurrencyFromNothing', 'Concurrency must be a whole number from 1 to 100, got nothing'],
		['retryOptionsAsText', 'Max Retries must be a whole number from 0 to 20, got "many"'],
	]) {
		test(`${name}: the run fails with "${message}" and nothing is sent`, () => {
			const result = results[name];
			assert.equal(result.status, 'error');
			assert.equal(result.workflowError?.message, message);
			assert.equal(result.workflowError?.description, OPTIONS_DESCRIPTION);
			assert.deepEqual(result.requests, []);
			assert.deepEqual(result.main, []);
		});
	}

	test('a Base URL with a user name and password is refused, naming the field, and nothing is sent', () => {
		const result = results.baseUrlWithUserInfo;
		assert.equal(result.status, 'error');
		assert.equal(
			result.workflowError?.message,
			'The Base URL in the Platformly credential must not hold a user name or password (user:password@): the API key is all Platformly needs',
		);
		assert.deepEqual(result.requests, []);
	});

	test("Platformly's message quoting the API key: the key is hidden in the error item and the run's error (and stored nowhere, above)", () => {
		const echoed = `Invalid API key: ${HIDDEN} (sent as api_key=${HIDDEN})`;
		assert.deepEqual(results.echoedKeyItem.main, [failedItem(0, echoed)]);
		assert.equal(results.echoedKeyRun.status, 'error');
		assert.equal(results.echoedKeyRun.workflowError?.message, echoed);
	});

	test('a message of 8 MiB is cut to 2,000 characters, saying how long it was', () => {
		assert.deepEqual(results.hugeMessage.main, [
			failedItem(0, `${'x'.repeat(2_000)}… (cut: 8,388,608 characters in all)`),
		]);
		assert.ok(results.hugeMessage.storedRows.length < 100_000, 'the stored execution grew');
	});
});
