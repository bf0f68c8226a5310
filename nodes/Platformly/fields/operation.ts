import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** A resource's Operation dropdown; the options are listed alphabetically, as n8n's nodes do. */
export function operationProperty(
	resource: string,
	options: INodePropertyOptions[],
	defaultOperation = options[0].value as string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultOperation,
	};
}
