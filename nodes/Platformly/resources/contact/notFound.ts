import type { IDataObject } from 'n8n-workflow';

import { missingContact } from '../../errors';
import { isContactNotFound } from '../../transport/failures';
import type { ItemTask, PlatformlyCall } from '../../types';
import { oneCall } from '../requests';

/** One call about one contact; a "Contact Not Found" answer names the contact in its description. */
export function aboutContact(call: PlatformlyCall, identity: IDataObject): ItemTask {
	const task = oneCall(call);
	return async (send) => {
		const outcome = await task(send);
		if (outcome.ok || !isContactNotFound(outcome.failure)) return outcome;
		return { ok: false, failure: missingContact(outcome.failure, identity) };
	};
}
