import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contactIdentityFields, readContactIdentity } from '../../fields/contact';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { aboutContact } from './notFound';

// Contact › Remove From All Segments sends `contact_segment_removeall` with nothing but the
// contact.

export const properties: INodeProperties[] = contactIdentityFields(
	showFor('contact', ['removeFromAllSegments']),
);

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const identity = readContactIdentity(context, itemIndex);
	return aboutContact(
		{ action: PLATFORMLY_ACTIONS.contactSegmentRemoveAll, value: identity },
		identity,
	);
}
