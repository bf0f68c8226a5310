import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runPlatformly, TEST_API_KEY } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork, SUCCESS_ANSWER } from '../helpers/platformlyMock';

afterEach(resetNetwork);

const project = (value: string, mode = 'list') => ({ __rl: true, mode, value });

const ANN = { contactId: '12', email: 'ann@example.com' };

/** Each operation, the parameters a user sets, and the exact `action` and `value` that go out. */
test.each<[string, INodeParameters, string, string]>([
	['Account › Get Profile', { resource: 'account', operation: 'getProfile' }, 'profile', '{}'],
	[
		'Contact › Get by email',
		{ resource: 'contact', operation: 'get', email: 'ann@example.com' },
		'fetch_contact',
		'{"email":"ann@example.com"}',
	],
	[
		'Contact › Get by ID',
		{ resource: 'contact', operation: 'get', contactId: '12' },
		'fetch_contact',
		'{"contact_id":12}',
	],
	[
		'Contact › Create with only the required fields',
		{
			resource: 'contact',
			operation: 'create',
			projectId: project('1'),
			email: ' new@example.com ',
		},
		'add_contact',
		'{"project_id":1,"email":"new@example.com"}',
	],
	[
		'Contact › Create with details, dates, tags, segments and custom fields',
		{
			resource: 'contact',
			operation: 'create',
			projectId: project('1', 'id'),
			email: 'new@example.com',
			additionalFields: {
				firstName: 'Nia',
				lastName: 'Obi',
				smsNumber: '+44 7700 900123',
				birthday: '1990-05-17T00:00:00.000Z',
				linkedIn: 'nia-obi',
				tagIds: [201, 203],
				segmentIds: ['301'],
			},
			customFields: {
				field: [
					{ key: 'cf_favourite_colour_7', value: 'teal' },
					{ key: 'cf_plan_8', value: 'pro' },
				],
			},
		},
		'add_contact',
		'{"project_id":1,"email":"new@example.com","birthday":642902400,"first_name":"Nia","last_name":"Obi",' +
			'"linked_in":"nia-obi","sms_number":"+44 7700 900123","tag":"201,203","segment":"301",' +
			'"cf_favourite_colour_7":"teal","cf_plan_8":"pro"}',
	],
	[
		'Contact › Update',
		{
			resource: 'contact',
			operation: 'update',
			projectId: project('1'),
			...ANN,
			updateFields: { city: 'Leeds', date: 1700000000, tagIds: '202, 201' },
		},
		'update_contact',
		'{"project_id":1,"contact_id":12,"email":"ann@example.com","city":"Leeds","date":1700000000,"tag":"202,201"}',
	],
	[
		'Contact › Update with only a custom field',
		{
			resource: 'contact',
			operation: 'update',
			projectId: project('1'),
			email: 'ann@example.com',
			customFields: { field: [{ key: 'cf_plan_8', value: 'basic' }] },
		},
		'update_contact',
		'{"project_id":1,"email":"ann@example.com","cf_plan_8":"basic"}',
	],
	[
		'Contact › Add Note',
		{
			resource: 'contact',
			operation: 'addNote',
			email: 'ann@example.com',
			note: 'Called on Monday.\nWants a demo.',
		},
		'contact_add_note',
		'{"email":"ann@example.com","note":"Called on Monday.\\nWants a demo."}',
	],
	[
		'Contact › Add Tags',
		{ resource: 'contact', operation: 'addTags', ...ANN, tagIds: [201, 202] },
		'contact_tag_add',
		'{"contact_id":12,"email":"ann@example.com","tag":"201,202"}',
	],
	[
		'Contact › Remove Tags',
		{ resource: 'contact', operation: 'removeTags', contactId: '12', tagIds: '203' },
		'contact_tag_remove',
		'{"contact_id":12,"tag":"203"}',
	],
	[
		'Contact › Remove All Tags',
		{ resource: 'contact', operation: 'removeAllTags', contactId: '12' },
		'contact_tag_removeall',
		'{"contact_id":12}',
	],
	[
		'Contact › Add to Segments',
		{
			resource: 'contact',
			operation: 'addToSegments',
			email: 'ann@example.com',
			segmentIds: [302, 302, 303],
		},
		'contact_segment_add',
		'{"email":"ann@example.com","segment":"302,303"}',
	],
	[
		'Contact › Remove From All Segments',
		{ resource: 'contact', operation: 'removeFromAllSegments', email: 'ann@example.com' },
		'contact_segment_removeall',
		'{"email":"ann@example.com"}',
	],
	[
		'Event › Create',
		{
			resource: 'event',
			operation: 'create',
			projectId: project('1'),
			eventAction: 'visit',
			eventDescription: 'Visited the pricing page',
			specifyEventOptions: 'keypair',
			eventOptionsParameters: { parameters: [{ name: 'path', value: '/pricing' }] },
		},
		'add_event',
		'{"project_id":1,"action":"visit","desc":"Visited the pricing page","options":{"path":"/pricing"}}',
	],
	[
		'Event › Create with Event Options (JSON) left at {}',
		{
			resource: 'event',
			operation: 'create',
			projectId: project('1'),
			eventAction: 'visit',
			eventDescription: 'Visited the pricing page',
			specifyEventOptions: 'json',
			eventOptionsJson: '{}',
		},
		'add_event',
		'{"project_id":1,"action":"visit","desc":"Visited the pricing page"}',
	],
	[
		'Event › Update with Event Options (JSON) at {} beside a new description',
		{
			resource: 'event',
			operation: 'update',
			eventId: 101,
			updateFields: { eventDescription: 'Joined live' },
			specifyEventOptions: 'json',
			eventOptionsJson: '{}',
		},
		'update_event',
		'{"event":101,"desc":"Joined live"}',
	],
	[
		'Event › Update the description only',
		{
			resource: 'event',
			operation: 'update',
			eventId: 101,
			updateFields: { eventDescription: 'Joined live' },
		},
		'update_event',
		'{"event":101,"desc":"Joined live"}',
	],
	[
		'Event › Update the options only',
		{
			resource: 'event',
			operation: 'update',
			eventId: 101,
			specifyEventOptions: 'json',
			eventOptionsJson: '{"path":"/live"}',
		},
		'update_event',
		'{"event":101,"options":{"path":"/live"}}',
	],
	[
		'Tag › Update',
		{
			resource: 'tag',
			operation: 'update',
			tagId: 201,
			updateFields: { tagName: 'customers', tagDescription: 'Paid at least once' },
		},
		'update_tag',
		'{"tag":201,"name":"customers","desc":"Paid at least once"}',
	],
	[
		'Custom Field › Create',
		{
			resource: 'customField',
			operation: 'create',
			projectId: project('2'),
			customFieldName: 'Shoe size',
			customFieldDescription: 'EU sizes',
		},
		'add_custom_field',
		'{"project_id":2,"name":"Shoe size","desc":"EU sizes"}',
	],
	[
		'Custom Field › Create without a description',
		{
			resource: 'customField',
			operation: 'create',
			projectId: project('2'),
			customFieldName: 'Shoe size',
		},
		'add_custom_field',
		'{"project_id":2,"name":"Shoe size"}',
	],
])('%s sends exactly its action and value', async (_case, parameters, action, value) => {
	const { requests } = mockPlatformly();

	const output = await runPlatformly({ parameters });

	expect(requests.map(({ fields }) => fields)).toEqual([{ action, value, api_key: TEST_API_KEY }]);
	expect(output).toEqual([{ json: SUCCESS_ANSWER, pairedItem: { item: 0 } }]);
});

