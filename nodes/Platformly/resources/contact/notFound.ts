import type { IDataObject } from 'n8n-workflow';

import type { PlatformlyFailure } from '../../errors';
import { missingContact } from '../../errors';
import type { ItemTask, PlatformlyCall } from '../../types';
import { oneCall } from '../requests';

/**
 * Platformly's answer when no contact matches, as public clients compare it (WP Fusion). The
 * node recognises it to offer "Create Contact If Missing" and a clearer "not found".
 */
const CONTACT_NOT_FOUND_MESSAGE = 'contact not found';

export function isContactNotFound(failure: PlatformlyFailure): boolean {
	return (
		failure.kind === 'platformly' &&
		failure.message.trim().toLowerCase() === CONTACT_NOT_FOUND_MESSAGE
	);
}

/** One call about one contact; a "Contact Not Found" answer names the contact in its description. */
export function aboutContact(call: PlatformlyCall, identity: IDataObject): ItemTask {
	const task = oneCall(call);
	return async (send) => {
		const outcome = await task(send);
		if (outcome.ok || !isContactNotFound(outcome.failure)) return outcome;
		return { ok: false, failure: missingContact(outcome.failure, identity) };
	};
}
