import { operationProperty } from '../../fields/display';
import type { Resource } from '../../types';
import * as create from './create';
import * as getAll from './getAll';

export const customField: Resource = {
	operationDropdown: operationProperty('customField', [
		{
			name: 'Create',
			value: 'create',
			description: 'Add a text custom field to a project',
			action: 'Create a custom field',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: "List a project's custom fields, with the key each one is set by",
			action: 'Get many custom fields',
		},
	]),
	operations: { create, getAll },
};
