import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

// Where the editor shows a field: each resource's Operation dropdown, and the fields shown only for
// some of its operations.

/** The editor shows a field only for these resources and operations. */
export type ShowFor = NonNullable<IDisplayOptions['show']>;

export const showFor = (resource: string, operations: string[]): ShowFor => ({
	resource: [resource],
	operation: operations,
});

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
