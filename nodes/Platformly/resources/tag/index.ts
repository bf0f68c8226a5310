import { operationProperty } from '../../fields/display';
import type { Resource } from '../../types';
import * as getAll from './getAll';
import * as update from './update';

export const tag: Resource = {
	operationDropdown: operationProperty('tag', [
		{
			name: 'Get Many',
			value: 'getAll',
			description: "List a project's tags",
			action: 'Get many tags',
		},
		{
			name: 'Update',
			value: 'update',
			description: 'Rename a tag or change its description',
			action: 'Update a tag',
		},
	]),
	operations: { getAll, update },
};
