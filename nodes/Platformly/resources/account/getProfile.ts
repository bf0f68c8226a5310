import type { INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../transport/actions';
import { oneCall } from '../requests';
import type { ItemTask } from '../../types';

export const properties: INodeProperties[] = [];

// Account › Get Profile sends `profile`, which takes no parameters: `value` is the empty object
// `{}`.
const getProfile = oneCall({ action: PLATFORMLY_ACTIONS.profile, value: {} });

export function prepare(): ItemTask {
	return getProfile;
}
