import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError, fieldProblems } from '../errors';
import { checkIdList } from '../helpers/validation';
import type { ShowFor } from './display';

/** Tags and segments: the two kinds of ID that Platformly takes as a comma-separated list. */
export const ID_LISTS = {
	tags: {
		name: 'tagIds',
		displayName: 'Tag Names or IDs',
		loadOptionsMethod: 'getTags',
		noun: 'tags',
		/** Platformly's key for the list in `value`. */
		valueKey: 'tag',
	},
	segments: {
		name: 'segmentIds',
		displayName: 'Segment Names or IDs',
		loadOptionsMethod: 'getSegments',
		noun: 'segments',
		valueKey: 'segment',
	},
} as const;

export type IdListKind = keyof typeof ID_LISTS;

/** A multi-select filled from the account; expressions may give IDs as a list or "201,202". */
export function idListField(kind: IdListKind, show?: ShowFor): INodeProperties {
	const { name, displayName, loadOptionsMethod, noun } = ID_LISTS[kind];
	return {
		displayName,
		name,
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod, loadOptionsDependsOn: ['projectId.value'] },
		default: [],
		description: `The ${noun}. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		...(show && { required: true, displayOptions: { show } }),
	};
}

/** Checks an ID list for sending; a required one must name at least one ID. */
export function checkIdListField(
	context: IExecuteFunctions,
	kind: IdListKind,
	raw: unknown,
	itemIndex: number,
	required: boolean,
): string {
	const { displayName, noun } = ID_LISTS[kind];
	const ids = checkIdList(raw);
	if (!ids.ok) throw fieldError(context.getNode(), displayName, ids.problem, itemIndex);
	if (required && ids.value === '') {
		throw fieldError(context.getNode(), displayName, fieldProblems.noIds(noun), itemIndex);
	}
	return ids.value;
}

export function readIdList(
	context: IExecuteFunctions,
	kind: IdListKind,
	itemIndex: number,
): string {
	const raw = context.getNodeParameter(ID_LISTS[kind].name, itemIndex, []);
	return checkIdListField(context, kind, raw, itemIndex, true);
}
