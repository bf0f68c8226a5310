import type { INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPlatformly } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork, SUCCESS_ANSWER } from '../helpers/platformlyMock';

const fireEvent = (fields: INodeParameters): INodeParameters => ({
	resource: 'contact',
	operation: 'fireEvent',
	...fields,
});

afterEach(resetNetwork);

async function expectRejected(fields: INodeParameters, message: string | RegExp) {
	const { requests } = mockPlatformly();
	const run = runPlatformly({ parameters: fireEvent(fields) });

	await expect(run).rejects.toThrow(NodeOperationError);
	await run.catch((error: NodeOperationError) => {
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
		expect(error.description).toBe('Nothing was sent to Platformly for this item.');
		expect(error.context.itemIndex).toBe(0);
	});
	expect(requests).toHaveLength(0);
}

describe('Contact › Fire Event: bad input is refused before anything is sent', () => {
	test.each<[string, INodeParameters, string]>([
		[
			'no contact identifier',
			{ eventId: 101 },
			'Contact ID or Email is required: give at least one to identify the contact [item 0]',
		],
		[
			'blank contact identifiers',
			{ contactId: '  ', email: '', eventId: 101 },
			'Contact ID or Email is required: give at least one to identify the contact [item 0]',
		],
		[
			'an email that is not an address',
			{ email: 'ann.example.com', eventId: 101 },
			'Email must be an email address, got "ann.example.com" [item 0]',
		],
		[
			'a contact ID that is text',
			{ contactId: 'ann', eventId: 101 },
			'Contact ID must be a positive whole number, got "ann" [item 0]',
		],
		[
			'a contact ID of 0',
			{ contactId: '0', eventId: 101 },
			'Contact ID must be a positive whole number, got "0" [item 0]',
		],
		[
			'no event ID (the untouched default)',
			{ email: 'ann@example.com' },
			'Event ID is required [item 0]',
		],
		[
			'an event ID of 0 (the default of 0.x workflows)',
			{ email: 'ann@example.com', eventId: 0 },
			'Event ID must be a positive whole number, got 0 [item 0]',
		],
		[
			'an event ID from an expression that gives nothing',
			{ email: 'ann@example.com', eventId: '={{ $json.missing }}' },
			'Event ID is required [item 0]',
		],
		[
			'an event ID past the largest whole number JavaScript holds exactly',
			{ email: 'ann@example.com', eventId: '9007199254740993' },
			'Event ID must be a positive whole number, got "9007199254740993" [item 0]',
		],
		[
			'a negative event ID',
			{ email: 'ann@example.com', eventId: -1 },
			'Event ID must be a positive whole number, got -1 [item 0]',
		],
		[
			'a fractional event ID',
			{ email: 'ann@example.com', eventId: 1.5 },
			'Event ID must be a positive whole number, got 1.5 [item 0]',
		],
		[
			'an event ID that is text',
			{ email: 'ann@example.com', eventId: '={{ "abc" }}' },
			'Event ID must be a positive whole number, got "abc" [item 0]',
		],
		[
			'options JSON that is a list',
			{
				email: 'ann@example.com',
				eventId: 101,
				specifyEventOptions: 'json',
				eventOptionsJson: '["/home"]',
			},
			'Event Options (JSON) must be a JSON object like {"path": "/home"}, got ["/home"] [item 0]',
		],
		[
			'an option row without a name',
			{
				email: 'ann@example.com',
				eventId: 101,
				specifyEventOptions: 'keypair',
				eventOptionsParameters: { parameters: [{ name: '', value: '/home' }] },
			},
			'Event Option Fields row 1 has no name [item 0]',
		],
	])('%s', async (_case, fields, message) => {
		await expectRejected(fields, message);
	});

	test('options JSON that does not parse', async () => {
		await expectRejected(
			{
				email: 'ann@example.com',
				eventId: 101,
				specifyEventOptions: 'json',
				eventOptionsJson: '{"path": ',
			},
			/^Event Options \(JSON\) is not valid JSON \(.+\) \[item 0\]$/,
		);
	});

	test('one bad item among good ones stops the run before the first request, naming that item', async () => {
		const { requests } = mockPlatformly();
		const run = runPlatformly({
			items: [
				{ email: 'ann@example.com' },
				{ email: 'ben@example.com' },
				{ email: 'not-an-address' },
			],
			parameters: fireEvent({ email: '={{ $json.email }}', eventId: 101 }),
		});

		await expect(run).rejects.toThrow(
			'Email must be an email address, got "not-an-address" [item 2]',
		);
		expect(requests).toHaveLength(0);
	});

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'with %s, a bad item becomes an error item and the others are still sent',
		async (onError) => {
			const { requests } = mockPlatformly();

			const output = await runPlatformly({
				onError,
				items: [
					{ email: 'ann@example.com' },
					{ email: 'not-an-address' },
					{ email: 'cara@example.com' },
				],
				parameters: fireEvent({ email: '={{ $json.email }}', eventId: 101 }),
			});

			expect(requests.map((request) => request.value)).toEqual([
				{ email: 'ann@example.com', event: 101 },
				{ email: 'cara@example.com', event: 101 },
			]);
			expect(output.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual([
				{ json: SUCCESS_ANSWER, pairedItem: { item: 0 } },
				{
					json: { error: 'Email must be an email address, got "not-an-address" [item 1]' },
					pairedItem: { item: 1 },
				},
				{ json: SUCCESS_ANSWER, pairedItem: { item: 2 } },
			]);
			expect(output[1].error).toBeInstanceOf(NodeOperationError);
		},
	);

	test('an expression that fails in one item names the item', async () => {
		const { requests } = mockPlatformly();
		const run = runPlatformly({
			items: [{ contact: { id: 12 } }, {}],
			parameters: fireEvent({ contactId: '={{ $json.contact.id }}', eventId: 101 }),
		});

		await expect(run).rejects.toThrow(NodeOperationError);
		await run.catch((error: NodeOperationError) => expect(error.context.itemIndex).toBe(1));
		expect(requests).toHaveLength(0);
	});
});