describe('answers become output items', () => {
	test('Contact › Get outputs the contact as Platformly sends it', async () => {
		const contact = {
			id: 12,
			email: 'ann@example.com',
			first_name: 'Ann',
			project: [{ id: 1, data: { segments: ['301'] } }],
		};
		mockPlatformly(() => [200, contact]);

		const output = await runPlatformly({
			parameters: { resource: 'contact', operation: 'get', contactId: '12' },
		});

		expect(output).toEqual([{ json: contact, pairedItem: { item: 0 } }]);
	});

	test("Contact › Create outputs the new contact ID in Platformly's answer", async () => {
		const answer = {
			status: 'success',
			message: 'The contact has been added',
			data: { cc_id: 1000 },
		};
		mockPlatformly(() => [200, answer]);

		const output = await runPlatformly({
			parameters: {
				resource: 'contact',
				operation: 'create',
				projectId: project('1'),
				email: 'new@example.com',
			},
		});

		expect(output).toEqual([{ json: answer, pairedItem: { item: 0 } }]);
	});

	test('every item runs its own operation, each paired with its input', async () => {
		const { requests } = mockPlatformly();

		const output = await runPlatformly({
			items: [
				{ email: 'ann@example.com', text: 'First' },
				{ email: 'ben@example.com', text: 'Second' },
			],
			parameters: {
				resource: 'contact',
				operation: 'addNote',
				email: '={{ $json.email }}',
				note: '={{ $json.text }}',
			},
		});

		expect(requests.map(({ value }) => value as IDataObject)).toEqual([
			{ email: 'ann@example.com', note: 'First' },
			{ email: 'ben@example.com', note: 'Second' },
		]);
		expect(output.map(({ pairedItem }) => pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('a project chosen by expression in "By ID" mode is read per item', async () => {
		const { requests } = mockPlatformly(() => [200, []]);

		await runPlatformly({
			items: [{ project: 1 }, { project: '2' }],
			parameters: {
				resource: 'segment',
				operation: 'getAll',
				returnAll: true,
				projectId: project('={{ $json.project }}', 'id'),
			},
		});

		expect(requests.map(({ value }) => value)).toEqual([
			{ project_id: 1, page: 0 },
			{ project_id: 2, page: 0 },
		]);
	});
});
