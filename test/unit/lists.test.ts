import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { Platformly } from '../../nodes/Platformly/Platformly.node';
import { MAX_LIST_PAGES } from '../../nodes/Platformly/resources/requests';
import { createLoadOptionsContext, runPlatformly } from '../helpers/n8nRuntime';
import type { RecordedRequest } from '../helpers/platformlyMock';
import { mockPlatformly, resetNetwork } from '../helpers/platformlyMock';

afterEach(resetNetwork);

const project = (value: string) => ({ __rl: true, mode: 'list', value });

const tags = (first: number, count: number) =>
	Array.from({ length: count }, (_, n) => ({ id: first + n, name: `tag-${first + n}`, desc: '' }));

/** A project's 12 tags in pages of 10, as the sandbox and (we assume) Platformly serve them. */
function pagedTags({ value }: RecordedRequest): [number, object] {
	const { page } = value as { page: number };
	return [200, [tags(201, 10), tags(211, 2)][page] ?? []];
}

const getTags = (fields: INodeParameters): INodeParameters => ({
	resource: 'tag',
	operation: 'getAll',
	projectId: project('1'),
	...fields,
});

describe('Get Many', () => {
	test('Return All reads page after page until an empty one, one output item per entry', async () => {
		const { requests } = mockPlatformly(pagedTags);

		const output = await runPlatformly({ parameters: getTags({ returnAll: true }) });

		expect(requests.map(({ value }) => value)).toEqual([
			{ project_id: 1, page: 0 },
			{ project_id: 1, page: 1 },
			{ project_id: 1, page: 2 },
		]);
		expect(output.map(({ json }) => json.id)).toEqual(tags(201, 12).map(({ id }) => id));
		expect(new Set(output.map(({ pairedItem }) => JSON.stringify(pairedItem)))).toEqual(
			new Set(['{"item":0}']),
		);
	});

	test.each([
		[5, 1, 5],
		[10, 1, 10],
		[11, 2, 11],
		[50, 3, 12],
	])('a limit of %i reads %i page(s) and returns %i entries', async (limit, pages, entries) => {
		const { requests } = mockPlatformly(pagedTags);

		const output = await runPlatformly({ parameters: getTags({ limit }) });

		expect(requests).toHaveLength(pages);
		expect(output).toHaveLength(entries);
	});

	test('a server that ignores the page number is read once, not forever', async () => {
		const { requests } = mockPlatformly(() => [200, tags(201, 3)]);

		const output = await runPlatformly({ parameters: getTags({ returnAll: true }) });

		expect(requests).toHaveLength(2);
		expect(output).toHaveLength(3);
	});

	test('pages that wrap around (page 3 equal to page 0) end the list, each entry output once', async () => {
		const pages = [tags(201, 10), tags(211, 10), tags(221, 5)];
		const { requests } = mockPlatformly(({ value }) => [
			200,
			pages[(value as { page: number }).page % 3],
		]);

		const output = await runPlatformly({ parameters: getTags({ returnAll: true }) });

		expect(requests.map(({ value }) => (value as { page: number }).page)).toEqual([0, 1, 2, 3]);
		expect(output.map(({ json }) => json.id)).toEqual(tags(201, 25).map(({ id }) => id));
	});

	test('entries that come again on a later page are output once', async () => {
		const pages = [tags(201, 10), [...tags(206, 5), ...tags(211, 5)]];
		mockPlatformly(({ value }) => [200, pages[(value as { page: number }).page] ?? []]);

		const output = await runPlatformly({ parameters: getTags({ returnAll: true }) });

		expect(output.map(({ json }) => json.id)).toEqual(tags(201, 15).map(({ id }) => id));
	});

	test(`a list that still has new entries after ${MAX_LIST_PAGES} pages fails the item instead of reading on`, async () => {
		const { requests } = mockPlatformly(({ value }) => [
			200,
			tags(1 + 10 * (value as { page: number }).page, 10),
		]);

		const error = await runPlatformly({ parameters: getTags({ returnAll: true }) }).then(
			() => undefined,
			(thrown: unknown) => thrown as NodeApiError,
		);

		expect(requests).toHaveLength(MAX_LIST_PAGES);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error!.message).toBe(
			'Platformly\'s "list_tags" list still had new entries after 1000 pages',
		);
		expect(error!.description).toBe(
			'The node reads at most 1000 pages of a list. Turn off Return All and set a Limit to read part of it.',
		);
		// A thousand requests through n8n-core's request path take a few seconds.
	}, 60_000);

	test('projects come from one request with an empty value, as Platformly documents no paging for them', async () => {
		const projects = [
			{ id: 1, name: 'Main project' },
			{ id: 2, name: 'Webinars' },
		];
		const { requests } = mockPlatformly(() => [200, projects]);

		const output = await runPlatformly({
			parameters: { resource: 'project', operation: 'getAll', returnAll: true },
		});

		expect(requests.map(({ fields }) => [fields.action, fields.value])).toEqual([
			['list_projects', '{}'],
		]);
		expect(output.map(({ json }) => json)).toEqual(projects);
	});

	test('an empty list gives no output items for that input', async () => {
		mockPlatformly(() => [200, []]);

		const output = await runPlatformly({
			parameters: {
				resource: 'customField',
				operation: 'getAll',
				projectId: project('2'),
				returnAll: true,
			},
		});

		expect(output).toEqual([]);
	});

	test('an answer that is not a list fails the item, saying so', async () => {
		mockPlatformly(() => [200, { id: 1, name: 'not a list' }]);

		const run = runPlatformly({ parameters: getTags({ returnAll: true }) });

		await expect(run).rejects.toThrow(NodeApiError);
		await expect(run).rejects.toThrow('Platformly\'s answer to "list_tags" is not a list');
	});
});

