import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contactIdentityFields, readContactIdentity } from '../../fields/contact';
import {
	contactDetailsFields,
	CUSTOM_FIELDS_FIELD_NAME,
	readContactDetails,
} from '../../fields/contactDetails';
import { projectField, readProjectId } from '../../fields/project';
import { showFor } from '../../fields/display';
import { nothingToChange, UPDATE_FIELDS } from '../../fields/updateFields';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { aboutContact } from './notFound';

// Contact › Update sends `update_contact` with `project_id`, the contact and the fields to change.

const show = showFor('contact', ['update']);

export const properties: INodeProperties[] = [
	projectField(show, 'The project the contact belongs to'),
	...contactIdentityFields(show),
	...contactDetailsFields(UPDATE_FIELDS, show),
];

/** Sends only the fields given, so Update never clears what the user did not mention. */
export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const projectId = readProjectId(context, itemIndex);
	const identity = readContactIdentity(context, itemIndex);
	const details = readContactDetails(context, UPDATE_FIELDS.name, itemIndex);
	if (Object.keys(details).length === 0) {
		throw nothingToChange(context, CUSTOM_FIELDS_FIELD_NAME, itemIndex);
	}
	const value = { project_id: projectId, ...identity, ...details };
	return aboutContact({ action: PLATFORMLY_ACTIONS.updateContact, value }, identity);
}
