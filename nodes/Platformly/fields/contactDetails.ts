import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../errors';
import type { Checked } from '../helpers/validation';
import { checkCustomFieldKey, checkUnixTimestamp, isBlank } from '../helpers/validation';
import type { IdListKind } from './idLists';
import { checkIdListField, ID_LISTS, idListField } from './idLists';
import type { ShowFor } from './display';

interface StandardField {
	/** Platformly's key in `value`, from its update_contact reference. */
	key: string;
	/** The parameter's name in the node. */
	name: string;
	displayName: string;
	/** Dates go to Platformly as Unix timestamps. */
	isDate?: boolean;
	placeholder?: string;
}

const STANDARD_FIELDS: StandardField[] = [
	{ key: 'address', name: 'address', displayName: 'Address' },
	{ key: 'address2', name: 'address2', displayName: 'Address Line 2' },
	{ key: 'birthday', name: 'birthday', displayName: 'Birthday', isDate: true },
	{ key: 'city', name: 'city', displayName: 'City' },
	{ key: 'country', name: 'country', displayName: 'Country' },
	{ key: 'date', name: 'date', displayName: 'Date', isDate: true },
	{ key: 'facebook_profile', name: 'facebookProfile', displayName: 'Facebook Profile' },
	{ key: 'fax', name: 'fax', displayName: 'Fax' },
	{ key: 'first_name', name: 'firstName', displayName: 'First Name' },
	{ key: 'instagram', name: 'instagram', displayName: 'Instagram' },
	{ key: 'ip', name: 'ip', displayName: 'IP Address', placeholder: 'e.g. 203.0.113.7' },
	{ key: 'last_name', name: 'lastName', displayName: 'Last Name' },
	{ key: 'linked_in', name: 'linkedIn', displayName: 'LinkedIn' },
	{ key: 'organization', name: 'organization', displayName: 'Organization' },
	{ key: 'phone', name: 'phone', displayName: 'Phone' },
	{ key: 'pinterest', name: 'pinterest', displayName: 'Pinterest' },
	{ key: 'role', name: 'role', displayName: 'Role' },
	{ key: 'skype', name: 'skype', displayName: 'Skype' },
	{ key: 'sms_number', name: 'smsNumber', displayName: 'SMS Number' },
	{ key: 'state', name: 'state', displayName: 'State' },
	{
		key: 'timezone',
		name: 'timezone',
		displayName: 'Timezone',
		placeholder: 'e.g. America/New_York',
	},
	{ key: 'twitter', name: 'twitter', displayName: 'Twitter' },
	{ key: 'website', name: 'website', displayName: 'Website' },
	{ key: 'zip', name: 'zip', displayName: 'ZIP Code' },
];

export const CUSTOM_FIELDS_FIELD_NAME = 'Custom Fields';

function standardFieldProperty({
	name,
	displayName,
	isDate,
	placeholder,
}: StandardField): INodeProperties {
	return isDate
		? {
				displayName,
				name,
				type: 'dateTime',
				default: '',
				description: 'Sent to Platformly as a Unix timestamp',
			}
		: { displayName, name, type: 'string', default: '', ...(placeholder && { placeholder }) };
}

/**
 * A contact's details for Create ("Additional Fields") and Update ("Update Fields"): the standard
 * fields, tags and segments in one collection, and custom fields picked from the project's list.
 */
export function contactDetailsFields(
	collection: { name: string; displayName: string },
	show: ShowFor,
): INodeProperties[] {
	const options = [
		...STANDARD_FIELDS.map(standardFieldProperty),
		idListField('segments'),
		idListField('tags'),
	].sort((a, b) => a.displayName.localeCompare(b.displayName));
	return [
		{
			...collection,
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options,
			displayOptions: { show },
		},
		{
			displayName: CUSTOM_FIELDS_FIELD_NAME,
			name: 'customFields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Custom Field',
			default: {},
			options: [
				{
					name: 'field',
					displayName: 'Custom Field',
					values: [
						{
							displayName: 'Field Name or ID',
							name: 'key',
							type: 'options',
							typeOptions: {
								loadOptionsMethod: 'getCustomFields',
								loadOptionsDependsOn: ['projectId.value'],
							},
							default: '',
							description:
								'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							description:
								'As the field type expects: text, a number, an option value such as option_1, or values separated by commas',
						},
					],
				},
			],
			displayOptions: { show },
		},
	];
}

function checkStandardField(field: StandardField, raw: unknown): Checked<unknown> {
	return field.isDate ? checkUnixTimestamp(raw) : { ok: true, value: String(raw) };
}

/**
 * The details to send, keyed as Platformly expects. Fields left blank are not sent, so Update
 * never clears what the user did not mention.
 */
export function readContactDetails(
	context: IExecuteFunctions,
	collectionName: string,
	itemIndex: number,
): IDataObject {
	const chosen = context.getNodeParameter(collectionName, itemIndex, {}) as IDataObject;
	const details: IDataObject = {};
	for (const field of STANDARD_FIELDS) {
		if (isBlank(chosen[field.name])) continue;
		const checked = checkStandardField(field, chosen[field.name]);
		if (!checked.ok)
			throw fieldError(context.getNode(), field.displayName, checked.problem, itemIndex);
		details[field.key] = checked.value as IDataObject[string];
	}
	for (const kind of Object.keys(ID_LISTS) as IdListKind[]) {
		const { name, valueKey } = ID_LISTS[kind];
		const ids = checkIdListField(context, kind, chosen[name], itemIndex, false);
		if (ids !== '') details[valueKey] = ids;
	}

	const rows = context.getNodeParameter('customFields.field', itemIndex, []) as Array<{
		key?: unknown;
		value?: unknown;
	}>;
	for (const [index, row] of rows.entries()) {
		const key = checkCustomFieldKey(row.key);
		if (!key.ok)
			throw fieldError(
				context.getNode(),
				`${CUSTOM_FIELDS_FIELD_NAME} row ${index + 1}`,
				key.problem,
				itemIndex,
			);
		details[key.value] = String(row.value ?? '');
	}
	return details;
}
