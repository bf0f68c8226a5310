import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { credentialTestMessage, credentialTestResults } from '../errors';
import { PLATFORMLY_ACTIONS } from '../transport/actions';
import { createCredentialTestClient } from '../transport/client';
import {
	BASE_URL_FIELD_NAME,
	TRIGGER_SECRET_FIELD,
	TRIGGER_SECRET_FIELD_NAME,
} from '../transport/credential';
import { isUsableSecret } from '../trigger/secret';
import type { Answer } from '../types';

/** Long enough for a slow network, short enough that the credential form does not seem stuck. */
const CREDENTIAL_TEST_TIMEOUT_MS = 15_000;

/**
 * A profile as Platformly's clients recognise one: Fluent Forms counts a key as valid only when
 * the profile answer holds `account_id`. An HTML page, an empty body or any other JSON does not.
 */
function isProfile(answer: Answer): boolean {
	return !Array.isArray(answer) && answer.account_id !== undefined && answer.account_id !== null;
}

/**
 * The credential's Test, run by the node's own transport rather than n8n's declarative test, so
 * that the Test and the node can never disagree: it refuses redirects, reads Platformly's
 * `status` in any case, and passes only on a real profile. A Trigger Secret the trigger could not
 * use fails it before anything is sent.
 */
export const credentialTest = {
	async platformlyApiTest(
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const data = credential.data ?? {};
		if (typeof data.apiKey !== 'string' || data.apiKey.trim() === '') {
			return { status: 'Error', message: credentialTestResults.noApiKey };
		}
		const triggerSecret = data[TRIGGER_SECRET_FIELD];
		if (triggerSecret !== undefined && triggerSecret !== '' && !isUsableSecret(triggerSecret)) {
			return {
				status: 'Error',
				message: credentialTestResults.unusableTriggerSecret(TRIGGER_SECRET_FIELD_NAME),
			};
		}
		const created = createCredentialTestClient(this, data, CREDENTIAL_TEST_TIMEOUT_MS);
		if (!created.ok) {
			return {
				status: 'Error',
				message: credentialTestResults.badBaseUrl(BASE_URL_FIELD_NAME, created.problem),
			};
		}
		const { client, address } = created;
		const outcome = await client.send({ action: PLATFORMLY_ACTIONS.profile, value: {} });
		if (!outcome.ok)
			return { status: 'Error', message: credentialTestMessage(outcome.failure, address.shown) };
		if (!isProfile(outcome.value)) {
			return {
				status: 'Error',
				message: credentialTestMessage(credentialTestResults.notAProfile(), address.shown),
			};
		}
		return { status: 'OK', message: 'Connection successful!' };
	},
};
