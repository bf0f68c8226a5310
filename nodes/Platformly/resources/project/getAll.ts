import { getManyOperation } from '../../fields/getMany';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';

// Platformly documents no paging for list_projects: one request returns them all.
export const { properties, prepare } = getManyOperation(
	'project',
	PLATFORMLY_ACTIONS.listProjects,
	{
		paged: false,
		inProject: false,
	},
);
