import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { fetchContactProblems, optionError } from '../errors';
import {
	checkNumberOption,
	DEFAULT_TIMEOUT_MS,
	NUMBER_OPTION_RANGES,
	singleRequestOptions,
} from '../options';
import { PLATFORMLY_ACTIONS } from '../transport/actions';
import { PLATFORMLY_CREDENTIAL_TYPE } from '../transport/credential';
import type { Sender } from '../transport/sender';
import { createSender } from '../transport/sender';

const FETCH_TIMEOUT = { name: 'fetchTimeout', displayName: 'Fetch Contact Timeout' } as const;

export const fetchTimeoutProperty: INodeProperties = {
	displayName: FETCH_TIMEOUT.displayName,
	name: FETCH_TIMEOUT.name,
	type: 'number',
	typeOptions: {
		minValue: NUMBER_OPTION_RANGES.timeout.min,
		maxValue: NUMBER_OPTION_RANGES.timeout.max,
		numberPrecision: 0,
	},
	default: DEFAULT_TIMEOUT_MS,
	description:
		'The most Fetch Contact may take for a post, in milliseconds, up to 600000: waiting out a pause Platformly asked for, retries and the answer itself. Past it the item goes on with contact: null and the reason in contact_error.',
	displayOptions: { show: { fetchContact: [true] } },
};

function readFetchTimeout(context: IExecuteFunctions): number {
	const value = context.getNodeParameter(FETCH_TIMEOUT.name, 0, DEFAULT_TIMEOUT_MS);
	const checked = checkNumberOption(value, 'timeout');
	if (!checked.ok) {
		throw optionError(
			context.getNode(),
			FETCH_TIMEOUT.displayName,
			checked.expected,
			value,
			"the trigger's settings",
		);
	}
	return checked.value;
}

/** The contact a post names: by its ID, else by its email; undefined when it names none. */
function identityOf(item: IDataObject): IDataObject | undefined {
	if (typeof item.contact_id === 'number') return { contact_id: item.contact_id };
	if (typeof item.email === 'string' && item.email !== '') return { email: item.email };
	return undefined;
}

const withoutContact = (item: IDataObject, why: string): IDataObject => ({
	...item,
	contact: null,
	contact_error: why,
});

async function fetchOne(sender: Sender, item: IDataObject, timeoutMs: number) {
	const identity = identityOf(item);
	if (!identity) return withoutContact(item, fetchContactProblems.noContact);
	const send = sender.forItem(Date.now() + timeoutMs);
	const outcome = await send({ action: PLATFORMLY_ACTIONS.fetchContact, value: identity });
	return outcome.ok
		? { ...item, contact: outcome.value }
		: withoutContact(item, outcome.failure.message);
}

/**
 * Fetch Contact, in the execution a post started: each item's contact, read from Platformly as
 * `contact`. The read takes its turn at the account's gate like any request of the node (its
 * pauses, Concurrency per Process) and is retried as reads are, all within Fetch Contact Timeout.
 * When Platformly does not know the contact, or cannot be asked in time, the item still goes on,
 * with `contact: null` and the reason in `contact_error`: a post is never lost.
 */
export async function withFetchedContacts(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const timeoutMs = readFetchTimeout(context);
	const unfetched = (why: string) =>
		items.map(({ json }, item) => ({ json: withoutContact(json, why), pairedItem: { item } }));
	if (!context.getNode().credentials?.[PLATFORMLY_CREDENTIAL_TYPE]) {
		return unfetched(fetchContactProblems.noCredential);
	}
	const signal = context.getExecutionCancelSignal();
	let sender: Sender;
	try {
		sender = await createSender(
			context,
			singleRequestOptions(timeoutMs, FETCH_TIMEOUT.displayName),
			() => Boolean(signal?.aborted),
		);
	} catch (error) {
		// The credential's Base URL was refused, or n8n could not read the credential, before
		// anything was sent.
		return unfetched((error as Error).message);
	}
	try {
		const fetched: INodeExecutionData[] = [];
		for (const [item, { json }] of items.entries()) {
			fetched.push({ json: await fetchOne(sender, json, timeoutMs), pairedItem: { item } });
		}
		return fetched;
	} finally {
		sender.close();
	}
}
