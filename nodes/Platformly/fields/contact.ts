import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError, fieldProblems } from '../errors';
import { checkEmail, checkPositiveInteger, isBlank } from '../helpers/validation';
import type { ShowFor } from './display';

export const CONTACT_FIELD_NAMES = {
	contactId: 'Contact ID',
	email: 'Email',
} as const;

/** A contact's email: optional where it identifies a contact, required where it creates one. */
export function emailField(
	show: ShowFor,
	{ required, description }: { required: boolean; description: string },
): INodeProperties {
	return {
		displayName: CONTACT_FIELD_NAMES.email,
		name: 'email',
		type: 'string',
		...(required && { required }),
		default: '',
		placeholder: 'name@email.com',
		description,
		displayOptions: { show },
	};
}

const IDENTIFYING_EMAIL_DESCRIPTION = "The contact's email address in Platformly";

/**
 * Platformly finds a contact by its ID, its email, or both; every contact operation but Create.
 * With `emailRequiredBy`, the name of a boolean field, Email is required while that field is on:
 * n8n marks a field required only as a whole, so Email is defined twice, shown one at a time.
 */
export function contactIdentityFields(show: ShowFor, emailRequiredBy?: string): INodeProperties[] {
	const emailFields =
		emailRequiredBy === undefined
			? [emailField(show, { required: false, description: IDENTIFYING_EMAIL_DESCRIPTION })]
			: [
					emailField(
						{ ...show, [emailRequiredBy]: [false] },
						{ required: false, description: IDENTIFYING_EMAIL_DESCRIPTION },
					),
					emailField(
						{ ...show, [emailRequiredBy]: [true] },
						{
							required: true,
							description: `${IDENTIFYING_EMAIL_DESCRIPTION}, and the email a missing contact is created with`,
						},
					),
				];
	return [
		{
			displayName: CONTACT_FIELD_NAMES.contactId,
			name: 'contactId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 12',
			description:
				"Platformly's ID of the contact. Give this, the email, or both; when both are given, both are sent.",
			displayOptions: { show },
		},
		...emailFields,
	];
}

function readEmail(context: IExecuteFunctions, raw: unknown, itemIndex: number): string {
	const email = checkEmail(raw);
	if (!email.ok)
		throw fieldError(context.getNode(), CONTACT_FIELD_NAMES.email, email.problem, itemIndex);
	return email.value;
}

/** The `contact_id` and/or `email` that identify the item's contact. */
export function readContactIdentity(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const rawContactId = context.getNodeParameter('contactId', itemIndex, '');
	const rawEmail = context.getNodeParameter('email', itemIndex, '');
	if (isBlank(rawContactId) && isBlank(rawEmail)) {
		throw fieldError(
			context.getNode(),
			`${CONTACT_FIELD_NAMES.contactId} or ${CONTACT_FIELD_NAMES.email}`,
			fieldProblems.noContact,
			itemIndex,
		);
	}
	const identity: IDataObject = {};
	if (!isBlank(rawContactId)) {
		const contactId = checkPositiveInteger(rawContactId);
		if (!contactId.ok) {
			throw fieldError(
				context.getNode(),
				CONTACT_FIELD_NAMES.contactId,
				contactId.problem,
				itemIndex,
			);
		}
		identity.contact_id = contactId.value;
	}
	if (!isBlank(rawEmail)) identity.email = readEmail(context, rawEmail, itemIndex);
	return identity;
}

/** The email of a contact about to be created. */
export function readNewContactEmail(context: IExecuteFunctions, itemIndex: number): string {
	return readEmail(context, context.getNodeParameter('email', itemIndex, ''), itemIndex);
}
