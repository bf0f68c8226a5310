import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { invalidField } from '../../shared/fieldErrors';
import type { PlatformlyRequest } from '../../shared/transport';
import type { Checked, NameValuePair } from '../../shared/validation';
import {
	checkEmail,
	checkJsonObject,
	checkNameValuePairs,
	checkPositiveInteger,
	isBlank,
} from '../../shared/validation';

const showFor = { resource: ['contact'], operation: ['fireEvent'] };

const FIRE_EVENT_FIELD_NAMES = {
	contactId: 'Contact ID',
	email: 'Email',
	eventId: 'Event ID',
	eventOptionsParameters: 'Event Option Fields',
	eventOptionsJson: 'Event Options (JSON)',
} as const;

export const fireEventFields: INodeProperties[] = [
	{
		displayName: FIRE_EVENT_FIELD_NAMES.contactId,
		name: 'contactId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 12',
		description:
			"Platformly's ID of the contact. Give this, the email, or both; when both are given, both are sent.",
		displayOptions: { show: showFor },
	},
	{
		displayName: FIRE_EVENT_FIELD_NAMES.email,
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'name@email.com',
		description: "The contact's email address in Platformly",
		displayOptions: { show: showFor },
	},
	{
		displayName: FIRE_EVENT_FIELD_NAMES.eventId,
		name: 'eventId',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description:
			'The numeric ID of the event to fire. Platformly shows it in the event list of the project (Automation › Events).',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Event Options',
		name: 'specifyEventOptions',
		type: 'options',
		default: 'none',
		description: 'Extra values sent with the event, such as the page path the event is about',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Using Fields Below', value: 'keypair' },
			{ name: 'Using JSON', value: 'json' },
		],
		displayOptions: { show: showFor },
	},
	{
		displayName: FIRE_EVENT_FIELD_NAMES.eventOptionsParameters,
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
		displayOptions: { show: { ...showFor, specifyEventOptions: ['keypair'] } },
	},
	{
		displayName: FIRE_EVENT_FIELD_NAMES.eventOptionsJson,
		name: 'eventOptionsJson',
		type: 'json',
		default: '{\n  "path": "/home"\n}',
		description: 'A JSON object sent as the event\'s options, e.g. {"path": "/home"}',
		displayOptions: { show: { ...showFor, specifyEventOptions: ['json'] } },
	},
];

function readEventOptions(context: IExecuteFunctions, itemIndex: number): Checked<IDataObject> & { field: string } {
	const mode = context.getNodeParameter('specifyEventOptions', itemIndex, 'none') as string;
	if (mode === 'keypair') {
		const rows = context.getNodeParameter('eventOptionsParameters.parameters', itemIndex, []) as NameValuePair[];
		return { field: FIRE_EVENT_FIELD_NAMES.eventOptionsParameters, ...checkNameValuePairs(rows) };
	}
	if (mode === 'json') {
		const json = context.getNodeParameter('eventOptionsJson', itemIndex, '{}');
		return { field: FIRE_EVENT_FIELD_NAMES.eventOptionsJson, ...checkJsonObject(json) };
	}
	return { field: '', ok: true, value: {} };
}

/** Reads and checks one item's fields; throws before anything is sent when one is wrong. */
export function prepareFireEvent(context: IExecuteFunctions, itemIndex: number): PlatformlyRequest {
	const rawContactId = context.getNodeParameter('contactId', itemIndex, '');
	const rawEmail = context.getNodeParameter('email', itemIndex, '');
	const value: IDataObject = {};

	if (isBlank(rawContactId) && isBlank(rawEmail)) {
		throw invalidField(
			context,
			`${FIRE_EVENT_FIELD_NAMES.contactId} or ${FIRE_EVENT_FIELD_NAMES.email}`,
			'is required: give at least one to identify the contact',
			itemIndex,
		);
	}
	if (!isBlank(rawContactId)) {
		const contactId = checkPositiveInteger(rawContactId);
		if (!contactId.ok) throw invalidField(context, FIRE_EVENT_FIELD_NAMES.contactId, contactId.problem, itemIndex);
		value.contact_id = contactId.value;
	}
	if (!isBlank(rawEmail)) {
		const email = checkEmail(rawEmail);
		if (!email.ok) throw invalidField(context, FIRE_EVENT_FIELD_NAMES.email, email.problem, itemIndex);
		value.email = email.value;
	}

	const eventId = checkPositiveInteger(context.getNodeParameter('eventId', itemIndex));
	if (!eventId.ok) throw invalidField(context, FIRE_EVENT_FIELD_NAMES.eventId, eventId.problem, itemIndex);
	value.event = eventId.value;

	const options = readEventOptions(context, itemIndex);
	if (!options.ok) throw invalidField(context, options.field, options.problem, itemIndex);
	if (Object.keys(options.value).length > 0) value.options = options.value;

	return { action: PLATFORMLY_ACTIONS.contactEventFire, value };
}
