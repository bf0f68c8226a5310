import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../errors';
import { projectField, readProjectId } from '../../fields/project';
import { showFor } from '../../fields/display';
import { checkRequiredText, isBlank } from '../../helpers/validation';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import { oneCall } from '../requests';
import type { ItemTask } from '../../types';

// Custom Field › Create sends `add_custom_field` with `project_id`, `name` and `desc`.

const NAME_FIELD_NAME = 'Name';
const show = showFor('customField', ['create']);

export const properties: INodeProperties[] = [
	projectField(show, 'The project the custom field belongs to'),
	{
		displayName: NAME_FIELD_NAME,
		name: 'customFieldName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Favourite colour',
		description: "The field's name. Platformly creates it as a text field.",
		displayOptions: { show },
	},
	{
		displayName: 'Description',
		name: 'customFieldDescription',
		type: 'string',
		default: '',
		displayOptions: { show },
	},
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const projectId = readProjectId(context, itemIndex);
	const name = checkRequiredText(context.getNodeParameter('customFieldName', itemIndex, ''));
	if (!name.ok) throw fieldError(context.getNode(), NAME_FIELD_NAME, name.problem, itemIndex);
	const description = context.getNodeParameter('customFieldDescription', itemIndex, '');
	const value: IDataObject = { project_id: projectId, name: name.value };
	if (!isBlank(description)) value.desc = String(description);
	return oneCall({ action: PLATFORMLY_ACTIONS.addCustomField, value });
}
