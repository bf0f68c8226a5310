import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contactIdentityFields, readContactIdentity } from '../../fields/contact';
import { idListField, readIdList } from '../../fields/idLists';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { aboutContact } from './notFound';

// Contact › Add to Segments sends `contact_segment_add` with the contact and `segment`, the segment
// IDs comma-separated.

const show = showFor('contact', ['addToSegments']);

export const properties: INodeProperties[] = [
	...contactIdentityFields(show),
	idListField('segments', show),
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const identity = readContactIdentity(context, itemIndex);
	const value = { ...identity, segment: readIdList(context, 'segments', itemIndex) };
	return aboutContact({ action: PLATFORMLY_ACTIONS.contactSegmentAdd, value }, identity);
}
