import type { INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { operationProperty } from '../fields/operation';
import { projectField } from '../fields/project';
import { showFor } from '../fields/show';
import type { OperationHandlers } from '../types';
import { addNoteFields, prepareAddNote } from './addNote';
import { contactOnlyOperation } from './contactCall';
import { createFields, prepareCreate } from './create';
import { fireEventFields, prepareFireEvent } from './fireEvent';
import { contactIdentityFields } from './identity';
import { tagAndSegmentFields, tagAndSegmentHandlers } from './tagsAndSegments';
import { prepareUpdate, updateFields } from './update';

export const contactOperations = operationProperty(
	'contact',
	[
		{
			name: 'Add Note',
			value: 'addNote',
			description: "Add a text note to a contact's record",
			action: 'Add a note to a contact',
		},
		{
			name: 'Add Tags',
			value: 'addTags',
			description: 'Tag a contact',
			action: 'Add tags to a contact',
		},
		{
			name: 'Add to Segments',
			value: 'addToSegments',
			description: 'Put a contact into segments',
			action: 'Add a contact to segments',
		},
		{
			name: 'Create',
			value: 'create',
			description: 'Create a contact in a project',
			action: 'Create a contact',
		},
		{
			name: 'Fire Event',
			value: 'fireEvent',
			description: 'Fire an event for a contact, starting the automations that listen for it',
			action: 'Fire an event for a contact',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get a contact by ID or email',
			action: 'Get a contact',
		},
		{
			name: 'Remove All Tags',
			value: 'removeAllTags',
			description: 'Take every tag off a contact',
			action: 'Remove all tags from a contact',
		},
		{
			name: 'Remove From All Segments',
			value: 'removeFromAllSegments',
			description: 'Take a contact out of every segment',
			action: 'Remove a contact from all segments',
		},
		{
			name: 'Remove Tags',
			value: 'removeTags',
			description: 'Take tags off a contact',
			action: 'Remove tags from a contact',
		},
		{
			name: 'Update',
			value: 'update',
			description: "Change a contact's details, custom fields, tags or segments",
			action: 'Update a contact',
		},
	],
	'fireEvent',
);

/** Every operation but Create finds an existing contact by ID or email. */
const OPERATIONS_ON_A_CONTACT = [
	'addNote',
	'addTags',
	'addToSegments',
	'fireEvent',
	'get',
	'removeAllTags',
	'removeFromAllSegments',
	'removeTags',
	'update',
];

export const contactFields: INodeProperties[] = [
	projectField(showFor('contact', ['create', 'update']), 'The project the contact belongs to'),
	...contactIdentityFields(showFor('contact', OPERATIONS_ON_A_CONTACT)),
	...createFields,
	...updateFields,
	...fireEventFields,
	...addNoteFields,
	...tagAndSegmentFields,
];

export const contactHandlers: OperationHandlers = {
	addNote: prepareAddNote,
	create: prepareCreate,
	fireEvent: prepareFireEvent,
	get: contactOnlyOperation(PLATFORMLY_ACTIONS.fetchContact),
	update: prepareUpdate,
	...tagAndSegmentHandlers,
};
