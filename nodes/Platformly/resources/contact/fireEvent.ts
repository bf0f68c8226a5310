import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contactNotCreated, fieldError, fieldProblems } from '../../errors';
import {
	CONTACT_FIELD_NAMES,
	contactIdentityFields,
	readContactIdentity,
} from '../../fields/contact';
import {
	eventIdField,
	eventOptionsFields,
	readEventId,
	readEventOptions,
} from '../../fields/event';
import { projectField, readProjectId } from '../../fields/project';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import { isContactNotFound } from '../../transport/failures';
import type { ItemTask, PlatformlyCall } from '../../types';
import { aboutContact } from './notFound';

// Contact › Fire Event sends `contact_event_fire` with the contact, `event` and any `options`; with
// Create Contact If Missing, a contact Platformly does not know gets `add_contact`, then the same
// `contact_event_fire` once more.

const show = showFor('contact', ['fireEvent']);

const CREATE_IF_MISSING = {
	displayName: 'Create Contact If Missing',
	name: 'createContactIfMissing',
} as const;

export const properties: INodeProperties[] = [
	...contactIdentityFields(show, CREATE_IF_MISSING.name),
	eventIdField(show, 'The numeric ID of the event to fire.'),
	...eventOptionsFields(
		show,
		'Extra values sent with the event, such as the page path the event is about',
	),
	{
		...CREATE_IF_MISSING,
		type: 'boolean',
		default: false,
		description:
			'Whether to create the contact in the chosen project when Platformly has no contact with the email, then fire the event for it once',
		displayOptions: { show },
	},
	projectField(
		{ ...show, [CREATE_IF_MISSING.name]: [true] },
		'The project a missing contact is created in',
	),
];

/** Reads and checks one item's fields; throws before anything is sent when one is wrong. */
export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const identity = readContactIdentity(context, itemIndex);
	const value: IDataObject = { ...identity, event: readEventId(context, itemIndex) };
	const options = readEventOptions(context, itemIndex);
	if (options) value.options = options;
	const fire: PlatformlyCall = { action: PLATFORMLY_ACTIONS.contactEventFire, value };

	if (!context.getNodeParameter(CREATE_IF_MISSING.name, itemIndex, false)) {
		return aboutContact(fire, identity);
	}
	if (identity.email === undefined) {
		throw fieldError(
			context.getNode(),
			CONTACT_FIELD_NAMES.email,
			fieldProblems.emailForNewContact(CREATE_IF_MISSING.displayName),
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
function fireCreatingMissingContact(fire: PlatformlyCall, newContact: IDataObject): ItemTask {
	return async (send) => {
		const first = await send(fire);
		if (first.ok)
			return { ok: true, value: [{ ...(first.value as IDataObject), contact_created: false }] };
		if (!isContactNotFound(first.failure)) return first;

		const created = await send({ action: PLATFORMLY_ACTIONS.addContact, value: newContact });
		if (!created.ok) return { ok: false, failure: contactNotCreated(created.failure) };
		const second = await send(fire);
		if (!second.ok) return second;
		// Platformly answers add_contact with the new contact's ID as data.cc_id (seen in public clients).
		const data = (created.value as IDataObject).data as IDataObject | undefined;
		const answer = second.value as IDataObject;
		return {
			ok: true,
			value: [{ ...answer, contact_created: true, contact_id: data?.cc_id ?? null }],
		};
	};
}
