// The sandbox's state: the seed it starts from, how it is read (state() and GET /__sandbox/state),
// that reset() restores it, and that a faulted request leaves it as it was.
import {
	SANDBOX_CONTACTS,
	SANDBOX_CUSTOM_FIELDS,
	SANDBOX_EVENTS,
	SANDBOX_PROJECTS,
	SANDBOX_SEGMENTS,
	SANDBOX_TAGS,
	bulkContactEmail,
	startSandbox,
} from '../../sandbox';
import type { FaultName } from '../../sandbox';
import { apiFields, callAction, callPlatformly } from './http';
import { useSandboxPerTest } from '../helpers/sandboxPerTest';

const SEED_STATE = {
	projects: SANDBOX_PROJECTS,
	contacts: SANDBOX_CONTACTS,
	tags: SANDBOX_TAGS,
	segments: SANDBOX_SEGMENTS,
	customFields: SANDBOX_CUSTOM_FIELDS,
	events: SANDBOX_EVENTS,
};
const ADDED = { status: 'success', message: 'The contact has been added', data: { cc_id: 1000 } };
const NEW_CONTACT = { project_id: 1, email: 'new@example.com' };

const [ann] = SANDBOX_CONTACTS;

const sandbox = useSandboxPerTest();
const call = (action: string, value: object) => callAction(sandbox().url, action, value);

/** One successful request of every kind that changes the state. */
async function changeEverything() {
	const changes: Array<[string, object]> = [
		['add_contact', { ...NEW_CONTACT, tag: '202' }],
		[
			'update_contact',
			{ project_id: 1, contact_id: ann.id, email: 'ann.archer@example.com', city: 'York' },
		],
		['contact_add_note', { contact_id: ann.id, note: 'Moved' }],
		['contact_tag_removeall', { contact_id: ann.id }],
		['contact_segment_add', { email: bulkContactEmail(1), segment: '302' }],
		['update_tag', { tag: 201, name: 'client' }],
		['add_custom_field', { project_id: 2, name: 'Seat' }],
		['add_event', { project_id: 1, action: 'visit', desc: 'Visited a page' }],
		['update_event', { event: 101, desc: 'Joined' }],
	];
	for (const [action, value] of changes)
		expect(await call(action, value)).toMatchObject({ status: 'success' });
}

test('a fresh sandbox holds the seed', async () => {
	expect(sandbox().state()).toEqual(SEED_STATE);
	// The seed as the contract gives it, so that a change to seed.js shows here too.
	expect(sandbox().state().contacts[0]).toEqual({
		id: 12,
		project_id: 1,
		email: 'ann@example.com',
		first_name: 'Ann',
		last_name: 'Archer',
		tags: [201],
		segments: [301],
		notes: [],
		custom_fields: {},
	});
	expect(SANDBOX_TAGS.filter(({ project_id }) => project_id === 1).map(({ id }) => id)).toEqual([
		201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212,
	]);
});

test('GET /__sandbox/state answers what state() returns', async () => {
	await changeEverything();
	const response = await fetch(`${sandbox().url}/__sandbox/state`);
	expect(response.status).toBe(200);
	expect(await response.json()).toEqual(sandbox().state());
	expect(sandbox().state()).not.toEqual(SEED_STATE);
});

test('state() gives a copy: changing it changes nothing in the sandbox', async () => {
	const state = sandbox().state();
	state.contacts[0].tags.push(999);
	state.events.pop();
	expect(sandbox().state()).toEqual(SEED_STATE);
});

test('the seed itself stays as it was, frozen', async () => {
	await changeEverything();
	expect(ann.tags).toEqual([201]);
	expect(ann.email).toBe('ann@example.com');
	expect(Object.isFrozen(ann.tags)).toBe(true);
	expect(SANDBOX_TAGS[0].name).toBe('customer');
});

test('reset() restores the seed, and new ids count from the start again', async () => {
	await changeEverything();
	sandbox().reset();
	expect(sandbox().state()).toEqual(SEED_STATE);
	expect(await call('add_contact', NEW_CONTACT)).toEqual(ADDED);
});

test('POST /__sandbox/reset restores the seed too', async () => {
	await changeEverything();
	expect((await fetch(`${sandbox().url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
	expect(sandbox().state()).toEqual(SEED_STATE);
});

test('each sandbox has its own state', async () => {
	const other = await startSandbox();
	try {
		await callAction(other.url, 'add_contact', NEW_CONTACT);
		expect(other.state().contacts.map(({ id }) => id)).toContain(1000);
		expect(sandbox().state()).toEqual(SEED_STATE);
	} finally {
		await other.close();
	}
});

describe('faults', () => {
	test.each(['429', '503', '500', 'non-json', 'error'] satisfies FaultName[])(
		'%s: the faulted request changes nothing',
		async (fault) => {
			sandbox().setFaults({ queue: [fault] });
			await callPlatformly(sandbox().url, apiFields('add_contact', NEW_CONTACT));
			expect(sandbox().state()).toEqual(SEED_STATE);
			expect(await call('add_contact', NEW_CONTACT)).toEqual(ADDED);
		},
	);

	test('hang: the request the client gave up on changes nothing', async () => {
		sandbox().setFaults({ queue: ['hang'] });
		await expect(
			callPlatformly(sandbox().url, apiFields('add_contact', NEW_CONTACT), {
				signal: AbortSignal.timeout(100),
			}),
		).rejects.toThrow();
		expect(sandbox().state()).toEqual(SEED_STATE);
	});

	test('500-after-fire: the action runs, then the answer is HTTP 500', async () => {
		sandbox().setFaults({ queue: ['500-after-fire'] });
		expect(
			(await callPlatformly(sandbox().url, apiFields('add_contact', NEW_CONTACT))).status,
		).toBe(500);
		expect(
			sandbox()
				.state()
				.contacts.map(({ id }) => id),
		).toEqual([12, 13, 14, 15, 16, 1000]);
		expect(await call('add_contact', NEW_CONTACT)).toEqual({
			status: 'error',
			message: 'Contact already exists',
		});
	});
});
