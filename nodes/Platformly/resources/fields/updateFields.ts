import type { IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { invalidField } from '../../shared/fieldErrors';

/** The collection each Update operation keeps its optional changes in. */
export const UPDATE_FIELDS = { name: 'updateFields', displayName: 'Update Fields' } as const;

/** An Update that would change nothing is refused before it is sent. */
export function nothingToChange(context: IExecuteFunctions, otherField: string, itemIndex: number): NodeOperationError {
	return invalidField(
		context,
		`${UPDATE_FIELDS.displayName} or ${otherField}`,
		'must name at least one thing to change',
		itemIndex,
	);
}
