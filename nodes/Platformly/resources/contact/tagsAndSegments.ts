import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import type { IdListKind } from '../fields/idLists';
import { ID_LISTS, idListField, readIdList } from '../fields/idLists';
import { showFor } from '../fields/show';
import type { PrepareItem } from '../types';
import { readContactIdentity } from './identity';
import { contactCall, contactOnlyOperation } from './contactCall';

export const tagAndSegmentFields: INodeProperties[] = [
	idListField('tags', showFor('contact', ['addTags', 'removeTags'])),
	idListField('segments', showFor('contact', ['addToSegments'])),
];

/** Adds the chosen tags or segments to the contact, or removes them. */
function changeMembership(action: string, kind: IdListKind): PrepareItem {
	return (context: IExecuteFunctions, itemIndex: number) => {
		const identity = readContactIdentity(context, itemIndex);
		const ids = readIdList(context, kind, itemIndex);
		return contactCall({ action, value: { ...identity, [ID_LISTS[kind].valueKey]: ids } }, identity);
	};
}

export const tagAndSegmentHandlers: Record<string, PrepareItem> = {
	addTags: changeMembership(PLATFORMLY_ACTIONS.contactTagAdd, 'tags'),
	removeTags: changeMembership(PLATFORMLY_ACTIONS.contactTagRemove, 'tags'),
	removeAllTags: contactOnlyOperation(PLATFORMLY_ACTIONS.contactTagRemoveAll),
	addToSegments: changeMembership(PLATFORMLY_ACTIONS.contactSegmentAdd, 'segments'),
	removeFromAllSegments: contactOnlyOperation(PLATFORMLY_ACTIONS.contactSegmentRemoveAll),
};
