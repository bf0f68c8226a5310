import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readLimit, returnAllFields } from '../../fields/returnAll';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { readList } from '../requests';

// Project › Get Many sends `list_projects` with nothing (`{}`), once: Platformly documents no
// paging for it.

export const properties: INodeProperties[] = returnAllFields(showFor('project', ['getAll']));

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const call = { action: PLATFORMLY_ACTIONS.listProjects, value: {} };
	return readList(call, { paged: false, limit: readLimit(context, itemIndex) });
}
