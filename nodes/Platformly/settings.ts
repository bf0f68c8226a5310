import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from './shared/transport';

/** How the node talks to Platformly; the same for every item of one run. */
export interface RequestSettings {
	timeoutMs: number;
}

export const settingsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_TIMEOUT_MS,
			description:
				"Milliseconds to wait for Platformly's answer to one request before giving up on it",
		},
	],
};

export function readRequestSettings(context: IExecuteFunctions): RequestSettings {
	const options = context.getNodeParameter('options', 0, {}) as { timeout?: number };
	return { timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS };
}
