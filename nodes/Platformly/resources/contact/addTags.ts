import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contactIdentityFields, readContactIdentity } from '../../fields/contact';
import { idListField, readIdList } from '../../fields/idLists';
import { showFor } from '../../fields/display';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { aboutContact } from './notFound';

// Contact › Add Tags sends `contact_tag_add` with the contact and `tag`, the tag IDs
// comma-separated.

const show = showFor('contact', ['addTags']);

export const properties: INodeProperties[] = [
	...contactIdentityFields(show),
	idListField('tags', show),
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const identity = readContactIdentity(context, itemIndex);
	const value = { ...identity, tag: readIdList(context, 'tags', itemIndex) };
	return aboutContact({ action: PLATFORMLY_ACTIONS.contactTagAdd, value }, identity);
}
