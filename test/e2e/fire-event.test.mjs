// @ts-check
// Contact › Fire Event in real n8n: every way of naming the contact and of passing event options,
// and several items driven by expressions. Each case checks what n8n output and exactly what the
// sandbox recorded as fired.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { byContact, e2eN8nVersion, processed, useN8nCases } from './cases.mjs';

const ann = { contactId: 12, email: 'ann@example.com' };
const ben = { contactId: 13, email: 'ben@example.com' };
const cara = { contactId: 14, email: 'cara@example.com' };
const dan = { contactId: 15, email: 'dan@example.com' };
const zoe = { contactId: 16, email: 'zoe.lee+vip@example.com' };

/**
 * @param {{ contactId: number, email: string }} contact
 * @param {number} event
 * @param {Record<string, unknown> | null} [options]
 */
const fired = (contact, event, options = null) => ({ ...contact, event, options });

describe(`Fire Event in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases({
		contactIdOnly: {
			items: [{}],
			parameters: { contactId: '12', eventId: 101, specifyEventOptions: 'none' },
		},
		emailOnly: {
			items: [{}],
			parameters: { email: 'ben@example.com', eventId: 102 },
		},
		contactIdAndEmail: {
			items: [{}],
			parameters: { contactId: '14', email: 'cara@example.com', eventId: 103 },
		},
		keypairOptions: {
			items: [{}],
			parameters: {
				contactId: '12',
				eventId: 101,
				specifyEventOptions: 'keypair',
				eventOptionsParameters: {
					parameters: [
						{ name: 'source', value: 'n8n' },
						{ name: 'path', value: '/webinar' },
					],
				},
			},
		},
		jsonOptions: {
			items: [{}],
			parameters: {
				email: 'dan@example.com',
				eventId: 103,
				specifyEventOptions: 'json',
				eventOptionsJson: '{ "path": "/pricing", "plan": "pro", "seats": 3, "trial": false }',
			},
		},
		emptyJsonOptions: {
			items: [{}],
			parameters: {
				contactId: '13',
				eventId: 102,
				specifyEventOptions: 'json',
				eventOptionsJson: '{}',
			},
		},
		itemsByExpression: {
			items: [
				{ email: 'ann@example.com', eventId: 101, source: 'webinar' },
				{ email: 'ben@example.com', eventId: '102', source: 'checkout' },
				{ id: 15, eventId: 103, source: 'contact form' },
				{ id: '16', email: 'Zoe.Lee+vip@example.com', eventId: 101, source: 'vip list' },
			],
			parameters: {
				contactId: '={{ $json.id }}',
				email: '={{ $json.email }}',
				eventId: '={{ $json.eventId }}',
				specifyEventOptions: 'keypair',
				eventOptionsParameters: {
					parameters: [
						{ name: 'source', value: '={{ $json.source }}' },
						{ name: 'item', value: '={{ $itemIndex }}' },
					],
				},
				// One at a time, so the sandbox receives the items in input order.
				options: { concurrency: 1 },
			},
		},
		jsonOptionsByExpression: {
			items: [
				{ email: 'cara@example.com', plan: 'basic' },
				{ email: 'dan@example.com', plan: 'pro' },
			],
			parameters: {
				email: '={{ $json.email }}',
				eventId: 103,
				specifyEventOptions: 'json',
				eventOptionsJson:
					'={{ JSON.stringify({ plan: $json.plan, path: "/plans/" + $json.plan }) }}',
			},
		},
	});

	test('contact ID only: fires for that contact, with no options', () => {
		const result = results.contactIdOnly;
		assert.equal(result.status, 'success');
		assert.deepEqual(result.main, [processed(0)]);
		assert.deepEqual(result.fired, [fired(ann, 101)]);
	});

	test('email only: fires for the contact with that email', () => {
		assert.deepEqual(results.emailOnly.main, [processed(0)]);
		assert.deepEqual(results.emailOnly.fired, [fired(ben, 102)]);
	});

	test('contact ID and email: both are sent and name the same contact', () => {
		assert.deepEqual(results.contactIdAndEmail.main, [processed(0)]);
		assert.deepEqual(results.contactIdAndEmail.fired, [fired(cara, 103)]);
	});

	test('options as name/value pairs reach Platformly as one object', () => {
		assert.deepEqual(results.keypairOptions.main, [processed(0)]);
		assert.deepEqual(results.keypairOptions.fired, [
			fired(ann, 101, { source: 'n8n', path: '/webinar' }),
		]);
	});

	test('options as JSON keep their types', () => {
		assert.deepEqual(results.jsonOptions.main, [processed(0)]);
		assert.deepEqual(results.jsonOptions.fired, [
			fired(dan, 103, { path: '/pricing', plan: 'pro', seats: 3, trial: false }),
		]);
	});

	test('an empty JSON object sends no options at all', () => {
		assert.deepEqual(results.emptyJsonOptions.main, [processed(0)]);
		assert.deepEqual(results.emptyJsonOptions.fired, [fired(ben, 102)]);
	});

	// An expression keeps its result's type even in a text field: $itemIndex arrives as a number.
	test('expressions: each item fires its own event, paired with its input; concurrency 1 keeps input order', () => {
		const result = results.itemsByExpression;
		assert.deepEqual(result.main, [processed(0), processed(1), processed(2), processed(3)]);
		assert.deepEqual(result.fired, [
			fired(ann, 101, { source: 'webinar', item: 0 }),
			fired(ben, 102, { source: 'checkout', item: 1 }),
			fired(dan, 103, { source: 'contact form', item: 2 }),
			// The "+" survives form encoding; Platformly matches the email whatever its case.
			fired(zoe, 101, { source: 'vip list', item: 3 }),
		]);
		assert.equal(result.requests.length, 4);
	});

	test('JSON options built by an expression, per item', () => {
		assert.deepEqual(results.jsonOptionsByExpression.main, [processed(0), processed(1)]);
		assert.deepEqual(byContact(results.jsonOptionsByExpression.fired), [
			fired(cara, 103, { plan: 'basic', path: '/plans/basic' }),
			fired(dan, 103, { plan: 'pro', path: '/plans/pro' }),
		]);
	});
});
