import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { singleCall } from '../../shared/calls';
import { invalidField } from '../../shared/fieldErrors';
import { checkRequiredText, isBlank } from '../../shared/validation';
import { eventIdField, eventOptionsFields, readEventId, readEventOptions } from '../fields/event';
import { operationProperty } from '../fields/operation';
import { projectField, readProjectId } from '../fields/project';
import { showFor } from '../fields/show';
import { nothingToChange, UPDATE_FIELDS } from '../fields/updateFields';
import type { OperationHandlers } from '../types';

/** An event definition's texts, as `action` and `desc` in Platformly's add_event and update_event. */
const EVENT_TEXTS = [
	{
		key: 'action',
		name: 'eventAction',
		displayName: 'Action Name',
		placeholder: 'e.g. visit',
		description: 'The short name Platformly gives the event, e.g. visit',
	},
	{
		key: 'desc',
		name: 'eventDescription',
		displayName: 'Description',
		placeholder: 'e.g. Visited the pricing page',
		description: 'What the event means, as shown in Platformly',
	},
] as const;

function eventTextProperty({ name, displayName, placeholder, description }: (typeof EVENT_TEXTS)[number]): INodeProperties {
	return { displayName, name, type: 'string', default: '', placeholder, description };
}

const createShow = showFor('event', ['create']);
const updateShow = showFor('event', ['update']);

export const eventOperations = operationProperty('event', [
	{ name: 'Create', value: 'create', description: 'Define a new event in a project', action: 'Create an event' },
	{
		name: 'Update',
		value: 'update',
		description: "Change an event's action name, description or options",
		action: 'Update an event',
	},
]);

export const eventFields: INodeProperties[] = [
	projectField(createShow, 'The project the event belongs to'),
	...EVENT_TEXTS.map((text): INodeProperties => ({
		...eventTextProperty(text),
		required: true,
		displayOptions: { show: createShow },
	})),
	eventIdField(updateShow, 'The numeric ID of the event to change.'),
	{
		...UPDATE_FIELDS,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: EVENT_TEXTS.map(eventTextProperty),
		displayOptions: { show: updateShow },
	},
	...eventOptionsFields(createShow, 'Values that go with the event, such as the page path it is about'),
	...eventOptionsFields(updateShow, 'New options for the event; None leaves them as they are'),
];

function prepareCreate(context: IExecuteFunctions, itemIndex: number) {
	const value: IDataObject = { project_id: readProjectId(context, itemIndex) };
	for (const { key, name, displayName } of EVENT_TEXTS) {
		const text = checkRequiredText(context.getNodeParameter(name, itemIndex, ''));
		if (!text.ok) throw invalidField(context, displayName, text.problem, itemIndex);
		value[key] = text.value;
	}
	const options = readEventOptions(context, itemIndex);
	if (options) value.options = options;
	return singleCall({ action: PLATFORMLY_ACTIONS.addEvent, value });
}

function prepareUpdate(context: IExecuteFunctions, itemIndex: number) {
	const value: IDataObject = { event: readEventId(context, itemIndex) };
	const changes = context.getNodeParameter(UPDATE_FIELDS.name, itemIndex, {}) as IDataObject;
	for (const { key, name } of EVENT_TEXTS) {
		if (!isBlank(changes[name])) value[key] = String(changes[name]);
	}
	const options = readEventOptions(context, itemIndex);
	if (options) value.options = options;
	if (Object.keys(value).length === 1) throw nothingToChange(context, 'Event Options', itemIndex);
	return singleCall({ action: PLATFORMLY_ACTIONS.updateEvent, value });
}

export const eventHandlers: OperationHandlers = { create: prepareCreate, update: prepareUpdate };
