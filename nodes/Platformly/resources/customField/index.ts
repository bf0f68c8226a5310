import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { singleCall } from '../../shared/calls';
import { invalidField } from '../../shared/fieldErrors';
import { checkRequiredText, isBlank } from '../../shared/validation';
import { getManyOperation } from '../fields/getMany';
import { operationProperty } from '../fields/operation';
import { projectField, readProjectId } from '../fields/project';
import { showFor } from '../fields/show';
import type { OperationHandlers } from '../types';

const NAME_FIELD_NAME = 'Name';
const createShow = showFor('customField', ['create']);

// Platformly documents no paging for list_custom_fields: one request returns them all.
const getMany = getManyOperation('customField', PLATFORMLY_ACTIONS.listCustomFields, {
	paged: false,
	inProject: true,
});

export const customFieldOperations = operationProperty('customField', [
	{
		name: 'Create',
		value: 'create',
		description: 'Add a text custom field to a project',
		action: 'Create a custom field',
	},
	{
		name: 'Get Many',
		value: 'getAll',
		description: "List a project's custom fields, with the key each one is set by",
		action: 'Get many custom fields',
	},
]);

export const customFieldFields: INodeProperties[] = [
	...getMany.fields,
	projectField(createShow, 'The project the custom field belongs to'),
	{
		displayName: NAME_FIELD_NAME,
		name: 'customFieldName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Favourite colour',
		description: "The field's name. Platformly creates it as a text field.",
		displayOptions: { show: createShow },
	},
	{
		displayName: 'Description',
		name: 'customFieldDescription',
		type: 'string',
		default: '',
		displayOptions: { show: createShow },
	},
];

function prepareCreate(context: IExecuteFunctions, itemIndex: number) {
	const projectId = readProjectId(context, itemIndex);
	const name = checkRequiredText(context.getNodeParameter('customFieldName', itemIndex, ''));
	if (!name.ok) throw invalidField(context, NAME_FIELD_NAME, name.problem, itemIndex);
	const description = context.getNodeParameter('customFieldDescription', itemIndex, '');
	const value: IDataObject = { project_id: projectId, name: name.value };
	if (!isBlank(description)) value.desc = String(description);
	return singleCall({ action: PLATFORMLY_ACTIONS.addCustomField, value });
}

export const customFieldHandlers: OperationHandlers = { create: prepareCreate, getAll: getMany.prepare };
