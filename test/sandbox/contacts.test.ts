// The contact actions: each answer written out in full, as in protocol.test.ts, and what each leaves
// in the sandbox's state.
import {
	BULK_CONTACT_ID_OFFSET,
	SANDBOX_CONTACTS,
	SANDBOX_EVENTS,
	bulkContactEmail,
} from '../../sandbox';
import { callAction, fireEvent } from './http';
import { useSandboxPerTest } from '../helpers/sandboxPerTest';

const PROCESSED = { status: 'success', message: 'The action has been processed' };
const error = (message: string) => ({ status: 'error', message });
/** fetch_contact answers the address fields of a contact without them as ''. */
const NO_ADDRESS = { address: '', address2: '', city: '', state: '', zip: '' };

const [ann, ben] = SANDBOX_CONTACTS;
const [webinarJoined] = SANDBOX_EVENTS;

const sandbox = useSandboxPerTest();
const call = (action: string, value: object) => callAction(sandbox().url, action, value);
const storedContact = (id: number) =>
	sandbox()
		.state()
		.contacts.find((contact) => contact.id === id);
const storedIds = () =>
	sandbox()
		.state()
		.contacts.map(({ id }) => id);

/** The error answer, and nothing in the sandbox's state changed by the request. */
async function expectRefused(action: string, value: object, message: string) {
	const before = sandbox().state();
	expect(await call(action, value)).toEqual(error(message));
	expect(sandbox().state()).toEqual(before);
}

describe('fetch_contact', () => {
	const annFetched = {
		id: 12,
		email: 'ann@example.com',
		first_name: 'Ann',
		last_name: 'Archer',
		...NO_ADDRESS,
		project: [{ id: 1, data: { segments: [{ id: 301 }], tags: [{ id: 201, name: 'customer' }] } }],
	};

	test.each([
		['contact_id', { contact_id: 12 }],
		['contact_id as a numeric string', { contact_id: '12' }],
		['email in another case, with spaces', { email: ' ANN@example.com ' }],
		['contact_id and email of the same contact', { contact_id: 12, email: 'ann@example.com' }],
	])('%s: answers the flat contact, without a status key', async (_case, value) => {
		expect(await call('fetch_contact', value)).toEqual(annFetched);
	});

	test('answers the address fields at the top level, and the tags by their current name in the order the contact holds them', async () => {
		expect(
			await call('update_contact', {
				project_id: 1,
				contact_id: ann.id,
				organization: 'Archer & Co',
				city: 'York',
				zip: 'YO1 7HH',
				tag: '203,202',
				segment: '303',
			}),
		).toEqual(PROCESSED);
		expect(await call('update_tag', { tag: 201, name: 'client' })).toEqual(PROCESSED);

		const answer = await call('fetch_contact', { contact_id: ann.id });
		expect(answer).toEqual({
			id: 12,
			email: 'ann@example.com',
			first_name: 'Ann',
			last_name: 'Archer',
			address: '',
			address2: '',
			city: 'York',
			state: '',
			zip: 'YO1 7HH',
			organization: 'Archer & Co',
			project: [
				{
					id: 1,
					data: {
						segments: [{ id: 301 }, { id: 303 }],
						tags: [
							{ id: 201, name: 'client' },
							{ id: 203, name: 'vip' },
							{ id: 202, name: 'lead' },
						],
					},
				},
			],
		});
		expect(Object.keys(answer as object)).toEqual([
			'id',
			'email',
			'first_name',
			'last_name',
			'address',
			'address2',
			'city',
			'state',
			'zip',
			'organization',
			'project',
		]);
	});

	test('a bulk contact is found without being stored', async () => {
		expect(await call('fetch_contact', { email: bulkContactEmail(7) })).toEqual({
			id: 100007,
			email: 'bulk-7@example.com',
			first_name: 'Bulk',
			last_name: 'Contact 7',
			...NO_ADDRESS,
			project: [{ id: 1, data: { segments: [], tags: [] } }],
		});
		expect(storedIds()).toEqual([12, 13, 14, 15, 16]);
	});

	test.each([
		['no contact', {}, 'Contact ID or email is required'],
		['an unknown contact_id', { contact_id: 999 }, 'Contact Not Found'],
		['an unknown email', { email: 'nobody@example.com' }, 'Contact Not Found'],
		[
			'contact_id and email of different contacts',
			{ contact_id: ann.id, email: ben.email },
			'Contact Not Found',
		],
	])('%s: answers the error', async (_case, value, message) => {
		expect(await call('fetch_contact', value)).toEqual(error(message));
	});
});

