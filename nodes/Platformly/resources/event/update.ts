import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	EVENT_TEXTS,
	eventIdField,
	eventOptionsFields,
	eventTextProperty,
	readEventId,
	readEventOptions,
} from '../../fields/event';
import { showFor } from '../../fields/display';
import { nothingToChange, UPDATE_FIELDS } from '../../fields/updateFields';
import { isBlank } from '../../helpers/validation';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import { oneCall } from '../requests';
import type { ItemTask } from '../../types';

// Event › Update sends `update_event` with `event` and the `action`, `desc` or `options` to change.

const show = showFor('event', ['update']);

export const properties: INodeProperties[] = [
	eventIdField(show, 'The numeric ID of the event to change.'),
	{
		...UPDATE_FIELDS,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: EVENT_TEXTS.map(eventTextProperty),
		displayOptions: { show },
	},
	...eventOptionsFields(show, 'New options for the event; None leaves them as they are'),
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const value: IDataObject = { event: readEventId(context, itemIndex) };
	const changes = context.getNodeParameter(UPDATE_FIELDS.name, itemIndex, {}) as IDataObject;
	for (const { key, name } of EVENT_TEXTS) {
		if (!isBlank(changes[name])) value[key] = String(changes[name]);
	}
	const options = readEventOptions(context, itemIndex);
	if (options) value.options = options;
	if (Object.keys(value).length === 1) throw nothingToChange(context, 'Event Options', itemIndex);
	return oneCall({ action: PLATFORMLY_ACTIONS.updateEvent, value });
}
