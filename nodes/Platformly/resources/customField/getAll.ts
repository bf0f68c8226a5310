import { getManyOperation } from '../../fields/getMany';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';

// Platformly documents no paging for list_custom_fields: one request returns them all.
export const { properties, prepare } = getManyOperation(
	'customField',
	PLATFORMLY_ACTIONS.listCustomFields,
	{ paged: false, inProject: true },
);
