import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { projectField, readProjectId } from '../../fields/project';
import { readLimit, returnAllFields } from '../../fields/returnAll';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { readList } from '../requests';

// Custom Field › Get Many sends `list_custom_fields` with `project_id`, once: Platformly documents
// no paging for it.

const show = showFor('customField', ['getAll']);

export const properties: INodeProperties[] = [
	projectField(show, 'The project to list from'),
	...returnAllFields(show),
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const call = {
		action: PLATFORMLY_ACTIONS.listCustomFields,
		value: { project_id: readProjectId(context, itemIndex) },
	};
	return readList(call, { paged: false, limit: readLimit(context, itemIndex) });
}
