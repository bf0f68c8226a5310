import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_ACTIONS } from '../../shared/actions';
import { readProjectId } from '../fields/project';
import { showFor } from '../fields/show';
import { nothingToChange, UPDATE_FIELDS } from '../fields/updateFields';
import type { ItemCalls } from '../types';
import { contactCall } from './contactCall';
import { contactDetailsFields, CUSTOM_FIELDS_FIELD_NAME, readContactDetails } from './details';
import { readContactIdentity } from './identity';

export const updateFields: INodeProperties[] = contactDetailsFields(UPDATE_FIELDS, showFor('contact', ['update']));

export function prepareUpdate(context: IExecuteFunctions, itemIndex: number): ItemCalls {
	const projectId = readProjectId(context, itemIndex);
	const identity = readContactIdentity(context, itemIndex);
	const details = readContactDetails(context, UPDATE_FIELDS.name, itemIndex);
	if (Object.keys(details).length === 0) throw nothingToChange(context, CUSTOM_FIELDS_FIELD_NAME, itemIndex);
	return contactCall(
		{ action: PLATFORMLY_ACTIONS.updateContact, value: { project_id: projectId, ...identity, ...details } },
		identity,
	);
}
