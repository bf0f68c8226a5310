import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contactIdentityFields, readContactIdentity } from '../../fields/contact';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { aboutContact } from './notFound';

// Contact › Get sends `fetch_contact` with the contact's ID and/or email; its answer is the
// contact.

export const properties: INodeProperties[] = contactIdentityFields(showFor('contact', ['get']));

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const identity = readContactIdentity(context, itemIndex);
	return aboutContact({ action: PLATFORMLY_ACTIONS.fetchContact, value: identity }, identity);
}
