// @ts-check
// Every operation besides Fire Event, in real n8n against the sandbox: what n8n output, which
// requests reached the sandbox, and what the sandbox knows afterwards.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { e2eN8nVersion, failedItem, processed, useN8nCases } from './cases.mjs';
import { seed } from '../../harness/stand-ins/sandbox.mjs';

/**
 * @typedef {import('./cases.mjs').CaseResult} CaseResult
 *
 * What Platformly answers when it creates an event or a custom field.
 * @typedef {{ status: string, message: string, data: { id: number } }} CreatedAnswer
 */

const mainProject = { __rl: true, mode: 'list', value: '1', cachedResultName: 'Main project' };
/** @param {number} id */
const projectById = (id) => ({ __rl: true, mode: 'id', value: String(id) });

/**
 * @param {CaseResult} result
 * @param {string} email
 */
const contact = (result, email) => {
	const found = result.state.contacts.find((candidate) => candidate.email === email);
	assert.ok(found, `the sandbox has no contact ${email}`);
	return found;
};
/** @param {CaseResult} result */
const actions = (result) => result.requests.map(({ action }) => action);
/** @param {CaseResult} result */
const outputJson = (result) => {
	assert.ok(result.main, 'the node did not run');
	return result.main.map(({ json }) => json);
};

