import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RetryPolicy } from './shared/retry';

/** How the node talks to Platformly; the same for every item of one run. */
export interface RequestSettings {
	concurrency: number;
	maxRequestsPerSecond: number;
	timeoutMs: number;
	retry: RetryPolicy;
}

export const settingsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 10,
			description: 'The most requests in flight at once. 1 sends one item at a time, in order.',
		},
		{
			displayName: 'Max Requests per Second',
			name: 'maxRequestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'The most requests started in any second. 0 means no limit.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: 5,
			description:
				'How often one item is tried again when Platformly answers 429 or 503 or the connection is refused. 0 turns retrying off.',
		},
		{
			displayName: 'Max Retry Wait (Ms)',
			name: 'maxRetryWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60000,
			description: 'The most one item may spend waiting between its attempts, in milliseconds',
		},
		{
			displayName: 'Retry When the Event May Have Fired',
			name: 'retryUncertain',
			type: 'boolean',
			default: false,
			description:
				'Whether to also retry timeouts and server errors other than 503 when the operation changes something. Platformly may have made the change (fired the event, added the note) before such a failure, so a retry can make it twice. Reads are always retried.',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30000,
			description: "Milliseconds to wait for Platformly's answer to one request before giving up on it",
		},
	],
};

interface StoredOptions {
	concurrency: number;
	maxRequestsPerSecond: number;
	maxRetries: number;
	maxRetryWait: number;
	retryUncertain: boolean;
	timeout: number;
}

/** The editor's defaults are the node's defaults: an option left out of the collection takes them. */
const DEFAULT_OPTIONS = Object.fromEntries(
	(settingsProperty.options as INodeProperties[]).map((option) => [option.name, option.default]),
) as unknown as StoredOptions;

/** For requests made outside a run, such as filling a dropdown in the editor. */
export const DEFAULT_TIMEOUT_MS = DEFAULT_OPTIONS.timeout;

export function readRequestSettings(context: IExecuteFunctions): RequestSettings {
	const stored = context.getNodeParameter('options', 0, {}) as Partial<StoredOptions>;
	const options = { ...DEFAULT_OPTIONS, ...stored };
	return {
		concurrency: Math.max(1, Math.floor(options.concurrency)),
		maxRequestsPerSecond: Math.max(0, options.maxRequestsPerSecond),
		timeoutMs: Math.max(1, options.timeout),
		retry: {
			maxRetries: Math.max(0, Math.floor(options.maxRetries)),
			maxTotalWaitMs: Math.max(0, options.maxRetryWait),
			retryUncertain: options.retryUncertain,
		},
	};
}
