import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CONTACT_NOT_FOUND_MESSAGE } from '../../shared/actions';
import { singleCall } from '../../shared/calls';
import type { PlatformlyFailure } from '../../shared/failures';
import type { PlatformlyRequest } from '../../shared/transport';
import type { ItemCalls, PrepareItem } from '../types';
import { readContactIdentity } from './identity';

export function isContactNotFound(failure: PlatformlyFailure): boolean {
	return failure.kind === 'platformly' && failure.message.trim().toLowerCase() === CONTACT_NOT_FOUND_MESSAGE.toLowerCase();
}

/** Says which contact was looked for, which Platformly's bare "Contact Not Found" does not. */
function describeMissingContact(identity: IDataObject): string {
	const looked = [
		identity.contact_id === undefined ? '' : `contact ID ${identity.contact_id}`,
		identity.email === undefined ? '' : `email ${JSON.stringify(identity.email)}`,
	].filter(Boolean);
	return `Platformly has no contact with ${looked.join(' and ')}.`;
}

/** One request about one contact; a "Contact Not Found" answer names the contact in its description. */
export function contactCall(request: PlatformlyRequest, identity: IDataObject): ItemCalls {
	const call = singleCall(request);
	return async (send) => {
		const outcome = await call(send);
		if (outcome.ok || !isContactNotFound(outcome.failure)) return outcome;
		return { ok: false, failure: { ...outcome.failure, description: describeMissingContact(identity) } };
	};
}

/** An operation that needs nothing but the contact: Get, Remove All Tags, Remove From All Segments. */
export function contactOnlyOperation(action: string): PrepareItem {
	return (context: IExecuteFunctions, itemIndex: number) => {
		const identity = readContactIdentity(context, itemIndex);
		return contactCall({ action, value: identity }, identity);
	};
}