describe(`Contacts, events, tags, segments, custom fields and the account in n8n ${e2eN8nVersion()}`, () => {
	const results = useN8nCases({
		getProfile: { items: [{}], parameters: { resource: 'account', operation: 'getProfile' } },
		getContact: { items: [{}], parameters: { operation: 'get', email: 'ann@example.com' } },
		getUnknownContact: {
			items: [{ email: 'nobody@example.com' }, { id: '13' }],
			parameters: { operation: 'get', email: '={{ $json.email }}', contactId: '={{ $json.id }}' },
			onError: 'continueRegularOutput',
		},
		createContact: {
			items: [{ email: 'nia.obi@example.com', plan: 'pro' }],
			parameters: {
				operation: 'create',
				projectId: mainProject,
				email: '={{ $json.email }}',
				additionalFields: {
					firstName: 'Nia',
					lastName: 'Obi',
					birthday: '1990-05-17T00:00:00.000Z',
					tagIds: [201, 203],
					segmentIds: [301],
				},
				customFields: { field: [{ key: 'cf_plan_8', value: '={{ $json.plan }}' }] },
			},
		},
		createExistingContact: {
			items: [{}],
			parameters: { operation: 'create', projectId: mainProject, email: 'ben@example.com' },
			onError: 'continueRegularOutput',
		},
		updateContact: {
			items: [{}],
			parameters: {
				operation: 'update',
				projectId: projectById(1),
				contactId: '12',
				updateFields: { city: 'Leeds', tagIds: [202] },
				customFields: { field: [{ key: 'cf_favourite_colour_7', value: 'teal' }] },
			},
		},
		updateUnknownContact: {
			items: [{}],
			parameters: {
				operation: 'update',
				projectId: mainProject,
				email: 'nobody@example.com',
				updateFields: { city: 'Leeds' },
			},
			onError: 'continueRegularOutput',
		},
		addNote: {
			items: [{ text: 'Called on Monday.' }, { text: 'Wants a demo.' }],
			parameters: {
				operation: 'addNote',
				email: 'ben@example.com',
				note: '={{ $json.text }}',
				options: { concurrency: 1 },
			},
		},
		addTags: {
			items: [{}],
			parameters: { operation: 'addTags', email: 'ben@example.com', tagIds: '={{ "202,203" }}' },
		},
		removeTags: {
			items: [{}],
			parameters: { operation: 'removeTags', contactId: '12', tagIds: [201] },
		},
		removeAllTags: {
			items: [{}],
			parameters: { operation: 'removeAllTags', email: 'ann@example.com' },
		},
		addToSegments: {
			items: [{}],
			parameters: { operation: 'addToSegments', contactId: '14', segmentIds: [302, 303] },
		},
		removeFromAllSegments: {
			items: [{}],
			parameters: { operation: 'removeFromAllSegments', contactId: '12' },
		},
		fireCreatingContacts: {
			items: [{ email: 'nia.obi@example.com' }, { email: 'ann@example.com' }],
			parameters: {
				email: '={{ $json.email }}',
				eventId: 102,
				createContactIfMissing: true,
				projectId: mainProject,
				options: { concurrency: 1 },
			},
		},
		createEvent: {
			items: [{}],
			parameters: {
				resource: 'event',
				operation: 'create',
				projectId: mainProject,
				eventAction: 'visit',
				eventDescription: 'Visited the pricing page',
				specifyEventOptions: 'json',
				eventOptionsJson: '{"path": "/pricing"}',
			},
		},
		updateEvent: {
			items: [{}],
			parameters: {
				resource: 'event',
				operation: 'update',
				eventId: 101,
				updateFields: { eventDescription: 'Joined live' },
			},
		},
		getProjects: {
			items: [{}],
			parameters: { resource: 'project', operation: 'getAll', returnAll: true },
		},
		getAllTags: {
			items: [{}],
			parameters: { resource: 'tag', operation: 'getAll', projectId: mainProject, returnAll: true },
		},
		getSomeTags: {
			items: [{}],
			parameters: { resource: 'tag', operation: 'getAll', projectId: mainProject, limit: 5 },
		},
		updateTag: {
			items: [{}],
			parameters: {
				resource: 'tag',
				operation: 'update',
				tagId: 203,
				updateFields: { tagName: 'VIP', tagDescription: 'Top customers' },
			},
		},
		getSegments: {
			items: [{}],
			parameters: {
				resource: 'segment',
				operation: 'getAll',
				projectId: mainProject,
				returnAll: true,
			},
		},
		getCustomFields: {
			items: [{}],
			parameters: {
				resource: 'customField',
				operation: 'getAll',
				projectId: mainProject,
				returnAll: true,
			},
		},
		createCustomField: {
			items: [{}],
			parameters: {
				resource: 'customField',
				operation: 'create',
				projectId: projectById(2),
				customFieldName: 'Shoe size',
			},
		},
	});

	test('Account › Get Profile outputs the account', () => {
		assert.deepEqual(outputJson(results.getProfile), [seed.SANDBOX_ACCOUNT]);
	});

	test('Contact › Get outputs the contact with its address, project, segments and tags', () => {
		// Ann as seed.js holds her: no address, tag 201 ('customer') and segment 301 in project 1.
		assert.deepEqual(outputJson(results.getContact), [
			{
				id: 12,
				email: 'ann@example.com',
				first_name: 'Ann',
				last_name: 'Archer',
				address: '',
				address2: '',
				city: '',
				state: '',
				zip: '',
				project: [
					{ id: 1, data: { segments: [{ id: 301 }], tags: [{ id: 201, name: 'customer' }] } },
				],
			},
		]);
		assert.deepEqual(actions(results.getContact), ['fetch_contact']);
	});

	test('Contact › Get: an unknown contact is a clear "not found", and the next item still runs', () => {
		const [missing, ben] = results.getUnknownContact.main ?? [];
		assert.deepEqual(missing, failedItem(0, 'Contact Not Found: email "nobody@example.com"'));
		assert.equal(ben.json.email, 'ben@example.com');
		assert.deepEqual(ben.pairedItem, { item: 1 });
	});

	test('Contact › Create adds the contact with its details, tags, segments and custom field', () => {
		assert.deepEqual(outputJson(results.createContact), [
			{ status: 'success', message: 'The contact has been added', data: { cc_id: 1000 } },
		]);
		const nia = contact(results.createContact, 'nia.obi@example.com');
		assert.equal(nia.id, 1000);
		assert.equal(nia.project_id, 1);
		assert.equal(nia.first_name, 'Nia');
		assert.equal(nia.last_name, 'Obi');
		assert.equal(nia.birthday, 642902400);
		assert.deepEqual(nia.tags, [201, 203]);
		assert.deepEqual(nia.segments, [301]);
		assert.deepEqual(nia.custom_fields, { cf_plan_8: 'pro' });
	});

	test("Contact › Create: an existing email fails with Platformly's reason", () => {
		assert.deepEqual(results.createExistingContact.main, [failedItem(0, 'Contact already exists')]);
	});

	test('Contact › Update changes only the fields given', () => {
		assert.deepEqual(results.updateContact.main, [processed(0)]);
		const ann = contact(results.updateContact, 'ann@example.com');
		assert.equal(ann.city, 'Leeds');
		assert.equal(ann.first_name, 'Ann');
		assert.deepEqual(ann.tags, [201, 202]);
		assert.deepEqual(ann.custom_fields, { cf_favourite_colour_7: 'teal' });
	});

	test('Contact › Update: an unknown contact fails with "The action was not processed."', () => {
		assert.deepEqual(results.updateUnknownContact.main, [
			failedItem(0, 'The action was not processed.'),
		]);
	});

	test('Contact › Add Note adds one note per item', () => {
		assert.deepEqual(results.addNote.main, [processed(0), processed(1)]);
		const notes = contact(results.addNote, 'ben@example.com').notes.map(({ note }) => note);
		assert.deepEqual(notes, ['Called on Monday.', 'Wants a demo.']);
	});

	test('Contact › Add Tags and Remove Tags change just those tags', () => {
		assert.deepEqual(results.addTags.main, [processed(0)]);
		assert.deepEqual(contact(results.addTags, 'ben@example.com').tags, [202, 203]);
		assert.deepEqual(results.removeTags.main, [processed(0)]);
		assert.deepEqual(contact(results.removeTags, 'ann@example.com').tags, []);
	});

	test('Contact › Remove All Tags and Remove From All Segments empty those lists', () => {
		assert.deepEqual(results.removeAllTags.main, [processed(0)]);
		assert.deepEqual(contact(results.removeAllTags, 'ann@example.com').tags, []);
		assert.deepEqual(results.removeFromAllSegments.main, [processed(0)]);
		assert.deepEqual(contact(results.removeFromAllSegments, 'ann@example.com').segments, []);
	});

	test('Contact › Add to Segments adds the contact to each segment', () => {
		assert.deepEqual(results.addToSegments.main, [processed(0)]);
		assert.deepEqual(contact(results.addToSegments, 'cara@example.com').segments, [302, 303]);
	});

	test('Contact › Fire Event › Create Contact If Missing creates the unknown contact and fires once for each', () => {
		const result = results.fireCreatingContacts;
		assert.deepEqual(outputJson(result), [
			{
				status: 'success',
				message: 'The action has been processed',
				contact_created: true,
				contact_id: 1000,
			},
			{ status: 'success', message: 'The action has been processed', contact_created: false },
		]);
		assert.deepEqual(actions(result), [
			'contact_event_fire',
			'add_contact',
			'contact_event_fire',
			'contact_event_fire',
		]);
		assert.deepEqual(
			result.fired.map(({ contactId, event }) => ({ contactId, event })),
			[
				{ contactId: 1000, event: 102 },
				{ contactId: 12, event: 102 },
			],
		);
		assert.equal(contact(result, 'nia.obi@example.com').project_id, 1);
	});

	test('Event › Create defines the event in the project', () => {
		const [answer] = /** @type {CreatedAnswer[]} */ (outputJson(results.createEvent));
		assert.equal(answer.status, 'success');
		const created = results.createEvent.state.events.find(({ id }) => id === answer.data.id);
		assert.deepEqual(created, {
			id: answer.data.id,
			project_id: 1,
			action: 'visit',
			desc: 'Visited the pricing page',
			options: { path: '/pricing' },
		});
	});

	test('Event › Update changes only the description', () => {
		assert.deepEqual(results.updateEvent.main, [processed(0)]);
		const event = results.updateEvent.state.events.find(({ id }) => id === 101);
		assert.deepEqual(event, { ...seed.SANDBOX_EVENTS[0], desc: 'Joined live' });
	});

	test('Project › Get Many outputs one item per project', () => {
		assert.deepEqual(outputJson(results.getProjects), seed.SANDBOX_PROJECTS);
	});

	test('Tag › Get Many with Return All reads every page', () => {
		const projectTags = seed.SANDBOX_TAGS.filter(({ project_id: projectId }) => projectId === 1);
		assert.deepEqual(
			outputJson(results.getAllTags).map(({ id }) => id),
			projectTags.map(({ id }) => id),
		);
		assert.deepEqual(actions(results.getAllTags), ['list_tags', 'list_tags', 'list_tags']);
		assert.ok(results.getAllTags.main?.every(({ pairedItem }) => pairedItem?.item === 0));
	});

	test('Tag › Get Many with a limit reads no more pages than it needs', () => {
		assert.equal(results.getSomeTags.main?.length, 5);
		assert.deepEqual(actions(results.getSomeTags), ['list_tags']);
	});

	test('Tag › Update renames the tag', () => {
		assert.deepEqual(results.updateTag.main, [processed(0)]);
		const tag = results.updateTag.state.tags.find(({ id }) => id === 203);
		assert.equal(tag?.name, 'VIP');
		assert.equal(tag?.desc, 'Top customers');
	});

	test("Segment › Get Many and Custom Field › Get Many list the project's own", () => {
		/** @param {ReadonlyArray<{ id: number, project_id: number }>} list */
		const inMainProject = (list) =>
			list.filter(({ project_id: projectId }) => projectId === 1).map(({ id }) => id);
		assert.deepEqual(
			outputJson(results.getSegments).map(({ id }) => id),
			inMainProject(seed.SANDBOX_SEGMENTS),
		);
		assert.deepEqual(
			outputJson(results.getCustomFields).map(({ id }) => id),
			inMainProject(seed.SANDBOX_CUSTOM_FIELDS),
		);
		assert.ok(outputJson(results.getCustomFields).every(({ alias }) => typeof alias === 'string'));
	});

	test('Custom Field › Create adds a text field to the project', () => {
		const [answer] = /** @type {CreatedAnswer[]} */ (outputJson(results.createCustomField));
		assert.equal(answer.status, 'success');
		const field = results.createCustomField.state.customFields.find(
			({ id }) => id === answer.data.id,
		);
		assert.deepEqual(
			{ project_id: field?.project_id, name: field?.name, alias: field?.alias, type: field?.type },
			{ project_id: 2, name: 'Shoe size', alias: 'shoe_size', type: 'text' },
		);
	});
});
