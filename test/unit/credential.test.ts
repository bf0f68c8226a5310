import type { ICredentialTestRequest, IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { PlatformlyApi } from '../../credentials/PlatformlyApi.credentials';
import { createExecuteContext, TEST_API_KEY, TEST_BASE_URL } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork } from '../helpers/platformlyMock';

const credential = new PlatformlyApi();

afterEach(resetNetwork);

/**
 * What n8n's credential tester does with the test request: resolve it against the stored
 * credential, send it with the credential's authentication, then fail on the first
 * `responseSuccessBody` rule whose key holds the forbidden value.
 */
async function runCredentialTest(): Promise<{ status: 'OK' } | { status: 'Error'; message: string }> {
	const { context, workflow } = createExecuteContext({ parameters: {} });
	const { request, rules } = credential.test as ICredentialTestRequest;
	const url = workflow.expression.getSimpleParameterValue(
		context.getNode(),
		request.url,
		'internal',
		{ $credentials: { apiKey: TEST_API_KEY, baseUrl: TEST_BASE_URL } },
	) as string;
	const response = (await context.helpers.httpRequestWithAuthentication.call(context, credential.name, {
		...request,
		url,
		returnFullResponse: true,
	} as IHttpRequestOptions)) as IN8nHttpFullResponse;
	const body = (typeof response.body === 'string' ? JSON.parse(response.body) : response.body) as IDataObject;
	for (const rule of rules ?? []) {
		if (rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK' };
}

describe('Platformly API credential', () => {
	test('keeps the key in a required password field and defaults the Base URL', () => {
		expect(credential.properties.map(({ name, type, required, typeOptions, default: value }) => ({ name, type, required, typeOptions, value }))).toEqual([
			{ name: 'apiKey', type: 'string', required: true, typeOptions: { password: true }, value: '' },
			{ name: 'baseUrl', type: 'string', required: undefined, typeOptions: undefined, value: 'https://api.platform.ly' },
		]);
	});

	test("its test asks for the profile, with the key in the form body", async () => {
		const { requests } = mockPlatformly(() => [200, { account_id: 4242, email: 'owner@example.com' }]);

		await expect(runCredentialTest()).resolves.toEqual({ status: 'OK' });

		expect(requests).toHaveLength(1);
		expect(requests[0].contentType).toBe('application/x-www-form-urlencoded');
		expect(requests[0].rawBody).toBe(`action=profile&value=%7B%7D&api_key=${TEST_API_KEY}`);
	});

	test('its test fails when Platformly answers HTTP 200 with status: error', async () => {
		mockPlatformly(() => [200, { status: 'error', message: 'Invalid API key' }]);

		await expect(runCredentialTest()).resolves.toEqual({
			status: 'Error',
			message: 'Platformly rejected the API key. Check that it is copied whole and still active.',
		});
	});
});
