import type { INodeProperties } from 'n8n-workflow';

import type { Operation, Resource } from '../types';
import { account } from './account';
import { contact } from './contact';
import { customField } from './customField';
import { event } from './event';
import { project } from './project';
import { segment } from './segment';
import { tag } from './tag';

const RESOURCES: Record<string, Resource> = {
	account,
	contact,
	customField,
	event,
	project,
	segment,
	tag,
};

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Account', value: 'account' },
		{ name: 'Contact', value: 'contact' },
		{ name: 'Custom Field', value: 'customField' },
		{ name: 'Event', value: 'event' },
		{ name: 'Project', value: 'project' },
		{ name: 'Segment', value: 'segment' },
		{ name: 'Tag', value: 'tag' },
	],
	default: 'contact',
};

const resources = Object.values(RESOURCES);

/** The resource, every resource's Operation dropdown, then every operation's own fields. */
export const resourceProperties: INodeProperties[] = [
	resourceProperty,
	...resources.map(({ operationDropdown }) => operationDropdown),
	...resources.flatMap(({ operations }) =>
		Object.values(operations).flatMap(({ properties }) => properties),
	),
];

/**
 * The node's subtitle on the canvas, e.g. "Fire Event": the chosen operation's name, taken from the
 * operation lists so it can never disagree with them.
 */
export const operationSubtitle = (() => {
	const named = resources.flatMap(({ operationDropdown }) => {
		const [resource] = (operationDropdown.displayOptions?.show?.resource ?? []) as string[];
		return (operationDropdown.options ?? []).map((option) => {
			const { name, value } = option as { name: string; value: string };
			return { key: `${resource}:${value}`, name };
		});
	});
	const chosen = '$parameter["resource"] + ":" + $parameter["operation"]';
	const choice = named.reduceRight(
		(otherwise, { key, name }) =>
			`${chosen} === ${JSON.stringify(key)} ? ${JSON.stringify(name)} : ${otherwise}`,
		'$parameter["operation"]',
	);
	return `={{ ${choice} }}`;
})();

export function findOperation(resource: string, operation: string): Operation | undefined {
	const operations = Object.hasOwn(RESOURCES, resource) ? RESOURCES[resource].operations : {};
	return Object.hasOwn(operations, operation) ? operations[operation] : undefined;
}
