import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { invalidField } from '../../shared/fieldErrors';
import type { PlatformlyRequest } from '../../shared/transport';
import { eventIdField, eventOptionsFields, readEventId, readEventOptions } from '../fields/event';
import { projectField, readProjectId } from '../fields/project';
import { showFor } from '../fields/show';
import type { ItemCalls } from '../types';
import { contactCall, isContactNotFound } from './contactCall';
import { CONTACT_IDENTITY_FIELD_NAMES, readContactIdentity } from './identity';

const show = showFor('contact', ['fireEvent']);

const CREATE_IF_MISSING_FIELD_NAME = 'Create Contact If Missing';

export const fireEventFields: INodeProperties[] = [
	eventIdField(show, 'The numeric ID of the event to fire.'),
	...eventOptionsFields(show, 'Extra values sent with the event, such as the page path the event is about'),
	{
		displayName: CREATE_IF_MISSING_FIELD_NAME,
		name: 'createContactIfMissing',
		type: 'boolean',
		default: false,
		description:
			'Whether to create the contact in the chosen project when Platformly has no contact with the email, then fire the event for it once',
		displayOptions: { show },
	},
	projectField(
		{ ...show, createContactIfMissing: [true] },
		'The project a missing contact is created in',
	),
];

/** Reads and checks one item's fields; throws before anything is sent when one is wrong. */
export function prepareFireEvent(context: IExecuteFunctions, itemIndex: number): ItemCalls {
	const identity = readContactIdentity(context, itemIndex);
	const value: IDataObject = { ...identity, event: readEventId(context, itemIndex) };
	const options = readEventOptions(context, itemIndex);
	if (options && Object.keys(options).length > 0) value.options = options;
	const fire: PlatformlyRequest = { action: PLATFORMLY_ACTIONS.contactEventFire, value };

	if (!context.getNodeParameter('createContactIfMissing', itemIndex, false)) return contactCall(fire, identity);
	if (identity.email === undefined) {
		throw invalidField(
			context,
			CONTACT_IDENTITY_FIELD_NAMES.email,
			`is required when "${CREATE_IF_MISSING_FIELD_NAME}" is on: a new contact needs one`,
			itemIndex,
		);
	}
	const newContact = { project_id: readProjectId(context, itemIndex), email: identity.email };
	return fireCreatingMissingContact(fire, newContact);
}

/**
 * Fires the event; if Platformly has no contact with the email, creates it and fires the same
 * request once more. The output says whether the contact was created, and its new ID when it was.
 */
function fireCreatingMissingContact(fire: PlatformlyRequest, newContact: IDataObject): ItemCalls {
	return async (send) => {
		const first = await send(fire);
		if (first.ok) return { ok: true, json: [{ ...(first.answer as IDataObject), contact_created: false }] };
		if (!isContactNotFound(first.failure)) return first;

		const created = await send({ action: PLATFORMLY_ACTIONS.addContact, value: newContact });
		if (!created.ok) {
			const description = `The contact was not found, and creating it failed. ${created.failure.description}`;
			return { ok: false, failure: { ...created.failure, description } };
		}
		const second = await send(fire);
		if (!second.ok) return second;
		// Platformly answers add_contact with the new contact's ID as data.cc_id (seen in public clients).
		const newContactId = ((created.answer as IDataObject).data as IDataObject | undefined)?.cc_id ?? null;
		return { ok: true, json: [{ ...(second.answer as IDataObject), contact_created: true, contact_id: newContactId }] };
	};
}
