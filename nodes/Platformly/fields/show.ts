import type { IDisplayOptions } from 'n8n-workflow';

/** The editor shows a field only for these resources and operations. */
export type ShowFor = NonNullable<IDisplayOptions['show']>;

export const showFor = (resource: string, operations: string[]): ShowFor => ({
	resource: [resource],
	operation: operations,
});