describe('reads are retried after failures that would make a change unsafe to repeat', () => {
	test('a read is sent again after a server error', async () => {
		const { requests } = mockPlatformly((_request, index) =>
			index === 0 ? [500, 'oops'] : [200, { id: 12, email: 'ann@example.com' }],
		);

		const output = await runPlatformly({
			parameters: { resource: 'contact', operation: 'get', contactId: '12' },
		});

		expect(requests).toHaveLength(2);
		expect(output[0].json).toEqual({ id: 12, email: 'ann@example.com' });
	});

	test('a change is not sent again after a server error, since it may have been made', async () => {
		const { requests } = mockPlatformly(() => [500, 'oops']);

		const run = runPlatformly({
			parameters: { resource: 'contact', operation: 'addNote', contactId: '12', note: 'Hello' },
		});

		await expect(run).rejects.toThrow('Platformly had a server error (HTTP 500)');
		expect(requests).toHaveLength(1);
	});
});

describe('dropdowns filled from the account', () => {
	const { methods } = new Platformly();

	const projectsAndTags = ({ fields, value }: RecordedRequest): [number, object] => {
		if (fields.action === 'list_projects')
			return [
				200,
				[
					{ id: 1, name: 'Main project' },
					{ id: 2, name: 'Webinars' },
				],
			];
		const { project_id: projectId, page } = value as { project_id: number; page: number };
		const byProject: Record<number, object[]> = {
			1: [
				{ id: 202, name: 'lead' },
				{ id: 201, name: 'customer' },
			],
			2: [{ id: 221, name: 'attended' }],
		};
		return [200, page === 0 ? byProject[projectId] : []];
	};

	test('tags of the chosen project, by name', async () => {
		const { requests } = mockPlatformly(projectsAndTags);
		const context = createLoadOptionsContext({
			resource: 'contact',
			operation: 'create',
			projectId: project('1'),
		});

		const options = await methods!.loadOptions!.getTags.call(context);

		expect(options).toEqual([
			{ name: 'customer', value: 201 },
			{ name: 'lead', value: 202 },
		]);
		expect(requests.map(({ fields }) => fields.action)).toEqual(['list_tags', 'list_tags']);
	});

	test('with no project in the node, the tags of every project, each named with its project', async () => {
		mockPlatformly(projectsAndTags);
		const context = createLoadOptionsContext({ resource: 'contact', operation: 'addTags' });

		const options = await methods!.loadOptions!.getTags.call(context);

		expect(options).toEqual([
			{ name: 'attended (Webinars)', value: 221 },
			{ name: 'customer (Main project)', value: 201 },
			{ name: 'lead (Main project)', value: 202 },
		]);
	});

	test('custom fields offer the key Platformly sets them by', async () => {
		const { requests } = mockPlatformly(() => [
			200,
			[
				{ id: 8, name: 'Plan', alias: 'plan' },
				{ id: 7, name: 'Favourite colour', alias: 'favourite_colour' },
			],
		]);
		const context = createLoadOptionsContext({
			resource: 'contact',
			operation: 'update',
			projectId: project('1'),
		});

		const options = await methods!.loadOptions!.getCustomFields.call(context);

		expect(requests.map(({ fields }) => [fields.action, fields.value])).toEqual([
			['list_custom_fields', '{"project_id":1}'],
		]);
		expect(options).toEqual([
			{
				name: 'Favourite colour',
				value: 'cf_favourite_colour_7',
				description: 'cf_favourite_colour_7',
			},
			{ name: 'Plan', value: 'cf_plan_8', description: 'cf_plan_8' },
		]);
	});

	test('custom fields ask for the project first', async () => {
		const { requests } = mockPlatformly();
		const context = createLoadOptionsContext({ resource: 'contact', operation: 'update' });

		await expect(methods!.loadOptions!.getCustomFields.call(context)).rejects.toThrow(
			'Choose the project first: custom fields belong to a project',
		);
		expect(requests).toHaveLength(0);
	});

	test('the project search matches names and IDs', async () => {
		mockPlatformly(projectsAndTags);
		const context = createLoadOptionsContext({ resource: 'tag', operation: 'getAll' });

		expect(await methods!.listSearch!.searchProjects.call(context, 'web')).toEqual({
			results: [{ name: 'Webinars', value: '2' }],
		});
		expect(await methods!.listSearch!.searchProjects.call(context, '1')).toEqual({
			results: [{ name: 'Main project', value: '1' }],
		});
		expect((await methods!.listSearch!.searchProjects.call(context)).results).toHaveLength(2);
	});

	test("a Platformly error reaches the editor with Platformly's message", async () => {
		mockPlatformly(() => [200, { status: 'error', message: 'Invalid API key' }]);
		const context = createLoadOptionsContext({ resource: 'tag', operation: 'getAll' });

		await expect(methods!.listSearch!.searchProjects.call(context)).rejects.toThrow(
			'Invalid API key',
		);
	});
});
