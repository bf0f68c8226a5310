// @ts-check
// Errors Platformly reports in its answer (HTTP 200, {"status": "error"}): without "On Error" the run
// fails on the item; with "Continue" the item carries the error in the main output; with "Continue
// (using error output)" it goes to the node's second output. The other items are still sent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { e2eN8nVersion, failedItem, processed, useN8nCases } from './cases.mjs';

/** @typedef {import('./cases.mjs').CaseResult} CaseResult */

const PLATFORMLY_SAID_ERROR =
	'Platformly answered {"status": "error"} to the "contact_event_fire" request.';

// Ann and Cara are known; nobody@example.com is not. By default the node sends the three side by
// side; with concurrency 1, one after the other.
const annNobodyCara = {
	items: [
		{ email: 'ann@example.com' },
		{ email: 'nobody@example.com' },
		{ email: 'cara@example.com' },
	],
	parameters: { email: '={{ $json.email }}', eventId: 101 },
};
const oneAtATime = {
	...annNobodyCara,
	parameters: { ...annNobodyCara.parameters, options: { concurrency: 1 } },
};
const NOBODY_NOT_FOUND = 'Contact Not Found: email "nobody@example.com"';
/** @param {CaseResult} result */
const firedEmails = (result) => result.fired.map(({ email }) => email).sort();

describe(`Platformly errors in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases({
		unknownContact: { items: [{}], parameters: { email: 'nobody@example.com', eventId: 101 } },
		unknownContactId: { items: [{}], parameters: { contactId: '999999999', eventId: 101 } },
		unknownEvent: { items: [{}], parameters: { contactId: '12', eventId: 999 } },
		wrongApiKey: {
			items: [{}],
			parameters: { contactId: '12', eventId: 101 },
			sandboxApiKey: 'someOtherKey0123456789abcdefABCD',
		},
		stopsAtFailingItem: oneAtATime,
		failsAfterItemsInFlight: annNobodyCara,
		continueRegularOutput: { ...annNobodyCara, onError: 'continueRegularOutput' },
		continueErrorOutput: { ...annNobodyCara, onError: 'continueErrorOutput' },
	});

	// Platformly's message as the sandbox said it, and as the node shows it (naming the contact).
	for (const [name, said, message, description] of [
		[
			'unknownContact',
			'Contact Not Found',
			NOBODY_NOT_FOUND,
			'Platformly has no contact with email "nobody@example.com".',
		],
		[
			'unknownContactId',
			'Contact Not Found',
			'Contact Not Found: contact ID 999999999',
			'Platformly has no contact with contact ID 999999999.',
		],
		['unknownEvent', 'Event Not Found', 'Event Not Found', PLATFORMLY_SAID_ERROR],
		['wrongApiKey', 'Invalid API key', 'Invalid API key', PLATFORMLY_SAID_ERROR],
	]) {
		test(`${name}: the run fails with Platformly's message "${said}"`, () => {
			const result = results[name];
			assert.equal(result.status, 'error');
			assert.deepEqual(result.workflowError, { message, description, node: 'Platformly' });
			assert.deepEqual(result.fired, []);
			assert.deepEqual(
				result.requests.map(({ outcome }) => outcome),
				[`error:${said}`],
			);
		});
	}

	test('without "On Error", one at a time: the run stops at the failing item; later items are not sent', () => {
		const result = results.stopsAtFailingItem;
		assert.equal(result.status, 'error');
		assert.equal(result.workflowError?.message, NOBODY_NOT_FOUND);
		assert.deepEqual(firedEmails(result), ['ann@example.com']);
		assert.equal(result.requests.length, 2);
	});

	test('without "On Error", side by side: the run fails, but items already sent have fired', () => {
		const result = results.failsAfterItemsInFlight;
		assert.equal(result.status, 'error');
		assert.equal(result.workflowError?.message, NOBODY_NOT_FOUND);
		assert.deepEqual(firedEmails(result), ['ann@example.com', 'cara@example.com']);
		assert.equal(result.requests.length, 3);
	});

	test('"Continue": the failed item carries the error in the main output, in its place', () => {
		const result = results.continueRegularOutput;
		assert.equal(result.status, 'success');
		assert.deepEqual(result.main, [processed(0), failedItem(1, NOBODY_NOT_FOUND), processed(2)]);
		assert.deepEqual(result.error, []);
		assert.deepEqual(firedEmails(result), ['ann@example.com', 'cara@example.com']);
	});

	test('"Continue (using error output)": the failed item goes to the error output, paired with its input', () => {
		const result = results.continueErrorOutput;
		assert.equal(result.status, 'success');
		assert.deepEqual(result.main, [processed(0), processed(2)]);
		assert.deepEqual(result.error, [failedItem(1, NOBODY_NOT_FOUND)]);
		assert.deepEqual(firedEmails(result), ['ann@example.com', 'cara@example.com']);
	});
});
