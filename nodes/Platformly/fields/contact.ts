import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlatformlyFailure } from '../errors';
import { fieldError, fieldProblems, missingContact } from '../errors';
import { checkEmail, checkPositiveInteger, isBlank } from '../helpers/validation';
import { oneCall } from '../transport/tasks';
import type { ItemTask, Operation, PlatformlyCall } from '../types';
import type { IdListKind } from './idLists';
import { ID_LISTS, idListField, readIdList } from './idLists';
import type { ShowFor } from './show';
import { showFor } from './show';

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

/**
 * Platformly's answer when no contact matches, as public clients compare it (WP Fusion). The
 * node recognises it to offer "Create Contact If Missing" and a clearer "not found".
 */
const CONTACT_NOT_FOUND_MESSAGE = 'contact not found';

export function isContactNotFound(failure: PlatformlyFailure): boolean {
	return (
		failure.kind === 'platformly' &&
		failure.message.trim().toLowerCase() === CONTACT_NOT_FOUND_MESSAGE
	);
}

/** One call about one contact; a "Contact Not Found" answer names the contact in its description. */
export function aboutContact(call: PlatformlyCall, identity: IDataObject): ItemTask {
	const task = oneCall(call);
	return async (send) => {
		const outcome = await task(send);
		if (outcome.ok || !isContactNotFound(outcome.failure)) return outcome;
		return { ok: false, failure: missingContact(outcome.failure, identity) };
	};
}

/** Get, Remove All Tags and Remove From All Segments: nothing but the contact. */
export function contactOnlyOperation(operation: string, action: string): Operation {
	const show = showFor('contact', [operation]);
	return {
		properties: contactIdentityFields(show),
		prepare(context, itemIndex) {
			const identity = readContactIdentity(context, itemIndex);
			return aboutContact({ action, value: identity }, identity);
		},
	};
}

/**
 * Add Tags, Remove Tags and Add to Segments: the contact, and the tags or segments to add or take
 * away, sent as Platformly's comma-separated `tag` or `segment` list.
 */
export function membershipOperation(
	operation: string,
	action: string,
	kind: IdListKind,
): Operation {
	const show = showFor('contact', [operation]);
	return {
		properties: [...contactIdentityFields(show), idListField(kind, show)],
		prepare(context, itemIndex) {
			const identity = readContactIdentity(context, itemIndex);
			const ids = readIdList(context, kind, itemIndex);
			const value = { ...identity, [ID_LISTS[kind].valueKey]: ids };
			return aboutContact({ action, value }, identity);
		},
	};
}
