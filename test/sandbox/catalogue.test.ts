// Projects and what they hold: tags, segments, custom fields and events. Answers are written out in
// full, as in protocol.test.ts, and changes are checked in the sandbox's state.
import { SANDBOX_CONTACTS } from '../../sandbox';
import { callAction, fireEvent } from './http';
import { useSandboxPerTest } from '../helpers/sandboxPerTest';

const PROCESSED = { status: 'success', message: 'The action has been processed' };
const error = (message: string) => ({ status: 'error', message });

const [ann] = SANDBOX_CONTACTS;

const sandbox = useSandboxPerTest();
const call = (action: string, value: object) => callAction(sandbox().url, action, value);

/** The error answer, and nothing in the sandbox's state changed by the request. */
async function expectRefused(action: string, value: object, message: string) {
	const before = sandbox().state();
	expect(await call(action, value)).toEqual(error(message));
	expect(sandbox().state()).toEqual(before);
}

test('list_projects answers every project', async () => {
	expect(await call('list_projects', {})).toEqual([
		{ id: 1, name: 'Main project' },
		{ id: 2, name: 'Webinars' },
	]);
});

describe('list_tags', () => {
	test("page 0, the default, holds the first 10 of the project's tags", async () => {
		expect(await call('list_tags', { project_id: 1 })).toEqual([
			{ id: 201, name: 'customer', desc: 'Has bought something' },
			{ id: 202, name: 'lead', desc: 'Interested, has not bought yet' },
			{ id: 203, name: 'vip', desc: 'Gets a personal answer' },
			{ id: 204, name: 'interest-1', desc: 'Interested in topic 1' },
			{ id: 205, name: 'interest-2', desc: 'Interested in topic 2' },
			{ id: 206, name: 'interest-3', desc: 'Interested in topic 3' },
			{ id: 207, name: 'interest-4', desc: 'Interested in topic 4' },
			{ id: 208, name: 'interest-5', desc: 'Interested in topic 5' },
			{ id: 209, name: 'interest-6', desc: 'Interested in topic 6' },
			{ id: 210, name: 'interest-7', desc: 'Interested in topic 7' },
		]);
		expect(await call('list_tags', { project_id: '1', page: '0' })).toHaveLength(10);
	});

	test('page 1 holds the last 2; page 2 is empty', async () => {
		expect(await call('list_tags', { project_id: '1', page: '1' })).toEqual([
			{ id: 211, name: 'interest-8', desc: 'Interested in topic 8' },
			{ id: 212, name: 'interest-9', desc: 'Interested in topic 9' },
		]);
		expect(await call('list_tags', { project_id: 1, page: 2 })).toEqual([]);
	});

	test('each project has its own tags', async () => {
		expect(await call('list_tags', { project_id: 2 })).toEqual([
			{ id: 221, name: 'attended', desc: 'Attended a webinar' },
			{ id: 222, name: 'no-show', desc: 'Registered for a webinar, did not attend' },
		]);
	});

	test('a list answer is recorded as a success', async () => {
		await call('list_tags', { project_id: 1 });
		expect(
			sandbox()
				.requests()
				.map(({ outcome }) => outcome),
		).toEqual(['success']);
	});

	test.each([
		['no project_id', {}, 'Project ID is required'],
		['an unknown project', { project_id: 9 }, 'Project Not Found'],
		['a negative page', { project_id: 1, page: -1 }, 'Invalid page: not a whole number, 0 or more'],
		[
			'a page that is not a number',
			{ project_id: 1, page: 'next' },
			'Invalid page: not a whole number, 0 or more',
		],
	])('%s: answers the error', async (_case, value, message) => {
		expect(await call('list_tags', value)).toEqual(error(message));
	});
});

