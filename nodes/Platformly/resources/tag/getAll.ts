import { getManyOperation } from '../../fields/getMany';
import { PLATFORMLY_ACTIONS } from '../../transport/actions';

export const { properties, prepare } = getManyOperation('tag', PLATFORMLY_ACTIONS.listTags, {
	paged: true,
	inProject: true,
});
