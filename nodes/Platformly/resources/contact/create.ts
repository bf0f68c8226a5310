import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { singleCall } from '../../shared/calls';
import { invalidField } from '../../shared/fieldErrors';
import { checkEmail } from '../../shared/validation';
import { readProjectId } from '../fields/project';
import { showFor } from '../fields/show';
import type { ItemCalls } from '../types';
import { contactDetailsFields, readContactDetails } from './details';
import { CONTACT_IDENTITY_FIELD_NAMES } from './identity';

const show = showFor('contact', ['create']);
const DETAILS = { name: 'additionalFields', displayName: 'Additional Fields' };

export const createFields: INodeProperties[] = [
	{
		displayName: CONTACT_IDENTITY_FIELD_NAMES.email,
		name: 'email',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'name@email.com',
		description: "The new contact's email address",
		displayOptions: { show },
	},
	...contactDetailsFields(DETAILS, show),
];

export function prepareCreate(context: IExecuteFunctions, itemIndex: number): ItemCalls {
	const projectId = readProjectId(context, itemIndex);
	const email = checkEmail(context.getNodeParameter('email', itemIndex, ''));
	if (!email.ok) throw invalidField(context, CONTACT_IDENTITY_FIELD_NAMES.email, email.problem, itemIndex);
	const details = readContactDetails(context, DETAILS.name, itemIndex);
	return singleCall({
		action: PLATFORMLY_ACTIONS.addContact,
		value: { project_id: projectId, email: email.value, ...details },
	});
}