describe('update_tag', () => {
	test('changes the name, the description, or both', async () => {
		expect(await call('update_tag', { tag: 202, name: 'prospect' })).toEqual(PROCESSED);
		expect(await call('update_tag', { tag: '203', desc: 'Top customer' })).toEqual(PROCESSED);
		expect(
			await call('update_tag', { tag: 221, name: 'joined', desc: 'Joined a webinar' }),
		).toEqual(PROCESSED);
		expect(
			sandbox()
				.state()
				.tags.filter(({ id }) => [202, 203, 221].includes(id)),
		).toEqual([
			{ id: 202, project_id: 1, name: 'prospect', desc: 'Interested, has not bought yet' },
			{ id: 203, project_id: 1, name: 'vip', desc: 'Top customer' },
			{ id: 221, project_id: 2, name: 'joined', desc: 'Joined a webinar' },
		]);
		expect(await call('list_tags', { project_id: 2 })).toEqual([
			{ id: 221, name: 'joined', desc: 'Joined a webinar' },
			{ id: 222, name: 'no-show', desc: 'Registered for a webinar, did not attend' },
		]);
	});

	test.each([
		['no tag', { name: 'prospect' }, 'Tag ID is required'],
		['neither name nor description', { tag: 202 }, 'Name or description is required'],
		['a blank name only', { tag: 202, name: '  ' }, 'Name or description is required'],
		['an unknown tag', { tag: 999, name: 'prospect' }, 'Tag Not Found: 999'],
		['a tag by name', { tag: 'lead', name: 'prospect' }, 'Tag Not Found: lead'],
	])('%s: answers the error and changes nothing', async (_case, value, message) => {
		await expectRefused('update_tag', value, message);
	});
});

describe('list_segments', () => {
	test("answers a page of the project's segments", async () => {
		expect(await call('list_segments', { project_id: 1 })).toEqual([
			{ id: 301, name: 'Newsletter' },
			{ id: 302, name: 'Customers' },
			{ id: 303, name: 'Trial users' },
		]);
		expect(await call('list_segments', { project_id: '2', page: '0' })).toEqual([
			{ id: 311, name: 'Webinar registrants' },
		]);
		expect(await call('list_segments', { project_id: 1, page: 1 })).toEqual([]);
	});

	test.each([
		['no project_id', { page: 0 }, 'Project ID is required'],
		['an unknown project', { project_id: 0 }, 'Project Not Found'],
	])('%s: answers the error', async (_case, value, message) => {
		expect(await call('list_segments', value)).toEqual(error(message));
	});
});

describe('custom fields', () => {
	test("list_custom_fields answers all of the project's custom fields", async () => {
		expect(await call('list_custom_fields', { project_id: 1 })).toEqual([
			{ id: 7, name: 'Favourite colour', alias: 'favourite_colour', type: 'text' },
			{ id: 8, name: 'Plan', alias: 'plan', type: 'text' },
		]);
		expect(await call('list_custom_fields', { project_id: '2' })).toEqual([]);
	});

	test('add_custom_field answers the id and alias; contacts can then hold a value for it', async () => {
		const answer = await call('add_custom_field', {
			project_id: 1,
			name: 'Shoe size (EU)',
			desc: 'For the shop',
		});
		expect(answer).toEqual({
			status: 'success',
			message: 'The custom field has been created',
			data: { id: 900, alias: 'shoe_size_eu' },
		});
		expect(await call('add_custom_field', { project_id: 2, name: 'Seat' })).toEqual({
			status: 'success',
			message: 'The custom field has been created',
			data: { id: 901, alias: 'seat' },
		});
		expect(sandbox().state().customFields).toEqual([
			{ id: 7, project_id: 1, name: 'Favourite colour', alias: 'favourite_colour', type: 'text' },
			{ id: 8, project_id: 1, name: 'Plan', alias: 'plan', type: 'text' },
			{
				id: 900,
				project_id: 1,
				name: 'Shoe size (EU)',
				alias: 'shoe_size_eu',
				type: 'text',
				desc: 'For the shop',
			},
			{ id: 901, project_id: 2, name: 'Seat', alias: 'seat', type: 'text' },
		]);
		expect(await call('list_custom_fields', { project_id: 1 })).toContainEqual({
			id: 900,
			name: 'Shoe size (EU)',
			alias: 'shoe_size_eu',
			type: 'text',
		});

		expect(
			await call('update_contact', {
				project_id: 1,
				contact_id: ann.id,
				cf_shoe_size_eu_900: '38',
			}),
		).toEqual(PROCESSED);
		expect(await call('fetch_contact', { contact_id: ann.id })).toEqual({
			id: 12,
			email: 'ann@example.com',
			first_name: 'Ann',
			last_name: 'Archer',
			address: '',
			address2: '',
			city: '',
			state: '',
			zip: '',
			'Shoe size (EU)': '38',
			project: [
				{ id: 1, data: { segments: [{ id: 301 }], tags: [{ id: 201, name: 'customer' }] } },
			],
		});
	});

	test.each([
		['list_custom_fields', 'no project_id', {}, 'Project ID is required'],
		['list_custom_fields', 'an unknown project', { project_id: 3 }, 'Project Not Found'],
		['add_custom_field', 'no project_id', { name: 'Seat' }, 'Project ID is required'],
		[
			'add_custom_field',
			'an unknown project',
			{ project_id: 3, name: 'Seat' },
			'Project Not Found',
		],
		['add_custom_field', 'no name', { project_id: 1, desc: 'For the shop' }, 'Name is required'],
		['add_custom_field', 'a blank name', { project_id: 1, name: ' ' }, 'Name is required'],
	])('%s with %s: answers the error and changes nothing', async (action, _case, value, message) => {
		await expectRefused(action, value, message);
	});
});

