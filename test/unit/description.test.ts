import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Platformly } from '../../nodes/Platformly/Platformly.node';
import { findOperation } from '../../nodes/Platformly/resources';
import { parseRetryAfter } from '../../nodes/Platformly/transport/client';
import { createExecuteContext } from '../helpers/n8nRuntime';

const { description } = new Platformly();

describe('Platformly node description', () => {
	/** The parameters the editor can show for one operation, in the order it shows them. */
	function parametersOf(resource: string, operation: string): string[] {
		return (
			description.properties
				.filter(({ displayOptions }) => {
					const show = displayOptions?.show ?? {};
					return (
						(show.resource?.includes(resource) ?? true) &&
						(show.operation?.includes(operation) ?? true)
					);
				})
				.map(({ name }) => name)
				.filter((name) => name !== 'resource' && name !== 'operation')
				// A field defined twice, shown one at a time (Fire Event's Email), is one stored parameter.
				.filter((name, index, names) => names.indexOf(name) === index)
		);
	}

	const identity = ['contactId', 'email'];
	const eventOptions = ['specifyEventOptions', 'eventOptionsParameters', 'eventOptionsJson'];
	const contactDetails = ['customFields'];

	// Stored workflows refer to parameters by name: renaming one silently empties it.
	test.each<[string, string, string[]]>([
		['account', 'getProfile', []],
		['contact', 'addNote', [...identity, 'note']],
		['contact', 'addTags', [...identity, 'tagIds']],
		['contact', 'addToSegments', [...identity, 'segmentIds']],
		['contact', 'create', ['projectId', 'email', 'additionalFields', ...contactDetails]],
		[
			'contact',
			'fireEvent',
			[...identity, 'eventId', ...eventOptions, 'createContactIfMissing', 'projectId'],
		],
		['contact', 'get', identity],
		['contact', 'removeAllTags', identity],
		['contact', 'removeFromAllSegments', identity],
		['contact', 'removeTags', [...identity, 'tagIds']],
		['contact', 'update', ['projectId', ...identity, 'updateFields', ...contactDetails]],
		['customField', 'create', ['projectId', 'customFieldName', 'customFieldDescription']],
		['customField', 'getAll', ['projectId', 'returnAll', 'limit']],
		['event', 'create', ['projectId', 'eventAction', 'eventDescription', ...eventOptions]],
		['event', 'update', ['eventId', 'updateFields', ...eventOptions]],
		['project', 'getAll', ['returnAll', 'limit']],
		['segment', 'getAll', ['projectId', 'returnAll', 'limit']],
		['tag', 'getAll', ['projectId', 'returnAll', 'limit']],
		['tag', 'update', ['tagId', 'updateFields']],
	])('%s › %s keeps its parameter names', (resource, operation, expected) => {
		expect(parametersOf(resource, operation)).toEqual([...expected, 'options']);
	});

	test('lists exactly the operations the node can run, each once', () => {
		const listed = description.properties
			.filter(({ name }) => name === 'operation')
			.flatMap(({ displayOptions, options }) =>
				(options as Array<{ value: string }>).map(
					({ value }) => `${displayOptions?.show?.resource}:${value}`,
				),
			);
		const runnable = listed.filter((key) => {
			const [resource, operation] = key.split(':');
			return findOperation(resource, operation) !== undefined;
		});
		expect(runnable).toEqual(listed);
		expect(new Set(listed).size).toBe(19);
	});

	test('can be used as a tool by AI agents and asks for the Platformly credential', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([
			{ name: 'platformlyApi', required: true, testedBy: 'platformlyApiTest' },
		]);
	});

	test('has distinct light and dark icons that exist next to the node', () => {
		const icon = description.icon as { light: string; dark: string };
		const files = [icon.light, icon.dark].map((reference) =>
			readFileSync(
				join(__dirname, '../../nodes/Platformly', reference.replace(/^file:/, '')),
				'utf8',
			),
		);
		expect(files[0]).toContain('<svg');
		expect(files[1]).toContain('<svg');
		expect(files[0]).not.toBe(files[1]);
		// A dot or badge in the icon reads as one of the marks n8n draws on a node (issues, pinned data).
		for (const file of files) expect(file).not.toMatch(/<circle|<ellipse/);
	});

	test('shows the chosen operation as its subtitle', () => {
		const { context } = createExecuteContext({
			parameters: { resource: 'contact', operation: 'fireEvent' },
		});
		// A stored parameter is "=" followed by the template; evaluateExpression takes the template.
		const template = (description.subtitle as string).replace(/^=/, '');
		expect(context.evaluateExpression(template, 0)).toBe('Fire Event');
		const { context: tagContext } = createExecuteContext({
			parameters: { resource: 'tag', operation: 'getAll' },
		});
		expect(tagContext.evaluateExpression(template, 0)).toBe('Get Many');
	});
});

describe('Fire Event as the editor shows it', () => {
	const fireEvent = description.properties.filter(({ displayOptions }) =>
		displayOptions?.show?.operation?.includes('fireEvent'),
	);
	const field = (name: string) => fireEvent.filter((property) => property.name === name);

	test('Event ID is a required text field that starts empty, so n8n marks it until it is filled', () => {
		expect(field('eventId')).toEqual([
			expect.objectContaining({ type: 'string', required: true, default: '' }),
		]);
	});

	test('Email is required exactly while Create Contact If Missing is on', () => {
		expect(
			field('email').map(({ required, displayOptions }) => ({
				required: required ?? false,
				when: displayOptions?.show?.createContactIfMissing,
			})),
		).toEqual([
			{ required: false, when: [false] },
			{ required: true, when: [true] },
		]);
	});

	test('"Using JSON" starts with no options; its example is only a hint', () => {
		expect(field('eventOptionsJson')).toEqual([
			expect.objectContaining({ default: '{}', hint: 'e.g. {"path": "/home"}' }),
		]);
	});

	test("the event options' button and the Options' button read differently", () => {
		const nodeOptions = description.properties.filter(({ name }) => name === 'options');
		const buttons = [...field('eventOptionsParameters'), ...nodeOptions].map(
			({ placeholder }) => placeholder,
		);
		expect(buttons).toEqual(['Add Event Option', 'Add Option']);
	});
});

describe('the Options collection', () => {
	const options = description.properties.find(({ name }) => name === 'options')!.options as Array<{
		displayName: string;
	}>;

	// The panel, at its default width, shows about 28 characters of a label before cutting it.
	test('every label fits the panel and has no abbreviated unit', () => {
		expect(options.map(({ displayName }) => displayName)).toEqual([
			'Concurrency',
			'Concurrency per Process',
			'Max Requests per Second',
			'Max Retries',
			'Max Retry Wait',
			'Retry Uncertain Failures',
			'Timeout',
		]);
		for (const { displayName } of options) expect(displayName.length).toBeLessThanOrEqual(26);
	});
});

describe('parseRetryAfter', () => {
	test('reads seconds and HTTP dates, and ignores anything else', () => {
		const now = Date.parse('2026-11-26T12:00:00Z');
		expect(parseRetryAfter('2', now)).toBe(2000);
		expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});
});
