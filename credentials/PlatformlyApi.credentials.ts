import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	PLATFORMLY_ACTIONS,
	PLATFORMLY_CREDENTIAL_TYPE,
	PLATFORMLY_DEFAULT_BASE_URL,
} from '../nodes/Platformly/shared/actions';

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
		return { ...requestOptions, body: { ...body, api_key: credentials.apiKey } };
	}

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.baseUrl}}',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: { action: PLATFORMLY_ACTIONS.profile, value: '{}' },
		},
		rules: [
			{
				// Platformly answers a bad key with HTTP 200 and {"status": "error"}.
				type: 'responseSuccessBody',
				properties: {
					key: 'status',
					value: 'error',
					message: 'Platformly rejected the API key. Check that it is copied whole and still active.',
				},
			},
		],
	};
}
