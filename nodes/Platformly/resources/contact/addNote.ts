import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../errors';
import { contactIdentityFields, readContactIdentity } from '../../fields/contact';
import { showFor } from '../../fields/display';
import { checkRequiredText } from '../../helpers/validation';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import type { ItemTask } from '../../types';
import { aboutContact } from './notFound';

// Contact › Add Note sends `contact_add_note` with the contact and `note`.

const show = showFor('contact', ['addNote']);
const NOTE_FIELD_NAME = 'Note';

export const properties: INodeProperties[] = [
	...contactIdentityFields(show),
	{
		displayName: NOTE_FIELD_NAME,
		name: 'note',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: "The text to add to the contact's notes in Platformly",
		displayOptions: { show },
	},
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const identity = readContactIdentity(context, itemIndex);
	const note = checkRequiredText(context.getNodeParameter('note', itemIndex, ''));
	if (!note.ok) throw fieldError(context.getNode(), NOTE_FIELD_NAME, note.problem, itemIndex);
	const value = { ...identity, note: note.value };
	return aboutContact({ action: PLATFORMLY_ACTIONS.contactAddNote, value }, identity);
}
