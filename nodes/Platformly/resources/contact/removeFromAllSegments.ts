import { contactOnlyOperation } from '../../fields/contact';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';

export const { properties, prepare } = contactOnlyOperation(
	'removeFromAllSegments',
	PLATFORMLY_ACTIONS.contactSegmentRemoveAll,
);
