import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { fetchContactProblems } from '../errors';
import { DEFAULT_TIMEOUT_MS } from '../options';
import { PLATFORMLY_ACTIONS } from '../transport/actions';
import { createPlatformlyClient } from '../transport/client';

/**
 * Fetch Contact: the contact the post names, read from Platformly by its ID, else by its email,
 * as `contact`. When Platformly does not know the contact, or cannot be asked, the item still
 * goes out, with `contact: null` and the reason in `contact_error`: a post is never lost.
 */
export async function withFetchedContact(
	context: IWebhookFunctions,
	item: IDataObject,
): Promise<IDataObject> {
	const identity =
		item.contact_id !== null
			? { contact_id: item.contact_id }
			: item.email !== undefined
				? { email: item.email }
				: undefined;
	if (!identity) return { ...item, contact: null, contact_error: fetchContactProblems.noContact };
	try {
		const client = await createPlatformlyClient(context, DEFAULT_TIMEOUT_MS);
		const outcome = await client.send({ action: PLATFORMLY_ACTIONS.fetchContact, value: identity });
		if (outcome.ok) return { ...item, contact: outcome.value };
		return { ...item, contact: null, contact_error: outcome.failure.message };
	} catch (error) {
		// The credential's Base URL was refused before anything was sent.
		return { ...item, contact: null, contact_error: (error as Error).message };
	}
}
