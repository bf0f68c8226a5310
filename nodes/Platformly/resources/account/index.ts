import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { singleCall } from '../../shared/calls';
import { operationProperty } from '../fields/operation';
import type { OperationHandlers } from '../types';

export const accountOperations = operationProperty('account', [
	{
		name: 'Get Profile',
		value: 'getProfile',
		description: 'Get the profile of the account the API key belongs to',
		action: 'Get the account profile',
	},
]);

// Platformly's profile action takes no parameters: `value` is the empty object `{}`.
const getProfile = singleCall({ action: PLATFORMLY_ACTIONS.profile, value: {} });

export const accountHandlers: OperationHandlers = { getProfile: () => getProfile };
