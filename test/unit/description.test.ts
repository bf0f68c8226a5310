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
		return description.properties
			.filter(({ displayOptions }) => {
				const show = displayOptions?.show ?? {};
				return (
					(show.resource?.includes(resource) ?? true) &&
					(show.operation?.includes(operation) ?? true)
				);
			})
			.map(({ name }) => name)
			.filter((name) => name !== 'resource' && name !== 'operation');
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
