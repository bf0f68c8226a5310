import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../errors';
import { checkPositiveInteger } from '../helpers/validation';
import { readList } from '../transport/tasks';
import type { Operation } from '../types';
import { projectField, readProjectId } from './project';
import type { ShowFor } from './show';
import { showFor } from './show';

/** n8n's usual pair for list operations: everything, or the first `limit` entries. */
function returnAllFields(show: ShowFor): INodeProperties[] {
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
function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = checkPositiveInteger(context.getNodeParameter('limit', itemIndex, 50));
	if (!limit.ok) throw fieldError(context.getNode(), 'Limit', limit.problem, itemIndex);
	return limit.value;
}

/**
 * Get Many for a Platformly list action: the project to list (for all but projects themselves),
 * then Return All / Limit. Each entry becomes one output item.
 */
export function getManyOperation(
	resource: string,
	action: string,
	{ paged, inProject }: { paged: boolean; inProject: boolean },
): Operation {
	const show = showFor(resource, ['getAll']);
	return {
		properties: [
			...(inProject ? [projectField(show, 'The project to list from')] : []),
			...returnAllFields(show),
		],
		prepare(context, itemIndex) {
			const value = inProject ? { project_id: readProjectId(context, itemIndex) } : {};
			return readList({ action, value }, { paged, limit: readLimit(context, itemIndex) });
		},
	};
}
