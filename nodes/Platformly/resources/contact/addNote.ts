import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { invalidField } from '../../shared/fieldErrors';
import { checkRequiredText } from '../../shared/validation';
import { showFor } from '../fields/show';
import type { ItemCalls } from '../types';
import { readContactIdentity } from './identity';
import { contactCall } from './contactCall';

const NOTE_FIELD_NAME = 'Note';

export const addNoteFields: INodeProperties[] = [
	{
		displayName: NOTE_FIELD_NAME,
		name: 'note',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: "The text to add to the contact's notes in Platformly",
		displayOptions: { show: showFor('contact', ['addNote']) },
	},
];

export function prepareAddNote(context: IExecuteFunctions, itemIndex: number): ItemCalls {
	const identity = readContactIdentity(context, itemIndex);
	const note = checkRequiredText(context.getNodeParameter('note', itemIndex, ''));
	if (!note.ok) throw invalidField(context, NOTE_FIELD_NAME, note.problem, itemIndex);
	return contactCall({ action: PLATFORMLY_ACTIONS.contactAddNote, value: { ...identity, note: note.value } }, identity);
}
