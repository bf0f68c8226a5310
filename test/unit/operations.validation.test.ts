import type { INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPlatformly } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork } from '../helpers/platformlyMock';

afterEach(resetNetwork);

const project = (value: string, mode = 'list') => ({ __rl: true, mode, value });

/** Every operation's own fields are checked before anything is sent, and the error names them. */
test.each<[string, INodeParameters, string]>([
	[
		'Contact › Get without a contact',
		{ resource: 'contact', operation: 'get' },
		'Contact ID or Email is required: give at least one to identify the contact [item 0]',
	],
	[
		'Contact › Create without a project',
		{ resource: 'contact', operation: 'create', email: 'new@example.com' },
		'Project is required: choose one from the list or give its ID [item 0]',
	],
	[
		'Contact › Create with a project ID that is text',
		{
			resource: 'contact',
			operation: 'create',
			projectId: project('main', 'id'),
			email: 'new@example.com',
		},
		'Project must be a positive whole number, got "main" [item 0]',
	],
	[
		'Contact › Create without an email',
		{ resource: 'contact', operation: 'create', projectId: project('1') },
		'Email must be an email address, got "" [item 0]',
	],
	[
		'Contact › Create with a birthday that is not a date',
		{
			resource: 'contact',
			operation: 'create',
			projectId: project('1'),
			email: 'new@example.com',
			additionalFields: { birthday: 'someday' },
		},
		'Birthday must be a date, got "someday" [item 0]',
	],
	[
		'Contact › Create with tag IDs that are names',
		{
			resource: 'contact',
			operation: 'create',
			projectId: project('1'),
			email: 'new@example.com',
			additionalFields: { tagIds: 'vip, lead' },
		},
		'Tag Names or IDs must be IDs (positive whole numbers) separated by commas, got "vip, lead" [item 0]',
	],
	[
		'Contact › Create with a custom field key that is a label',
		{
			resource: 'contact',
			operation: 'create',
			projectId: project('1'),
			email: 'new@example.com',
			customFields: {
				field: [
					{ key: 'cf_plan_8', value: 'a' },
					{ key: 'Plan', value: 'b' },
				],
			},
		},
		'Custom Fields row 2 must be a custom field key like cf_favourite_colour_7, got "Plan" [item 0]',
	],
	[
		'Contact › Update with nothing to change',
		{
			resource: 'contact',
			operation: 'update',
			projectId: project('1'),
			email: 'ann@example.com',
			updateFields: { city: '' },
		},
		'Update Fields or Custom Fields must name at least one thing to change [item 0]',
	],
	[
		'Contact › Add Note without a note',
		{ resource: 'contact', operation: 'addNote', email: 'ann@example.com', note: '  ' },
		'Note is required [item 0]',
	],
	[
		'Contact › Add Tags without tags',
		{ resource: 'contact', operation: 'addTags', email: 'ann@example.com', tagIds: [] },
		'Tag Names or IDs is required: choose at least one of the tags [item 0]',
	],
	[
		'Contact › Add to Segments with a segment ID of 0',
		{ resource: 'contact', operation: 'addToSegments', email: 'ann@example.com', segmentIds: [0] },
		'Segment Names or IDs must be IDs (positive whole numbers) separated by commas, got [0] [item 0]',
	],
	[
		'Contact › Fire Event creating missing contacts, without an email',
		{
			resource: 'contact',
			operation: 'fireEvent',
			contactId: '12',
			eventId: 101,
			createContactIfMissing: true,
			projectId: project('1'),
		},
		'Email is required when "Create Contact If Missing" is on: a new contact needs one [item 0]',
	],
	[
		'Contact › Fire Event creating missing contacts, without a project',
		{
			resource: 'contact',
			operation: 'fireEvent',
			email: 'new@example.com',
			eventId: 101,
			createContactIfMissing: true,
		},
		'Project is required: choose one from the list or give its ID [item 0]',
	],
	[
		'Event › Create without a description',
		{ resource: 'event', operation: 'create', projectId: project('1'), eventAction: 'visit' },
		'Description is required [item 0]',
	],
	[
		'Event › Update with nothing to change',
		{ resource: 'event', operation: 'update', eventId: 101 },
		'Update Fields or Event Options must name at least one thing to change [item 0]',
	],
	[
		'Event › Update with nothing but Event Options (JSON) at {}',
		{
			resource: 'event',
			operation: 'update',
			eventId: 101,
			specifyEventOptions: 'json',
			eventOptionsJson: '{}',
		},
		'Update Fields or Event Options must name at least one thing to change [item 0]',
	],
	[
		'Event › Update without an event',
		{ resource: 'event', operation: 'update', updateFields: { eventAction: 'visit' } },
		'Event ID is required [item 0]',
	],
	[
		'Tag › Update without a tag',
		{ resource: 'tag', operation: 'update', updateFields: { tagName: 'x' } },
		'Tag Name or ID must be a positive whole number, got "" [item 0]',
	],
	[
		'Tag › Update with nothing to change',
		{ resource: 'tag', operation: 'update', tagId: 201 },
		'Update Fields must give a new name or description [item 0]',
	],
	[
		'Tag › Get Many with a limit of 0',
		{ resource: 'tag', operation: 'getAll', projectId: project('1'), limit: 0 },
		'Limit must be a positive whole number, got 0 [item 0]',
	],
	[
		'Custom Field › Create without a name',
		{ resource: 'customField', operation: 'create', projectId: project('1') },
		'Name is required [item 0]',
	],
])(
	'%s is refused, naming the field and the item, and sends nothing',
	async (_case, parameters, message) => {
		const { requests } = mockPlatformly();
		const run = runPlatformly({ parameters });

		await expect(run).rejects.toThrow(NodeOperationError);
		await run.catch((error: NodeOperationError) => {
			expect(error.message).toBe(message);
			expect(error.description).toBe('Nothing was sent to Platformly for this item.');
		});
		expect(requests).toHaveLength(0);
	},
);

test('a bad item among good ones stops the run before any request, naming that item', async () => {
	const { requests } = mockPlatformly();

	const run = runPlatformly({
		items: [{ tags: '201' }, { tags: '202' }, { tags: 'vip' }],
		parameters: {
			resource: 'contact',
			operation: 'addTags',
			contactId: '12',
			tagIds: '={{ $json.tags }}',
		},
	});

	await expect(run).rejects.toThrow(
		'Tag Names or IDs must be IDs (positive whole numbers) separated by commas, got "vip" [item 2]',
	);
	expect(requests).toHaveLength(0);
});
