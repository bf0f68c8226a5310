import { operationProperty } from '../../fields/display';
import type { Resource } from '../../types';
import * as getAll from './getAll';

export const segment: Resource = {
	operationDropdown: operationProperty('segment', [
		{
			name: 'Get Many',
			value: 'getAll',
			description: "List a project's segments",
			action: 'Get many segments',
		},
	]),
	operations: { getAll },
};
