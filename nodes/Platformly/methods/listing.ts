import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { failureToNodeError } from '../errors';
import { DEFAULT_TIMEOUT_MS } from '../options';
import { PLATFORMLY_ACTIONS } from '../transport/actions';
import { createPlatformlyClient } from '../transport/client';
import { readList } from '../resources/requests';
import type { PlatformlyCall } from '../types';

/**
 * A list read for the editor, every page of it, without the node's retries: the editor shows a
 * failure at once, and the user can open the list again.
 */
export async function readForEditor(
	context: ILoadOptionsFunctions,
	call: PlatformlyCall,
	paged: boolean,
): Promise<IDataObject[]> {
	const client = await createPlatformlyClient(context, DEFAULT_TIMEOUT_MS);
	const outcome = await readList(call, { paged })(client.send);
	if (!outcome.ok) throw failureToNodeError(context.getNode(), outcome.failure);
	return outcome.value;
}

// Platformly documents no paging for list_projects: one request returns them all.
export const readProjects = (context: ILoadOptionsFunctions) =>
	readForEditor(context, { action: PLATFORMLY_ACTIONS.listProjects, value: {} }, false);

export const byName = (a: INodePropertyOptions, b: INodePropertyOptions) =>
	a.name.localeCompare(b.name);
