import type { INodeParameters } from 'n8n-workflow';

import { runPlatformly } from '../helpers/n8nRuntime';
import type { RecordedRequest } from '../helpers/platformlyMock';
import { mockPlatformly, resetNetwork, SUCCESS_ANSWER } from '../helpers/platformlyMock';

afterEach(resetNetwork);

const NOT_FOUND = { status: 'error', message: 'Contact Not Found' };
const ADDED = { status: 'success', message: 'The contact has been added', data: { cc_id: 1000 } };

const fireCreating = (fields: INodeParameters = {}): INodeParameters => ({
	resource: 'contact',
	operation: 'fireEvent',
	email: 'new@example.com',
	eventId: 101,
	createContactIfMissing: true,
	projectId: { __rl: true, mode: 'list', value: '1' },
	...fields,
});

/** Answers in turn, one per request. */
const inTurn =
	(...answers: Array<[number, object]>) =>
	(_request: RecordedRequest, index: number) =>
		answers[index];

const sent = (requests: RecordedRequest[]) =>
	requests.map(({ fields }) => [fields.action, fields.value]);

describe('Contact › Fire Event › Create Contact If Missing', () => {
	test('creates a missing contact in the chosen project, then fires once more', async () => {
		const { requests } = mockPlatformly(
			inTurn([200, NOT_FOUND], [200, ADDED], [200, SUCCESS_ANSWER]),
		);

		const output = await runPlatformly({ parameters: fireCreating() });

		expect(sent(requests)).toEqual([
			['contact_event_fire', '{"email":"new@example.com","event":101}'],
			['add_contact', '{"project_id":1,"email":"new@example.com"}'],
			['contact_event_fire', '{"email":"new@example.com","event":101}'],
		]);
		expect(output).toEqual([
			{
				json: { ...SUCCESS_ANSWER, contact_created: true, contact_id: 1000 },
				pairedItem: { item: 0 },
			},
		]);
	});

	test('fires once and creates nothing when the contact exists', async () => {
		const { requests } = mockPlatformly();

		const output = await runPlatformly({ parameters: fireCreating() });

		expect(sent(requests)).toEqual([
			['contact_event_fire', '{"email":"new@example.com","event":101}'],
		]);
		expect(output).toEqual([
			{ json: { ...SUCCESS_ANSWER, contact_created: false }, pairedItem: { item: 0 } },
		]);
	});

	test('creates nothing after other errors', async () => {
		const { requests } = mockPlatformly(() => [
			200,
			{ status: 'error', message: 'Event Not Found' },
		]);

		await expect(runPlatformly({ parameters: fireCreating() })).rejects.toThrow('Event Not Found');
		expect(requests).toHaveLength(1);
	});

	test('is off by default: a missing contact fails the item, naming it', async () => {
		const { requests } = mockPlatformly(() => [200, NOT_FOUND]);

		const run = runPlatformly({ parameters: fireCreating({ createContactIfMissing: false }) });

		await expect(run).rejects.toThrow('Contact Not Found');
		await run.catch((error) =>
			expect(error.description).toBe('Platformly has no contact with email "new@example.com".'),
		);
		expect(requests).toHaveLength(1);
	});

	test('a failed creation fails the item and fires nothing more', async () => {
		const { requests } = mockPlatformly(
			inTurn([200, NOT_FOUND], [200, { status: 'error', message: 'Project Not Found' }]),
		);

		const run = runPlatformly({ parameters: fireCreating() });

		await expect(run).rejects.toThrow('Project Not Found');
		await run.catch((error) =>
			expect(error.description).toBe(
				'The contact was not found, and creating it failed. Platformly answered {"status": "error"} to the "add_contact" request.',
			),
		);
		expect(requests).toHaveLength(2);
	});

	test('a second "not found" after creating is reported, not looped on', async () => {
		const { requests } = mockPlatformly(inTurn([200, NOT_FOUND], [200, ADDED], [200, NOT_FOUND]));

		await expect(runPlatformly({ parameters: fireCreating() })).rejects.toThrow(
			'Contact Not Found',
		);
		expect(requests).toHaveLength(3);
	});
});
