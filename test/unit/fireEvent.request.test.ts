import type { INodeParameters } from 'n8n-workflow';

import { runPlatformly, TEST_API_KEY } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork, SUCCESS_ANSWER } from '../helpers/platformlyMock';

const fireEvent = (fields: INodeParameters): INodeParameters => ({
	resource: 'contact',
	operation: 'fireEvent',
	...fields,
});

afterEach(resetNetwork);

describe('Contact › Fire Event: the request on the wire', () => {
	test('is a form-encoded POST whose exact bytes carry action, value and the key', async () => {
		const { requests } = mockPlatformly();

		await runPlatformly({ parameters: fireEvent({ email: 'ann@example.com', eventId: 101 }) });

		expect(requests).toHaveLength(1);
		expect(requests[0].contentType).toBe('application/x-www-form-urlencoded');
		expect(requests[0].rawBody).toBe(
			'action=contact_event_fire' +
				'&value=%7B%22email%22%3A%22ann%40example.com%22%2C%22event%22%3A101%7D' +
				`&api_key=${TEST_API_KEY}`,
		);
	});

	test('encodes options with spaces and slashes the way a form does', async () => {
		const { requests } = mockPlatformly();

		await runPlatformly({
			parameters: fireEvent({
				contactId: '12',
				email: 'ann@example.com',
				eventId: 101,
				specifyEventOptions: 'keypair',
				eventOptionsParameters: { parameters: [{ name: 'path', value: '/home page' }] },
			}),
		});

		expect(requests[0].rawBody).toBe(
			'action=contact_event_fire' +
				'&value=%7B%22contact_id%22%3A12%2C%22email%22%3A%22ann%40example.com%22%2C%22event%22%3A101%2C' +
				'%22options%22%3A%7B%22path%22%3A%22%2Fhome+page%22%7D%7D' +
				`&api_key=${TEST_API_KEY}`,
		);
	});

	test.each<[string, INodeParameters, string]>([
		['contact ID only', { contactId: '12', eventId: 101 }, '{"contact_id":12,"event":101}'],
		[
			'email only',
			{ email: 'ann@example.com', eventId: 101 },
			'{"email":"ann@example.com","event":101}',
		],
		[
			'contact ID and email',
			{ contactId: 12, email: 'ann@example.com', eventId: 101 },
			'{"contact_id":12,"email":"ann@example.com","event":101}',
		],
		[
			'options as fields',
			{
				email: 'ann@example.com',
				eventId: 101,
				specifyEventOptions: 'keypair',
				eventOptionsParameters: {
					parameters: [
						{ name: 'path', value: '/home' },
						{ name: 'source', value: 'n8n' },
					],
				},
			},
			'{"email":"ann@example.com","event":101,"options":{"path":"/home","source":"n8n"}}',
		],
		[
			'options as JSON',
			{
				contactId: '12',
				eventId: 101,
				specifyEventOptions: 'json',
				eventOptionsJson: '{"path": "/home", "step": 2}',
			},
			'{"contact_id":12,"event":101,"options":{"path":"/home","step":2}}',
		],
		[
			'an empty JSON object, which sends no options',
			{ contactId: '12', eventId: 101, specifyEventOptions: 'json', eventOptionsJson: '{}' },
			'{"contact_id":12,"event":101}',
		],
		[
			'no option rows, which sends no options',
			{ contactId: '12', eventId: 101, specifyEventOptions: 'keypair', eventOptionsParameters: {} },
			'{"contact_id":12,"event":101}',
		],
		[
			'option fields left over from another mode, which are not sent',
			{
				contactId: '12',
				eventId: 101,
				specifyEventOptions: 'none',
				eventOptionsJson: '{"path": "/x"}',
			},
			'{"contact_id":12,"event":101}',
		],
		[
			'an event ID typed as text',
			{ contactId: '12', eventId: '101' },
			'{"contact_id":12,"event":101}',
		],
	])('sends %s', async (_case, fields, expectedValue) => {
		const { requests } = mockPlatformly();

		await runPlatformly({ parameters: fireEvent(fields) });

		expect(requests).toHaveLength(1);
		expect(requests[0].fields).toEqual({
			action: 'contact_event_fire',
			value: expectedValue,
			api_key: TEST_API_KEY,
		});
	});
});

describe('Contact › Fire Event: items in, items out', () => {
	test('reads every field per item from expressions and pairs each answer with its input', async () => {
		const { requests } = mockPlatformly((_request, index) => [
			200,
			{ ...SUCCESS_ANSWER, n: index },
		]);

		const output = await runPlatformly({
			items: [
				{ email: 'ann@example.com', event: 101, page: '/pricing' },
				{ id: 13, event: '102', page: '/checkout' },
				{ email: 'cara@example.com', id: 14, event: 103, page: '/thanks' },
			],
			parameters: fireEvent({
				contactId: '={{ $json.id ?? "" }}',
				email: '={{ $json.email ?? "" }}',
				eventId: '={{ $json.event }}',
				specifyEventOptions: 'keypair',
				eventOptionsParameters: {
					parameters: [
						{ name: 'path', value: '={{ $json.page }}' },
						{ name: '={{ "item" }}', value: '={{ $itemIndex }}' },
					],
				},
			}),
		});

		expect(requests.map((request) => request.value)).toEqual([
			{ email: 'ann@example.com', event: 101, options: { path: '/pricing', item: 0 } },
			{ contact_id: 13, event: 102, options: { path: '/checkout', item: 1 } },
			{
				contact_id: 14,
				email: 'cara@example.com',
				event: 103,
				options: { path: '/thanks', item: 2 },
			},
		]);
		expect(output).toEqual([
			{ json: { ...SUCCESS_ANSWER, n: 0 }, pairedItem: { item: 0 } },
			{ json: { ...SUCCESS_ANSWER, n: 1 }, pairedItem: { item: 1 } },
			{ json: { ...SUCCESS_ANSWER, n: 2 }, pairedItem: { item: 2 } },
		]);
	});

	test('takes JSON options that an expression builds as an object', async () => {
		const { requests } = mockPlatformly();

		await runPlatformly({
			items: [{ utm: { source: 'webinar', campaign: 'fall' } }],
			parameters: fireEvent({
				contactId: '12',
				eventId: 101,
				specifyEventOptions: 'json',
				eventOptionsJson: '={{ $json.utm }}',
			}),
		});

		expect(requests[0].value).toEqual({
			contact_id: 12,
			event: 101,
			options: { source: 'webinar', campaign: 'fall' },
		});
	});

	test("outputs Platformly's answer as it came", async () => {
		mockPlatformly();

		const output = await runPlatformly({
			parameters: fireEvent({ email: 'ann@example.com', eventId: 101 }),
		});

		expect(output).toEqual([{ json: SUCCESS_ANSWER, pairedItem: { item: 0 } }]);
	});
});
