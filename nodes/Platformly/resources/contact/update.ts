import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { invalidField } from '../../shared/fieldErrors';
import { readProjectId } from '../fields/project';
import { showFor } from '../fields/show';
import type { ItemCalls } from '../types';
import { contactCall } from './contactCall';
import { contactDetailsFields, CUSTOM_FIELDS_FIELD_NAME, readContactDetails } from './details';
import { readContactIdentity } from './identity';

const DETAILS = { name: 'updateFields', displayName: 'Update Fields' };

export const updateFields: INodeProperties[] = contactDetailsFields(DETAILS, showFor('contact', ['update']));

export function prepareUpdate(context: IExecuteFunctions, itemIndex: number): ItemCalls {
	const projectId = readProjectId(context, itemIndex);
	const identity = readContactIdentity(context, itemIndex);
	const details = readContactDetails(context, DETAILS.name, itemIndex);
	if (Object.keys(details).length === 0) {
		throw invalidField(
			context,
			`${DETAILS.displayName} or ${CUSTOM_FIELDS_FIELD_NAME}`,
			'must name at least one thing to change',
			itemIndex,
		);
	}
	return contactCall(
		{ action: PLATFORMLY_ACTIONS.updateContact, value: { project_id: projectId, ...identity, ...details } },
		identity,
	);
}
