import type { INodeProperties } from 'n8n-workflow';

import { contactFields, contactHandlers, contactOperations } from './contact';
import type { OperationHandlers, PrepareRequest } from './types';

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'Contact', value: 'contact' }],
	default: 'contact',
};

const operationProperties: INodeProperties[] = [contactOperations];

export const resourceProperties: INodeProperties[] = [resourceProperty, ...operationProperties, ...contactFields];

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
	contact: contactHandlers,
};

export function findPrepareRequest(resource: string, operation: string): PrepareRequest | undefined {
	return handlersByResource[resource]?.[operation];
}
