import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { optionError, optionExpectations, optionsNotACollection } from './errors';
import type { RetryPolicy } from './transport/retry';

/**
 * The node's Options collection, as the run uses it: how the node talks to Platformly, the same
 * for every item of one run.
 */
export interface Options {
	concurrency: number;
	processConcurrency: number;
	maxRequestsPerSecond: number;
	timeoutMs: number;
	retry: RetryPolicy;
}

interface NumberRange {
	min: number;
	max: number;
	whole: boolean;
}

/**
 * The range of every numeric option. A value outside it, or not a number at all, stops the run
 * before anything is sent: read loosely, text in Concurrency sent nothing and text in the retry
 * options switched their limits off.
 */
export const NUMBER_OPTION_RANGES = {
	concurrency: { min: 1, max: 100, whole: true },
	processConcurrency: { min: 1, max: 1000, whole: true },
	maxRequestsPerSecond: { min: 0, max: 1000, whole: false },
	maxRetries: { min: 0, max: 20, whole: true },
	maxRetryWait: { min: 0, max: 3_600_000, whole: true },
	timeout: { min: 1, max: 600_000, whole: true },
} as const satisfies Record<string, NumberRange>;

export type NumberOption = keyof typeof NUMBER_OPTION_RANGES;

function numberOption(
	name: NumberOption,
	displayName: string,
	defaultValue: number,
	description: string,
): INodeProperties {
	const { min, max, whole } = NUMBER_OPTION_RANGES[name];
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: min, maxValue: max, ...(whole && { numberPrecision: 0 }) },
		default: defaultValue,
		description,
	};
}

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		numberOption(
			'concurrency',
			'Concurrency',
			10,
			'The most requests in flight at once for this run, from 1 to 100. 1 sends one item at a time, in order.',
		),
		numberOption(
			'processConcurrency',
			'Concurrency per Process',
			20,
			"The most requests in flight at once for this Platformly account from all of the node's runs in this n8n process (each worker is one in queue mode), from 1 to 1000. Concurrency applies within it. A 429 from Platformly pauses them all.",
		),
		numberOption(
			'maxRequestsPerSecond',
			'Max Requests per Second',
			0,
			'The most requests started in any second, up to 1000. 0 means no limit.',
		),
		numberOption(
			'maxRetries',
			'Max Retries',
			5,
			'How often one request is sent again when Platformly answers 429 or 503 or the connection is refused, up to 20. 0 turns retrying off.',
		),
		numberOption(
			'maxRetryWait',
			'Max Retry Wait',
			60000,
			"The most one item may spend waiting between attempts, all its requests together, including pauses for other items' 429 answers. In milliseconds, up to 3600000.",
		),
		{
			displayName: 'Retry Uncertain Failures',
			name: 'retryUncertain',
			type: 'boolean',
			default: false,
			description:
				'Whether to also retry timeouts, broken connections and server errors other than 503 when the operation changes something. Platformly may have made the change (fired the event, added the note) before such a failure, so a retry can make it twice. Reads are always retried.',
		},
		numberOption(
			'timeout',
			'Timeout',
			30000,
			"The most one request may take, from sending it to the last byte of Platformly's answer, in milliseconds, up to 600000",
		),
	],
};

/** The collection as the workflow stores it, each option set or left out. */
interface StoredOptions {
	concurrency: number;
	processConcurrency: number;
	maxRequestsPerSecond: number;
	maxRetries: number;
	maxRetryWait: number;
	retryUncertain: boolean;
	timeout: number;
}

const OPTION_PROPERTIES = optionsProperty.options as INodeProperties[];

/** The editor's defaults are the node's defaults: an option left out of the collection takes them. */
const DEFAULT_OPTIONS = Object.fromEntries(
	OPTION_PROPERTIES.map((option) => [option.name, option.default]),
) as unknown as StoredOptions;

/** For requests made outside a run, such as filling a dropdown in the editor. */
export const DEFAULT_TIMEOUT_MS = DEFAULT_OPTIONS.timeout;

/**
 * How one request outside a run of the node (the trigger's Fetch Contact) is sent: with the
 * node's defaults, one at a time, retried as any read is, and every wait bounded by `timeoutMs`,
 * which `waitLimitName` names in errors.
 */
export function singleRequestOptions(timeoutMs: number, waitLimitName: string): Options {
	return {
		concurrency: 1,
		processConcurrency: DEFAULT_OPTIONS.processConcurrency,
		maxRequestsPerSecond: 0,
		timeoutMs,
		retry: {
			maxRetries: DEFAULT_OPTIONS.maxRetries,
			maxTotalWaitMs: timeoutMs,
			retryUncertain: true,
			waitLimitName,
		},
	};
}

const displayNameOf = (name: keyof StoredOptions) =>
	OPTION_PROPERTIES.find((option) => option.name === name)!.displayName;

/** A number, or text that is one (expressions often give text); anything else is not. */
function asNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
	return Number.NaN;
}

function formatted(value: number): string {
	return value.toLocaleString('en-US');
}

/** `value` as a number within the option's range, or why not, worded for the option's error. */
export function checkNumberOption(
	value: unknown,
	name: NumberOption,
): { ok: true; value: number } | { ok: false; expected: string } {
	const { min, max, whole } = NUMBER_OPTION_RANGES[name];
	const number = asNumber(value);
	const inRange = Number.isFinite(number) && number >= min && number <= max;
	if (!inRange || (whole && !Number.isInteger(number))) {
		return {
			ok: false,
			expected: optionExpectations.number(whole, formatted(min), formatted(max)),
		};
	}
	return { ok: true, value: number };
}

export function readOptions(context: IExecuteFunctions): Options {
	const raw = context.getNodeParameter('options', 0, {});
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		throw optionsNotACollection(context.getNode(), raw);
	}
	const stored = raw as IDataObject;
	const invalid = (name: keyof StoredOptions, expected: string, value: unknown) =>
		optionError(context.getNode(), displayNameOf(name), expected, value);

	const readNumber = (name: NumberOption): number => {
		const value = name in stored ? stored[name] : DEFAULT_OPTIONS[name];
		const checked = checkNumberOption(value, name);
		if (!checked.ok) throw invalid(name, checked.expected, value);
		return checked.value;
	};

	const retryUncertainValue =
		'retryUncertain' in stored ? stored.retryUncertain : DEFAULT_OPTIONS.retryUncertain;
	const retryUncertain =
		retryUncertainValue === true || retryUncertainValue === 'true'
			? true
			: retryUncertainValue === false || retryUncertainValue === 'false'
				? false
				: undefined;
	if (retryUncertain === undefined) {
		throw invalid('retryUncertain', optionExpectations.boolean, retryUncertainValue);
	}

	return {
		concurrency: readNumber('concurrency'),
		processConcurrency: readNumber('processConcurrency'),
		maxRequestsPerSecond: readNumber('maxRequestsPerSecond'),
		timeoutMs: readNumber('timeout'),
		retry: {
			maxRetries: readNumber('maxRetries'),
			maxTotalWaitMs: readNumber('maxRetryWait'),
			waitLimitName: displayNameOf('maxRetryWait'),
			retryUncertain,
		},
	};
}
