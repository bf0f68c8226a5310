import { getManyOperation } from '../../fields/getMany';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';

export const { properties, prepare } = getManyOperation(
	'segment',
	PLATFORMLY_ACTIONS.listSegments,
	{
		paged: true,
		inProject: true,
	},
);
