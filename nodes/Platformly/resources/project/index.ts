import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { getManyOperation } from '../fields/getMany';
import { operationProperty } from '../fields/operation';
import type { OperationHandlers } from '../types';

// Platformly documents no paging for list_projects: one request returns them all.
const getMany = getManyOperation('project', PLATFORMLY_ACTIONS.listProjects, { paged: false, inProject: false });

export const projectOperations = operationProperty('project', [
	{ name: 'Get Many', value: 'getAll', description: "List the account's projects", action: 'Get many projects' },
]);

export const projectFields = getMany.fields;

export const projectHandlers: OperationHandlers = { getAll: getMany.prepare };
