import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError, fieldProblems } from '../errors';
import type { NameValuePair } from '../helpers/validation';
import {
	checkEventOptionRows,
	checkEventOptionsJson,
	checkPositiveInteger,
	isBlank,
} from '../helpers/validation';
import type { ShowFor } from './display';

const EVENT_ID_FIELD_NAME = 'Event ID';

/**
 * Platformly has no public action that lists events, so the event is given by its number rather
 * than picked from a list. The field is text, not a number: n8n marks an empty required text
 * field as an issue in the panel and on the canvas, but a number field always has a value (a
 * made-up 0). Workflows that stored a number still read the same.
 */
export function eventIdField(show: ShowFor, description: string): INodeProperties {
	return {
		displayName: EVENT_ID_FIELD_NAME,
		name: 'eventId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 42',
		description: `${description} Platformly shows it in the event list of the project (Automation › Events)`,
		displayOptions: { show },
	};
}

export function readEventId(context: IExecuteFunctions, itemIndex: number): number {
	const raw = context.getNodeParameter('eventId', itemIndex, '');
	if (isBlank(raw))
		throw fieldError(context.getNode(), EVENT_ID_FIELD_NAME, fieldProblems.required, itemIndex);
	const eventId = checkPositiveInteger(raw);
	if (!eventId.ok)
		throw fieldError(context.getNode(), EVENT_ID_FIELD_NAME, eventId.problem, itemIndex);
	return eventId.value;
}

const EVENT_OPTIONS_FIELD_NAMES = {
	parameters: 'Event Option Fields',
	json: 'Event Options (JSON)',
} as const;

/**
 * An event's `options` (e.g. {"path": "/home"}): the same shape when firing an event and when
 * defining one, so both use these fields. "None" sends no options at all.
 */
export function eventOptionsFields(show: ShowFor, description: string): INodeProperties[] {
	return [
		{
			displayName: 'Event Options',
			name: 'specifyEventOptions',
			type: 'options',
			default: 'none',
			description,
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Using Fields Below', value: 'keypair' },
				{ name: 'Using JSON', value: 'json' },
			],
			displayOptions: { show },
		},
		{
			displayName: EVENT_OPTIONS_FIELD_NAMES.parameters,
			name: 'eventOptionsParameters',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Event Option',
			default: { parameters: [{ name: '', value: '' }] },
			options: [
				{
					name: 'parameters',
					displayName: 'Option',
					values: [
						{
							displayName: 'Name',
							name: 'name',
							type: 'string',
							default: '',
							placeholder: 'e.g. path',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							placeholder: 'e.g. /home',
						},
					],
				},
			],
			displayOptions: { show: { ...show, specifyEventOptions: ['keypair'] } },
		},
		{
			displayName: EVENT_OPTIONS_FIELD_NAMES.json,
			name: 'eventOptionsJson',
			type: 'json',
			// No options, not an example: an example as the default was sent by everyone who left it.
			// n8n's JSON editor draws no placeholder, and marks an empty one as invalid JSON, so the
			// example is a hint under the field.
			default: '{}',
			hint: 'e.g. {"path": "/home"}',
			description: "A JSON object sent as the event's options. Left as {}, no options are sent.",
			displayOptions: { show: { ...show, specifyEventOptions: ['json'] } },
		},
	];
}

/** The options to send; undefined for "None" and for an empty object, so that none are sent. */
export function readEventOptions(
	context: IExecuteFunctions,
	itemIndex: number,
): IDataObject | undefined {
	const mode = context.getNodeParameter('specifyEventOptions', itemIndex, 'none') as string;
	if (mode === 'none') return undefined;
	const byFields = mode === 'keypair';
	const field = byFields ? EVENT_OPTIONS_FIELD_NAMES.parameters : EVENT_OPTIONS_FIELD_NAMES.json;
	const options = byFields
		? checkEventOptionRows(
				context.getNodeParameter(
					'eventOptionsParameters.parameters',
					itemIndex,
					[],
				) as NameValuePair[],
			)
		: checkEventOptionsJson(context.getNodeParameter('eventOptionsJson', itemIndex, '{}'));
	if (!options.ok) throw fieldError(context.getNode(), field, options.problem, itemIndex);
	return Object.keys(options.value).length > 0 ? options.value : undefined;
}

/** An event definition's texts, as `action` and `desc` in Platformly's add_event and update_event. */
export const EVENT_TEXTS = [
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

export function eventTextProperty({
	name,
	displayName,
	placeholder,
	description,
}: (typeof EVENT_TEXTS)[number]): INodeProperties {
	return { displayName, name, type: 'string', default: '', placeholder, description };
}
