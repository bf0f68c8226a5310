import type { INodeProperties } from 'n8n-workflow';

import type { OperationHandlers } from '../types';
import { fireEventFields, prepareFireEvent } from './fireEvent';

export const contactOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['contact'] } },
	options: [
		{
			name: 'Fire Event',
			value: 'fireEvent',
			description: 'Fire an event for a contact, starting the automations that listen for it',
			action: 'Fire an event for a contact',
		},
	],
	default: 'fireEvent',
};

export const contactFields: INodeProperties[] = [...fireEventFields];

export const contactHandlers: OperationHandlers = {
	fireEvent: prepareFireEvent,
};
