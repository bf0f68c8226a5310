import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../shared/fieldErrors';
import { checkEmail, checkPositiveInteger, isBlank } from '../../shared/validation';
import type { ShowFor } from '../fields/show';

export const CONTACT_IDENTITY_FIELD_NAMES = {
	contactId: 'Contact ID',
	email: 'Email',
} as const;

/** Platformly finds a contact by its ID, its email, or both; every contact operation but Create. */
export function contactIdentityFields(show: ShowFor): INodeProperties[] {
	return [
		{
			displayName: CONTACT_IDENTITY_FIELD_NAMES.contactId,
			name: 'contactId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 12',
			description:
				"Platformly's ID of the contact. Give this, the email, or both; when both are given, both are sent.",
			displayOptions: { show },
		},
		{
			displayName: CONTACT_IDENTITY_FIELD_NAMES.email,
			name: 'email',
			type: 'string',
			default: '',
			placeholder: 'name@email.com',
			description: "The contact's email address in Platformly",
			displayOptions: { show },
		},
	];
}

/** The `contact_id` and/or `email` that identify the item's contact. */
export function readContactIdentity(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const rawContactId = context.getNodeParameter('contactId', itemIndex, '');
	const rawEmail = context.getNodeParameter('email', itemIndex, '');
	if (isBlank(rawContactId) && isBlank(rawEmail)) {
		throw invalidField(
			context,
			`${CONTACT_IDENTITY_FIELD_NAMES.contactId} or ${CONTACT_IDENTITY_FIELD_NAMES.email}`,
			'is required: give at least one to identify the contact',
			itemIndex,
		);
	}
	const identity: IDataObject = {};
	if (!isBlank(rawContactId)) {
		const contactId = checkPositiveInteger(rawContactId);
		if (!contactId.ok) {
			throw invalidField(context, CONTACT_IDENTITY_FIELD_NAMES.contactId, contactId.problem, itemIndex);
		}
		identity.contact_id = contactId.value;
	}
	if (!isBlank(rawEmail)) {
		const email = checkEmail(rawEmail);
		if (!email.ok) throw invalidField(context, CONTACT_IDENTITY_FIELD_NAMES.email, email.problem, itemIndex);
		identity.email = email.value;
	}
	return identity;
}
