import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidField } from '../../shared/fieldErrors';
import type { NameValuePair } from '../../shared/validation';
import { checkEventOptionRows, checkEventOptionsJson, checkPositiveInteger } from '../../shared/validation';
import type { ShowFor } from './show';

const EVENT_ID_FIELD_NAME = 'Event ID';

/**
 * Platformly has no public action that lists events, so the event is given by its number rather
 * than picked from a list.
 */
export function eventIdField(show: ShowFor, description: string): INodeProperties {
	return {
		displayName: EVENT_ID_FIELD_NAME,
		name: 'eventId',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description: `${description} Platformly shows it in the event list of the project (Automation › Events)`,
		displayOptions: { show },
	};
}

export function readEventId(context: IExecuteFunctions, itemIndex: number): number {
	const eventId = checkPositiveInteger(context.getNodeParameter('eventId', itemIndex));
	if (!eventId.ok) throw invalidField(context, EVENT_ID_FIELD_NAME, eventId.problem, itemIndex);
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
			placeholder: 'Add Option',
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
			default: '{\n  "path": "/home"\n}',
			description: 'A JSON object sent as the event\'s options, e.g. {"path": "/home"}',
			displayOptions: { show: { ...show, specifyEventOptions: ['json'] } },
		},
	];
}

/** The options to send, or undefined when the user chose "None". */
export function readEventOptions(context: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const mode = context.getNodeParameter('specifyEventOptions', itemIndex, 'none') as string;
	if (mode === 'none') return undefined;
	const byFields = mode === 'keypair';
	const field = byFields ? EVENT_OPTIONS_FIELD_NAMES.parameters : EVENT_OPTIONS_FIELD_NAMES.json;
	const options = byFields
		? checkEventOptionRows(context.getNodeParameter('eventOptionsParameters.parameters', itemIndex, []) as NameValuePair[])
		: checkEventOptionsJson(context.getNodeParameter('eventOptionsJson', itemIndex, '{}'));
	if (!options.ok) throw invalidField(context, field, options.problem, itemIndex);
	return options.value;
}
