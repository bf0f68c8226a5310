import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { singleCall } from '../../shared/calls';
import { invalidField } from '../../shared/fieldErrors';
import { checkPositiveInteger, isBlank } from '../../shared/validation';
import { getManyOperation } from '../fields/getMany';
import { operationProperty } from '../fields/operation';
import { showFor } from '../fields/show';
import { UPDATE_FIELDS } from '../fields/updateFields';
import type { OperationHandlers } from '../types';

const TAG_FIELD_NAME = 'Tag Name or ID';
const updateShow = showFor('tag', ['update']);

const getMany = getManyOperation('tag', PLATFORMLY_ACTIONS.listTags, { paged: true, inProject: true });

export const tagOperations = operationProperty('tag', [
	{ name: 'Get Many', value: 'getAll', description: "List a project's tags", action: 'Get many tags' },
	{ name: 'Update', value: 'update', description: "Rename a tag or change its description", action: 'Update a tag' },
]);

export const tagFields: INodeProperties[] = [
	...getMany.fields,
	{
		displayName: TAG_FIELD_NAME,
		name: 'tagId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTags' },
		required: true,
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		displayOptions: { show: updateShow },
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
		displayOptions: { show: updateShow },
	},
];

function prepareUpdate(context: IExecuteFunctions, itemIndex: number) {
	const tagId = checkPositiveInteger(context.getNodeParameter('tagId', itemIndex, ''));
	if (!tagId.ok) throw invalidField(context, TAG_FIELD_NAME, tagId.problem, itemIndex);
	const changes = context.getNodeParameter(UPDATE_FIELDS.name, itemIndex, {}) as IDataObject;
	const value: IDataObject = { tag: tagId.value };
	if (!isBlank(changes.tagName)) value.name = String(changes.tagName);
	if (!isBlank(changes.tagDescription)) value.desc = String(changes.tagDescription);
	if (Object.keys(value).length === 1) {
		throw invalidField(context, UPDATE_FIELDS.displayName, 'must give a new name or description', itemIndex);
	}
	return singleCall({ action: PLATFORMLY_ACTIONS.updateTag, value });
}

export const tagHandlers: OperationHandlers = { getAll: getMany.prepare, update: prepareUpdate };