describe('events', () => {
	test('add_event answers the new id, and the event can be fired at once', async () => {
		const answer = await call('add_event', {
			project_id: 1,
			action: 'trial_started',
			desc: 'Started a trial',
			options: { plan: 'pro' },
		});
		expect(answer).toEqual({
			status: 'success',
			message: 'The event has been created',
			data: { id: 900 },
		});
		expect(
			await call('add_event', { project_id: '2', action: 'visit', desc: 'Visited a page' }),
		).toEqual({
			status: 'success',
			message: 'The event has been created',
			data: { id: 901 },
		});
		expect(sandbox().state().events.slice(-2)).toEqual([
			{
				id: 900,
				project_id: 1,
				action: 'trial_started',
				desc: 'Started a trial',
				options: { plan: 'pro' },
			},
			{ id: 901, project_id: 2, action: 'visit', desc: 'Visited a page', options: {} },
		]);

		const fired = await fireEvent(sandbox().url, { contact_id: ann.id, event: 900 });
		expect(fired.text).toBe('{"status":"success","message":"The action has been processed"}');
		expect(sandbox().fired()).toEqual([expect.objectContaining({ contactId: ann.id, event: 900 })]);
	});

	test('update_event changes what it is sent and keeps the rest', async () => {
		expect(await call('update_event', { event: 101, desc: 'Joined the live webinar' })).toEqual(
			PROCESSED,
		);
		expect(
			await call('update_event', { event: '102', action: 'paid', options: { currency: 'EUR' } }),
		).toEqual(PROCESSED);
		expect(sandbox().state().events.slice(0, 2)).toEqual([
			{
				id: 101,
				project_id: 1,
				action: 'webinar_joined',
				desc: 'Joined the live webinar',
				options: { path: '/webinar' },
			},
			{
				id: 102,
				project_id: 1,
				action: 'paid',
				desc: 'Payment received',
				options: { currency: 'EUR' },
			},
		]);
	});

	const newEvent = { project_id: 1, action: 'visit', desc: 'Visited a page' };
	test.each([
		[
			'add_event',
			'no project_id',
			{ action: 'visit', desc: 'Visited a page' },
			'Project ID is required',
		],
		['add_event', 'an unknown project', { ...newEvent, project_id: 5 }, 'Project Not Found'],
		['add_event', 'no action', { project_id: 1, desc: 'Visited a page' }, 'Action is required'],
		['add_event', 'a blank action', { ...newEvent, action: ' ' }, 'Action is required'],
		['add_event', 'no desc', { project_id: 1, action: 'visit' }, 'Description is required'],
		[
			'add_event',
			'options as a JSON string',
			{ ...newEvent, options: '{"path":"/"}' },
			'Invalid options: not a JSON object',
		],
		[
			'add_event',
			'options as an array',
			{ ...newEvent, options: [] },
			'Invalid options: not a JSON object',
		],
		['update_event', 'no event', { desc: 'Visited' }, 'Event ID is required'],
		['update_event', 'nothing to change', { event: 101 }, 'Nothing to update'],
		['update_event', 'an unknown event', { event: 999, desc: 'Visited' }, 'Event Not Found'],
		[
			'update_event',
			'options that are not an object',
			{ event: 101, options: 'x' },
			'Invalid options: not a JSON object',
		],
	])('%s with %s: answers the error and changes nothing', async (action, _case, value, message) => {
		await expectRefused(action, value, message);
	});
});
