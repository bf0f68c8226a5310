import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * The error for a field whose value cannot be sent. The message names the field as the editor
 * shows it and the item the way n8n numbers items, e.g. `Event ID must be ... [item 2]`.
 */
export function invalidField(
	context: IExecuteFunctions,
	fieldName: string,
	problem: string,
	itemIndex: number,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), `${fieldName} ${problem} [item ${itemIndex}]`, {
		itemIndex,
		description: 'Nothing was sent to Platformly for this item.',
	});
}
