import { operationProperty } from '../../fields/display';
import type { Resource } from '../../types';
import * as getAll from './getAll';

export const project: Resource = {
	operationDropdown: operationProperty('project', [
		{
			name: 'Get Many',
			value: 'getAll',
			description: "List the account's projects",
			action: 'Get many projects',
		},
	]),
	operations: { getAll },
};
