import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { getManyOperation } from '../fields/getMany';
import { operationProperty } from '../fields/operation';
import type { OperationHandlers } from '../types';

const getMany = getManyOperation('segment', PLATFORMLY_ACTIONS.listSegments, { paged: true, inProject: true });

export const segmentOperations = operationProperty('segment', [
	{ name: 'Get Many', value: 'getAll', description: "List a project's segments", action: 'Get many segments' },
]);

export const segmentFields = getMany.fields;

export const segmentHandlers: OperationHandlers = { getAll: getMany.prepare };
