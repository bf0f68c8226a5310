import { operationProperty } from '../../fields/display';
import type { Resource } from '../../types';
import * as addNote from './addNote';
import * as addTags from './addTags';
import * as addToSegments from './addToSegments';
import * as create from './create';
import * as fireEvent from './fireEvent';
import * as get from './get';
import * as removeAllTags from './removeAllTags';
import * as removeFromAllSegments from './removeFromAllSegments';
import * as removeTags from './removeTags';
import * as update from './update';

const operationDropdown = operationProperty(
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

export const contact: Resource = {
	operationDropdown,
	operations: {
		addNote,
		addTags,
		addToSegments,
		create,
		fireEvent,
		get,
		removeAllTags,
		removeFromAllSegments,
		removeTags,
		update,
	},
};
