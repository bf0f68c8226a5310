import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError, fieldProblems } from '../errors';
import { checkPositiveInteger, isBlank } from '../helpers/validation';
import type { ShowFor } from './display';

const PROJECT_FIELD_NAME = 'Project';

/** A Platformly project, picked from the account's list or given by ID (or an expression). */
export function projectField(show: ShowFor, description: string): INodeProperties {
	return {
		displayName: PROJECT_FIELD_NAME,
		name: 'projectId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a project...',
				typeOptions: { searchListMethod: 'searchProjects', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 1',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A project ID is a whole number' },
					},
				],
			},
		],
		displayOptions: { show },
	};
}

export function readProjectId(context: IExecuteFunctions, itemIndex: number): number {
	const raw = context.getNodeParameter('projectId', itemIndex, '', { extractValue: true });
	if (isBlank(raw)) {
		throw fieldError(context.getNode(), PROJECT_FIELD_NAME, fieldProblems.noProject, itemIndex);
	}
	const projectId = checkPositiveInteger(raw);
	if (!projectId.ok)
		throw fieldError(context.getNode(), PROJECT_FIELD_NAME, projectId.problem, itemIndex);
	return projectId.value;
}
