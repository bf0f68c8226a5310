// @ts-check
// Input the node must refuse before sending anything: the run fails with an error naming the field
// and the item, and the sandbox receives no request at all, not even for the valid items.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { e2eN8nVersion, failedItem, processed, useN8nCases } from './cases.mjs';

const NOTHING_SENT = 'Nothing was sent to Platformly for this item.';

const annFires = { contactId: '12', eventId: 101 };

// Each case: one item with these fields; `message` is the error the run must stop with.
const refusedFields = {
	noContactIdentifier: {
		parameters: { eventId: 101 },
		message: 'Contact ID or Email is required: give at least one to identify the contact [item 0]',
	},
	blankContactIdentifiers: {
		parameters: { contactId: '  ', email: '', eventId: 101 },
		message: 'Contact ID or Email is required: give at least one to identify the contact [item 0]',
	},
	badEmail: {
		parameters: { email: 'ann.example.com', eventId: 101 },
		message: 'Email must be an email address, got "ann.example.com" [item 0]',
	},
	eventIdZero: {
		parameters: { ...annFires, eventId: 0 },
		message: 'Event ID must be a positive whole number, got 0 [item 0]',
	},
	eventIdNegative: {
		parameters: { ...annFires, eventId: -1 },
		message: 'Event ID must be a positive whole number, got -1 [item 0]',
	},
	eventIdFraction: {
		parameters: { ...annFires, eventId: 1.5 },
		message: 'Event ID must be a positive whole number, got 1.5 [item 0]',
	},
	eventIdText: {
		parameters: { ...annFires, eventId: '={{ "abc" }}' },
		message: 'Event ID must be a positive whole number, got "abc" [item 0]',
	},
	contactIdText: {
		parameters: { ...annFires, contactId: 'abc' },
		message: 'Contact ID must be a positive whole number, got "abc" [item 0]',
	},
	contactIdZero: {
		parameters: { ...annFires, contactId: '0' },
		message: 'Contact ID must be a positive whole number, got "0" [item 0]',
	},
	contactIdNegative: {
		parameters: { ...annFires, contactId: '-12' },
		message: 'Contact ID must be a positive whole number, got "-12" [item 0]',
	},
	contactIdFraction: {
		parameters: { ...annFires, contactId: '12.5' },
		message: 'Contact ID must be a positive whole number, got "12.5" [item 0]',
	},
	optionsJsonNotParsing: {
		parameters: {
			...annFires,
			specifyEventOptions: 'json',
			eventOptionsJson: '{ "path": "/home", }',
		},
		message: /^Event Options \(JSON\) is not valid JSON \(.+\) \[item 0\]$/,
	},
	optionsJsonArray: {
		parameters: { ...annFires, specifyEventOptions: 'json', eventOptionsJson: '["path", "/home"]' },
		message:
			'Event Options (JSON) must be a JSON object like {"path": "/home"}, got ["path","/home"] [item 0]',
	},
	optionsJsonText: {
		parameters: { ...annFires, specifyEventOptions: 'json', eventOptionsJson: '"/home"' },
		message:
			'Event Options (JSON) must be a JSON object like {"path": "/home"}, got "/home" [item 0]',
	},
	optionRowWithoutName: {
		parameters: {
			...annFires,
			specifyEventOptions: 'keypair',
			eventOptionsParameters: {
				parameters: [
					{ name: 'source', value: 'n8n' },
					{ name: '', value: 'orphan' },
				],
			},
		},
		message: 'Event Option Fields row 2 has no name [item 0]',
	},
	optionRowsSameName: {
		parameters: {
			...annFires,
			specifyEventOptions: 'keypair',
			eventOptionsParameters: {
				parameters: [
					{ name: 'path', value: '/a' },
					{ name: 'path', value: '/b' },
				],
			},
		},
		message: 'Event Option Fields rows 1 and 2 are both named "path" [item 0]',
	},
	optionRowNamedProto: {
		parameters: {
			...annFires,
			specifyEventOptions: 'keypair',
			eventOptionsParameters: { parameters: [{ name: '__proto__', value: 'x' }] },
		},
		message:
			'Event Option Fields row 1 is named "__proto__", which cannot be an option\'s name [item 0]',
	},
	optionsJsonSameNameTwice: {
		parameters: {
			...annFires,
			specifyEventOptions: 'json',
			eventOptionsJson: '{"path": "/a", "path": "/b"}',
		},
		message: 'Event Options (JSON) names "path" twice in one object [item 0]',
	},
	// Thousands of levels, as text: small enough for the size bound, far too deep to serialise.
	optionsNestedThousandsDeep: {
		parameters: {
			...annFires,
			specifyEventOptions: 'json',
			eventOptionsJson: `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`,
		},
		message: 'Event Options (JSON) must not nest more than 10 levels deep [item 0]',
	},
	optionsBuiltDeepByExpression: {
		parameters: {
			...annFires,
			specifyEventOptions: 'json',
			eventOptionsJson: `={{ JSON.parse('{"a":'.repeat(50) + '1' + '}'.repeat(50)) }}`,
		},
		message: 'Event Options (JSON) must not nest more than 10 levels deep [item 0]',
	},
	emailWithZeroWidthSpace: {
		parameters: { email: 'ann\u200b@example.com', eventId: 101 },
		message:
			'Email must be an email address without invisible or control characters, got "ann\u200b@example.com", which holds U+200B at position 4 [item 0]',
	},
};