describe('add_contact', () => {
	test('answers the new id; the contact is stored with every field sent, and can be fetched and fired for', async () => {
		const answer = await call('add_contact', {
			project_id: 1,
			email: ' nia.novak@example.com ',
			first_name: 'Nia',
			last_name: 'Novak',
			phone: '+44 20 7946 0000',
			birthday: 631152000,
			cf_favourite_colour_7: 'green',
			tag: '202, 203',
			segment: 302,
		});
		expect(answer).toEqual({
			status: 'success',
			message: 'The contact has been added',
			data: { cc_id: 1000 },
		});
		expect(storedContact(1000)).toEqual({
			id: 1000,
			project_id: 1,
			email: 'nia.novak@example.com',
			first_name: 'Nia',
			last_name: 'Novak',
			phone: '+44 20 7946 0000',
			birthday: 631152000,
			tags: [202, 203],
			segments: [302],
			notes: [],
			custom_fields: { cf_favourite_colour_7: 'green' },
		});
		expect(await call('fetch_contact', { email: 'nia.novak@example.com' })).toEqual({
			id: 1000,
			email: 'nia.novak@example.com',
			first_name: 'Nia',
			last_name: 'Novak',
			...NO_ADDRESS,
			phone: '+44 20 7946 0000',
			birthday: 631152000,
			'Favourite colour': 'green',
			project: [
				{
					id: 1,
					data: {
						segments: [{ id: 302 }],
						tags: [
							{ id: 202, name: 'lead' },
							{ id: 203, name: 'vip' },
						],
					},
				},
			],
		});

		expect(
			(await fireEvent(sandbox().url, { email: 'nia.novak@example.com', event: webinarJoined.id }))
				.status,
		).toBe(200);
		expect(sandbox().fired()).toEqual([
			expect.objectContaining({ contactId: 1000, email: 'nia.novak@example.com' }),
		]);
	});

	test('ids count up; a contact with only an email shows empty names', async () => {
		expect(await call('add_contact', { project_id: '2', email: 'first@example.com' })).toEqual({
			status: 'success',
			message: 'The contact has been added',
			data: { cc_id: 1000 },
		});
		expect(await call('add_contact', { project_id: 2, email: 'second@example.com' })).toEqual({
			status: 'success',
			message: 'The contact has been added',
			data: { cc_id: 1001 },
		});
		expect(await call('fetch_contact', { contact_id: 1001 })).toEqual({
			id: 1001,
			email: 'second@example.com',
			first_name: '',
			last_name: '',
			...NO_ADDRESS,
			project: [{ id: 2, data: { segments: [], tags: [] } }],
		});
	});

	const newContact = { project_id: 1, email: 'new@example.com' };
	test.each([
		['no project_id', { email: 'new@example.com' }, 'Project ID is required'],
		['an unknown project', { ...newContact, project_id: 99 }, 'Project Not Found'],
		['no email', { project_id: 1 }, 'Email is required'],
		['a blank email', { ...newContact, email: '  ' }, 'Email is required'],
		['an email without "@"', { ...newContact, email: 'new.example.com' }, 'Email is required'],
		[
			'the email of a contact, in another case',
			{ ...newContact, email: 'ANN@example.com' },
			'Contact already exists',
		],
		[
			'the email of a bulk contact',
			{ ...newContact, email: bulkContactEmail(3) },
			'Contact already exists',
		],
		[
			'a field Platformly does not have',
			{ ...newContact, company: 'Acme' },
			'Unknown field: company',
		],
		['a contact_id', { ...newContact, contact_id: 12 }, 'Unknown field: contact_id'],
		[
			'a custom field id that does not exist',
			{ ...newContact, cf_favourite_colour_9: 'red' },
			'Custom Field Not Found: cf_favourite_colour_9',
		],
		[
			'a custom field key with the wrong alias',
			{ ...newContact, cf_colour_7: 'red' },
			'Custom Field Not Found: cf_colour_7',
		],
		[
			'a custom field key without an id',
			{ ...newContact, cf_plan: 'pro' },
			'Custom Field Not Found: cf_plan',
		],
		[
			'a custom field of another project',
			{ ...newContact, project_id: 2, cf_plan_8: 'pro' },
			'Custom Field Not Found: cf_plan_8',
		],
		['an unknown tag among known ones', { ...newContact, tag: '202,999' }, 'Tag Not Found: 999'],
		['a tag of another project', { ...newContact, tag: 221 }, 'Tag Not Found: 221'],
		['a tag by name', { ...newContact, tag: 'vip' }, 'Tag Not Found: vip'],
		['a segment of another project', { ...newContact, segment: '311' }, 'Segment Not Found: 311'],
	])('%s: answers the error and stores nothing', async (_case, value, message) => {
		await expectRefused('add_contact', value, message);
	});
});

