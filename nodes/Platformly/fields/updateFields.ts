import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldError, fieldProblems } from '../errors';

/** The collection each Update operation keeps its optional changes in. */
export const UPDATE_FIELDS = { name: 'updateFields', displayName: 'Update Fields' } as const;

/** An Update that would change nothing is refused before it is sent. */
export function nothingToChange(context: IExecuteFunctions, otherField: string, itemIndex: number) {
	return fieldError(
		context.getNode(),
		`${UPDATE_FIELDS.displayName} or ${otherField}`,
		fieldProblems.nothingToChange,
		itemIndex,
	);
}
