import { operationProperty } from '../../fields/display';
import type { Resource } from '../../types';
import * as create from './create';
import * as update from './update';

const operationDropdown = operationProperty('event', [
	{
		name: 'Create',
		value: 'create',
		description: 'Define a new event in a project',
		action: 'Create an event',
	},
	{
		name: 'Update',
		value: 'update',
		description: "Change an event's action name, description or options",
		action: 'Update an event',
	},
]);

export const event: Resource = {
	operationDropdown,
	operations: { create, update },
};
