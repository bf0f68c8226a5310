import type { INodeProperties } from 'n8n-workflow';

import { accountHandlers, accountOperations } from './account';
import { contactFields, contactHandlers, contactOperations } from './contact';
import { customFieldFields, customFieldHandlers, customFieldOperations } from './customField';
import { eventFields, eventHandlers, eventOperations } from './event';
import { projectFields, projectHandlers, projectOperations } from './project';
import { segmentFields, segmentHandlers, segmentOperations } from './segment';
import { tagFields, tagHandlers, tagOperations } from './tag';
import type { OperationHandlers, PrepareItem } from './types';

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

const operationProperties: INodeProperties[] = [
	accountOperations,
	contactOperations,
	customFieldOperations,
	eventOperations,
	projectOperations,
	segmentOperations,
	tagOperations,
];

export const resourceProperties: INodeProperties[] = [
	resourceProperty,
	...operationProperties,
	...contactFields,
	...customFieldFields,
	...eventFields,
	...projectFields,
	...segmentFields,
	...tagFields,
];

/**
 * The node's subtitle on the canvas, e.g. "Fire Event": the chosen operation's name, taken from the
 * operation lists so it can never disagree with them.
 */
export const operationSubtitle = (() => {
	const named = operationProperties.flatMap((property) => {
		const [resource] = (property.displayOptions?.show?.resource ?? []) as string[];
		return (property.options ?? []).map((option) => {
			const { name, value } = option as { name: string; value: string };
			return { key: `${resource}:${value}`, name };
		});
	});
	const chosen = '$parameter["resource"] + ":" + $parameter["operation"]';
	const choice = named.reduceRight(
		(otherwise, { key, name }) => `${chosen} === ${JSON.stringify(key)} ? ${JSON.stringify(name)} : ${otherwise}`,
		'$parameter["operation"]',
	);
	return `={{ ${choice} }}`;
})();

const handlersByResource: Record<string, OperationHandlers> = {
	account: accountHandlers,
	contact: contactHandlers,
	customField: customFieldHandlers,
	event: eventHandlers,
	project: projectHandlers,
	segment: segmentHandlers,
	tag: tagHandlers,
};

export function findPrepareItem(resource: string, operation: string): PrepareItem | undefined {
	return handlersByResource[resource]?.[operation];
}