describe('update_contact', () => {
	test('by contact_id: fields and custom fields are set, tags and segments added', async () => {
		const answer = await call('update_contact', {
			project_id: 1,
			contact_id: ben.id,
			last_name: 'Okafor-Smith',
			city: 'Leeds',
			cf_plan_8: 'pro',
			tag: '202',
			segment: '301,302',
		});
		expect(answer).toEqual(PROCESSED);
		expect(storedContact(ben.id)).toEqual({
			id: 13,
			project_id: 1,
			email: 'ben@example.com',
			first_name: 'Ben',
			last_name: 'Okafor-Smith',
			city: 'Leeds',
			tags: [202],
			segments: [301, 302],
			notes: [],
			custom_fields: { cf_plan_8: 'pro' },
		});
	});

	test('by email: tags are added to those the contact has, each once', async () => {
		expect(
			await call('update_contact', { project_id: 1, email: ann.email, tag: '202,201,202' }),
		).toEqual(PROCESSED);
		expect(storedContact(ann.id)?.tags).toEqual([201, 202]);
	});

	test('contact_id with an email changes the email; the old one is then unknown', async () => {
		expect(
			await call('update_contact', {
				project_id: 1,
				contact_id: ann.id,
				email: 'ann.archer@example.com',
			}),
		).toEqual(PROCESSED);
		expect(await call('fetch_contact', { email: 'ann.archer@example.com' })).toMatchObject({
			id: ann.id,
			email: 'ann.archer@example.com',
		});
		expect(await call('fetch_contact', { email: ann.email })).toEqual(error('Contact Not Found'));
	});

	const update = { project_id: 1, contact_id: ann.id };
	test.each([
		['no project_id', { contact_id: ann.id, city: 'York' }, 'Project ID is required'],
		['an unknown project', { ...update, project_id: 3 }, 'Project Not Found'],
		['no contact', { project_id: 1, city: 'York' }, 'Contact ID or email is required'],
		['an unknown contact_id', { ...update, contact_id: 999 }, 'The action was not processed.'],
		[
			'an unknown email',
			{ project_id: 1, email: 'nobody@example.com' },
			'The action was not processed.',
		],
		['a contact of another project', { ...update, project_id: 2 }, 'The action was not processed.'],
		[
			'a field Platformly does not have',
			{ ...update, nickname: 'Annie' },
			'Unknown field: nickname',
		],
		[
			'a custom field key with the wrong id',
			{ ...update, cf_plan_7: 'pro' },
			'Custom Field Not Found: cf_plan_7',
		],
		['an unknown tag', { ...update, tag: '999' }, 'Tag Not Found: 999'],
		['an unknown segment', { ...update, segment: '0' }, 'Segment Not Found: 0'],
		[
			'a new email that another contact has',
			{ ...update, email: ben.email },
			'Contact already exists',
		],
		['a new email without "@"', { ...update, email: 'ann' }, 'Email is required'],
	])('%s: answers the error and changes nothing', async (_case, value, message) => {
		await expectRefused('update_contact', value, message);
	});
});

describe('contact_add_note', () => {
	test('adds notes in order, each with the time its request arrived', async () => {
		expect(
			await call('contact_add_note', { contact_id: ann.id, note: 'Called about the invoice' }),
		).toEqual(PROCESSED);
		expect(await call('contact_add_note', { email: ann.email, note: 'Paid' })).toEqual(PROCESSED);
		const [first, second] = sandbox().requests();
		expect(storedContact(ann.id)?.notes).toEqual([
			{ note: 'Called about the invoice', at: first.at },
			{ note: 'Paid', at: second.at },
		]);
	});

	test.each([
		['no note', { contact_id: ann.id }, 'Note is required'],
		['a blank note', { contact_id: ann.id, note: '  ' }, 'Note is required'],
		['no contact', { note: 'Hello' }, 'Contact ID or email is required'],
		['an unknown contact', { email: 'nobody@example.com', note: 'Hello' }, 'Contact Not Found'],
	])('%s: answers the error and changes nothing', async (_case, value, message) => {
		await expectRefused('contact_add_note', value, message);
	});
});

