import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { projectField, readProjectId } from '../../fields/project';
import { readLimit, returnAllFields } from '../../fields/returnAll';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { readList } from '../requests';

// Tag › Get Many sends `list_tags` with `project_id` and `page`, from 0, until a page brings
// nothing new.

const show = showFor('tag', ['getAll']);

export const properties: INodeProperties[] = [
	projectField(show, 'The project to list from'),
	...returnAllFields(show),
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const call = {
		action: PLATFORMLY_ACTIONS.listTags,
		value: { project_id: readProjectId(context, itemIndex) },
	};
	return readList(call, { paged: true, limit: readLimit(context, itemIndex) });
}
