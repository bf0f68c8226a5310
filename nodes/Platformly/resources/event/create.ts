import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../errors';
import {
	EVENT_TEXTS,
	eventOptionsFields,
	eventTextProperty,
	readEventOptions,
} from '../../fields/event';
import { projectField, readProjectId } from '../../fields/project';
import { showFor } from '../../fields/display';
import { checkRequiredText } from '../../helpers/validation';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import { oneCall } from '../requests';
import type { ItemTask } from '../../types';

// Event › Create sends `add_event` with `project_id`, `action`, `desc` and any `options`.

const show = showFor('event', ['create']);

export const properties: INodeProperties[] = [
	projectField(show, 'The project the event belongs to'),
	...EVENT_TEXTS.map((text): INodeProperties => ({
		...eventTextProperty(text),
		required: true,
		displayOptions: { show },
	})),
	...eventOptionsFields(show, 'Values that go with the event, such as the page path it is about'),
];

export function prepare(context: IExecuteFunctions, itemIndex: number): ItemTask {
	const value: IDataObject = { project_id: readProjectId(context, itemIndex) };
	for (const { key, name, displayName } of EVENT_TEXTS) {
		const text = checkRequiredText(context.getNodeParameter(name, itemIndex, ''));
		if (!text.ok) throw fieldError(context.getNode(), displayName, text.problem, itemIndex);
		value[key] = text.value;
	}
	const options = readEventOptions(context, itemIndex);
	if (options) value.options = options;
	return oneCall({ action: PLATFORMLY_ACTIONS.addEvent, value });
}