describe('tags of a contact', () => {
	test('contact_tag_add adds each tag once, whether sent as a list or as one number', async () => {
		expect(await call('contact_tag_add', { contact_id: ben.id, tag: '202,203' })).toEqual(
			PROCESSED,
		);
		expect(await call('contact_tag_add', { contact_id: ben.id, tag: 203 })).toEqual(PROCESSED);
		expect(storedContact(ben.id)?.tags).toEqual([202, 203]);
	});

	test('contact_tag_remove removes the tags sent, and ignores those the contact lacks', async () => {
		expect(await call('contact_tag_remove', { email: ann.email, tag: '201,202' })).toEqual(
			PROCESSED,
		);
		expect(storedContact(ann.id)).toMatchObject({ tags: [], segments: [301] });
	});

	test('contact_tag_removeall removes every tag and no segment', async () => {
		await call('contact_tag_add', { contact_id: ann.id, tag: '202,203' });
		expect(await call('contact_tag_removeall', { contact_id: ann.id })).toEqual(PROCESSED);
		expect(storedContact(ann.id)).toMatchObject({ tags: [], segments: [301] });
	});

	test.each([
		['contact_tag_add', 'no tag', { contact_id: ann.id }, 'Tag is required'],
		['contact_tag_add', 'an unknown tag', { contact_id: ann.id, tag: '999' }, 'Tag Not Found: 999'],
		[
			'contact_tag_add',
			'a tag of another project',
			{ contact_id: ann.id, tag: 221 },
			'Tag Not Found: 221',
		],
		[
			'contact_tag_add',
			'a list with a name in it',
			{ contact_id: ann.id, tag: '202,abc' },
			'Tag Not Found: abc',
		],
		['contact_tag_add', 'a JSON array', { contact_id: ann.id, tag: [202] }, 'Tag Not Found: [202]'],
		['contact_tag_add', 'an unknown contact', { contact_id: 999, tag: '202' }, 'Contact Not Found'],
		['contact_tag_remove', 'no tag', { contact_id: ann.id }, 'Tag is required'],
		[
			'contact_tag_remove',
			'an unknown tag',
			{ contact_id: ann.id, tag: 999 },
			'Tag Not Found: 999',
		],
		['contact_tag_removeall', 'no contact', {}, 'Contact ID or email is required'],
		[
			'contact_tag_removeall',
			'an unknown contact',
			{ email: 'nobody@example.com' },
			'Contact Not Found',
		],
	])('%s with %s: answers the error and changes nothing', async (action, _case, value, message) => {
		await expectRefused(action, value, message);
	});
});

describe('segments of a contact', () => {
	test('contact_segment_add adds each segment once', async () => {
		expect(await call('contact_segment_add', { email: ann.email, segment: '302,301' })).toEqual(
			PROCESSED,
		);
		expect(storedContact(ann.id)?.segments).toEqual([301, 302]);
	});

	test('contact_segment_removeall removes every segment and no tag', async () => {
		expect(await call('contact_segment_removeall', { contact_id: ann.id })).toEqual(PROCESSED);
		expect(storedContact(ann.id)).toMatchObject({ tags: [201], segments: [] });
	});

	test.each([
		['contact_segment_add', 'no segment', { contact_id: ann.id }, 'Segment is required'],
		[
			'contact_segment_add',
			'an unknown segment',
			{ contact_id: ann.id, segment: '304' },
			'Segment Not Found: 304',
		],
		[
			'contact_segment_add',
			'a segment of another project',
			{ contact_id: ann.id, segment: 311 },
			'Segment Not Found: 311',
		],
		['contact_segment_add', 'no contact', { segment: '301' }, 'Contact ID or email is required'],
		['contact_segment_removeall', 'an unknown contact', { contact_id: 999 }, 'Contact Not Found'],
	])('%s with %s: answers the error and changes nothing', async (action, _case, value, message) => {
		await expectRefused(action, value, message);
	});
});

describe('bulk contacts', () => {
	const bulkId = BULK_CONTACT_ID_OFFSET + 9;

	test('reading and firing store nothing; the first change stores the contact', async () => {
		await call('fetch_contact', { contact_id: bulkId });
		await fireEvent(sandbox().url, { contact_id: bulkId, event: webinarJoined.id });
		expect(storedIds()).toEqual([12, 13, 14, 15, 16]);

		expect(await call('contact_tag_add', { email: bulkContactEmail(9), tag: '202' })).toEqual(
			PROCESSED,
		);
		expect(storedContact(bulkId)).toEqual({
			id: 100009,
			project_id: 1,
			email: 'bulk-9@example.com',
			first_name: 'Bulk',
			last_name: 'Contact 9',
			tags: [202],
			segments: [],
			notes: [],
			custom_fields: {},
		});
		expect(await call('fetch_contact', { contact_id: bulkId })).toMatchObject({
			project: [{ id: 1, data: { segments: [], tags: [{ id: 202, name: 'lead' }] } }],
		});
	});

	test('once its email changes, its old address is free for a new contact', async () => {
		expect(
			await call('update_contact', {
				project_id: 1,
				contact_id: bulkId,
				email: 'renamed@example.com',
			}),
		).toEqual(PROCESSED);
		expect(await call('fetch_contact', { email: bulkContactEmail(9) })).toEqual(
			error('Contact Not Found'),
		);
		expect(await call('add_contact', { project_id: 1, email: bulkContactEmail(9) })).toEqual({
			status: 'success',
			message: 'The contact has been added',
			data: { cc_id: 1000 },
		});
	});
});