// Items 0 and 1 are fine, item 2 has no usable email: the message names item 2.
const thirdItemBad = {
	items: [{ email: 'ann@example.com' }, { email: 'ben@example.com' }, { email: 'cara' }],
	parameters: { email: '={{ $json.email }}', eventId: 101 },
};
const THIRD_ITEM_MESSAGE = 'Email must be an email address, got "cara" [item 2]';

describe(`Input validation in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases({
		...Object.fromEntries(
			Object.entries(refusedFields).map(([name, { parameters }]) => [
				name,
				{ items: [{}], parameters },
			]),
		),
		thirdItemBad,
		thirdItemBadContinueRegular: { ...thirdItemBad, onError: 'continueRegularOutput' },
		thirdItemBadContinueErrorOutput: { ...thirdItemBad, onError: 'continueErrorOutput' },
	});

	for (const [name, { message }] of Object.entries(refusedFields)) {
		test(`${name}: the run fails with "${message}" and nothing is sent`, () => {
			const result = results[name];
			assert.equal(result.status, 'error');
			assert.equal(result.workflowError?.node, 'Platformly');
			if (message instanceof RegExp) assert.match(result.workflowError?.message ?? '', message);
			else assert.equal(result.workflowError?.message, message);
			assert.equal(result.workflowError?.description, NOTHING_SENT);
			assert.deepEqual(result.requests, []);
		});
	}

	test('a bad third item stops the run before any item is sent, and the message names item 2', () => {
		const result = results.thirdItemBad;
		assert.equal(result.status, 'error');
		assert.equal(result.workflowError?.message, THIRD_ITEM_MESSAGE);
		assert.deepEqual(result.requests, []);
	});

	test('with "Continue" the bad item becomes an error item in the main output; the others are sent', () => {
		const result = results.thirdItemBadContinueRegular;
		assert.equal(result.status, 'success');
		assert.deepEqual(result.main, [processed(0), processed(1), failedItem(2, THIRD_ITEM_MESSAGE)]);
		assert.deepEqual(result.error, []);
		assert.deepEqual(
			result.fired.map(({ email }) => email),
			['ann@example.com', 'ben@example.com'],
		);
	});

	test('with "Continue (using error output)" the bad item goes to the error output', () => {
		const result = results.thirdItemBadContinueErrorOutput;
		assert.equal(result.status, 'success');
		assert.deepEqual(result.main, [processed(0), processed(1)]);
		assert.deepEqual(result.error, [failedItem(2, THIRD_ITEM_MESSAGE)]);
		assert.equal(result.fired.length, 2);
	});
});
