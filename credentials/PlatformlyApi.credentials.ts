import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	PLATFORMLY_CREDENTIAL_TYPE,
	PLATFORMLY_DEFAULT_BASE_URL,
	TRIGGER_SECRET_FIELD,
	TRIGGER_SECRET_FIELD_NAME,
	withApiKey,
} from '../nodes/Platformly/transport/credential';

/**
 * One Platformly account: its API key, where to reach it, and, for the Platformly Trigger, the
 * secret that account's automations put in the trigger's URL. Both nodes take this one credential.
 *
 * The credential's Test is the node's `platformlyApiTest` (named in the node's `testedBy`): n8n's
 * declarative test follows redirects and can only compare one body field with one value.
 */
export class PlatformlyApi implements ICredentialType {
	name = PLATFORMLY_CREDENTIAL_TYPE;

	displayName = 'Platformly API';

	icon: Icon = {
		light: 'file:../nodes/Platformly/platformly.svg',
		dark: 'file:../nodes/Platformly/platformly.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-platformly#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'In Platformly, open the profile menu, then "API Docs & Keys", and create or copy a key',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: PLATFORMLY_DEFAULT_BASE_URL,
			description: 'Change only to go through a proxy or to a local test server',
		},
		{
			displayName: TRIGGER_SECRET_FIELD_NAME,
			name: TRIGGER_SECRET_FIELD,
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Platformly Trigger: a secret of your own, 16 to 256 letters, digits or . _ ~ -. Add ?secret=<it> to the trigger URL you paste into Platformly; posts without it are refused. Empty, any post is let in.',
		},
	];

	/**
	 * Platformly reads the key from the form body, not from a header. A function rather than the
	 * generic `{{$credentials.apiKey}}` form: n8n evaluates that expression anew for every request,
	 * which cost more per item than all the rest of the node's own work (measured in n8n 2.40).
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const body = (requestOptions.body ?? {}) as IDataObject;
		return { ...requestOptions, body: withApiKey(body, credentials.apiKey) };
	}
}
