import { contactOnlyOperation } from '../../fields/contact';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';

export const { properties, prepare } = contactOnlyOperation(
	'removeAllTags',
	PLATFORMLY_ACTIONS.contactTagRemoveAll,
);
