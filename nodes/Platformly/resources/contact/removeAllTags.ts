import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contactIdentityFields, readContactIdentity } from '../../fields/contact';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { aboutContact } from './notFound';

// Contact › Remove All Tags sends `contact_tag_removeall` with nothing but the contact.

export const properties: INodeProperties[] = contactIdentityFields(
	showFor('contact', ['removeAllTags']),
);

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const identity = readContactIdentity(context, itemIndex);
	return aboutContact(
		{ action: PLATFORMLY_ACTIONS.contactTagRemoveAll, value: identity },
		identity,
	);
}
