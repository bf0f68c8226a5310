import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError, fieldProblems } from '../../errors';
import { showFor } from '../../fields/display';
import { UPDATE_FIELDS } from '../../fields/updateFields';
import { checkPositiveInteger, isBlank } from '../../helpers/validation';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import { oneCall } from '../requests';
import type { ItemTask } from '../../types';

// Tag › Update sends `update_tag` with `tag` and the new `name` and/or `desc`.

const TAG_FIELD_NAME = 'Tag Name or ID';
const show = showFor('tag', ['update']);

export const properties: INodeProperties[] = [
	{
		displayName: TAG_FIELD_NAME,
		name: 'tagId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTags' },
		required: true,
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		displayOptions: { show },
	},
	{
		...UPDATE_FIELDS,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Description', name: 'tagDescription', type: 'string', default: '' },
			{ displayName: 'Name', name: 'tagName', type: 'string', default: '' },
		],
		displayOptions: { show },
	},
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const tagId = checkPositiveInteger(context.getNodeParameter('tagId', itemIndex, ''));
	if (!tagId.ok) throw fieldError(context.getNode(), TAG_FIELD_NAME, tagId.problem, itemIndex);
	const changes = context.getNodeParameter(UPDATE_FIELDS.name, itemIndex, {}) as IDataObject;
	const value: IDataObject = { tag: tagId.value };
	if (!isBlank(changes.tagName)) value.name = String(changes.tagName);
	if (!isBlank(changes.tagDescription)) value.desc = String(changes.tagDescription);
	if (Object.keys(value).length === 1) {
		throw fieldError(
			context.getNode(),
			UPDATE_FIELDS.displayName,
			fieldProblems.noNewTagText,
			itemIndex,
		);
	}
	return oneCall({ action: PLATFORMLY_ACTIONS.updateTag, value });
}
