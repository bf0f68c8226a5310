import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Platformly } from '../../nodes/Platformly/Platformly.node';
import { parseRetryAfter } from '../../nodes/Platformly/shared/failures';
import { createExecuteContext } from '../helpers/n8nRuntime';

const { description } = new Platformly();

describe('Platformly node description', () => {
	test('keeps the parameter names that stored workflows rely on', () => {
		expect(description.properties.map((property) => property.name)).toEqual([
			'resource',
			'operation',
			'contactId',
			'email',
			'eventId',
			'specifyEventOptions',
			'eventOptionsParameters',
			'eventOptionsJson',
			'options',
		]);
	});

	test('can be used as a tool by AI agents and asks for the Platformly credential', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([{ name: 'platformlyApi', required: true }]);
	});

	test('has distinct light and dark icons that exist next to the node', () => {
		const icon = description.icon as { light: string; dark: string };
		const files = [icon.light, icon.dark].map((reference) =>
			readFileSync(join(__dirname, '../../nodes/Platformly', reference.replace(/^file:/, '')), 'utf8'),
		);
		expect(files[0]).toContain('<svg');
		expect(files[1]).toContain('<svg');
		expect(files[0]).not.toBe(files[1]);
	});

	test('shows the chosen operation as its subtitle', () => {
		const { context } = createExecuteContext({ parameters: { resource: 'contact', operation: 'fireEvent' } });
		// A stored parameter is "=" followed by the template; evaluateExpression takes the template.
		const template = (description.subtitle as string).replace(/^=/, '');
		expect(context.evaluateExpression(template, 0)).toBe('Fire Event');
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
