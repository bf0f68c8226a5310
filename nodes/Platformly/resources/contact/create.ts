import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { emailField, readNewContactEmail } from '../../fields/contact';
import { contactDetailsFields, readContactDetails } from '../../fields/contactDetails';
import { projectField, readProjectId } from '../../fields/project';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import { oneCall } from '../requests';
import type { ItemTask } from '../../types';

// Contact › Create sends `add_contact` with `project_id`, `email` and the details given.

const show = showFor('contact', ['create']);
const DETAILS = { name: 'additionalFields', displayName: 'Additional Fields' };

export const properties: INodeProperties[] = [
	projectField(show, 'The project the contact belongs to'),
	emailField(show, { required: true, description: "The new contact's email address" }),
	...contactDetailsFields(DETAILS, show),
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const projectId = readProjectId(context, itemIndex);
	const email = readNewContactEmail(context, itemIndex);
	const details = readContactDetails(context, DETAILS.name, itemIndex);
	return oneCall({
		action: PLATFORMLY_ACTIONS.addContact,
		value: { project_id: projectId, email, ...details },
	});
}
