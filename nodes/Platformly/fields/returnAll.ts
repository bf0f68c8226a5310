import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../errors';
import { checkPositiveInteger } from '../helpers/validation';
import type { ShowFor } from './display';

/** n8n's usual pair for list operations: everything, or the first `limit` entries. */
export function returnAllFields(show: ShowFor): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** The most entries to return, or undefined for all of them. */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = checkPositiveInteger(context.getNodeParameter('limit', itemIndex, 50));
	if (!limit.ok) throw fieldError(context.getNode(), 'Limit', limit.problem, itemIndex);
	return limit.value;
}
