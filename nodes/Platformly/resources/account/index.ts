import { operationProperty } from '../../fields/display';
import type { Resource } from '../../types';
import * as getProfile from './getProfile';

export const account: Resource = {
	operationDropdown: operationProperty('account', [
		{
			name: 'Get Profile',
			value: 'getProfile',
			description: 'Get the profile of the account the API key belongs to',
			action: 'Get the account profile',
		},
	]),
	operations: { getProfile },
};
