import { membershipOperation } from '../../fields/contact';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';

export const { properties, prepare } = membershipOperation(
	'addToSegments',
	PLATFORMLY_ACTIONS.contactSegmentAdd,
	'segments',
);
