import { PlatformlyApi } from '../../credentials/PlatformlyApi.credentials';
import { startSandbox, unreachableUrl } from '../../sandbox';
import { runCredentialTest } from '../helpers/credentialTest';
import { TEST_API_KEY, TEST_BASE_URL } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork } from '../helpers/platformlyMock';

const credential = new PlatformlyApi();

afterEach(resetNetwork);

const testWith = (baseUrl: string = TEST_BASE_URL, apiKey: string = TEST_API_KEY) =>
	runCredentialTest({ apiKey, baseUrl });

describe('Platformly API credential', () => {
	test('keeps the key in a required password field, defaults the Base URL, and keeps an optional Trigger Secret', () => {
		expect(
			credential.properties.map(({ name, type, required, typeOptions, default: value }) => ({
				name,
				type,
				required,
				typeOptions,
				value,
			})),
		).toEqual([
			{
				name: 'apiKey',
				type: 'string',
				required: true,
				typeOptions: { password: true },
				value: '',
			},
			{
				name: 'baseUrl',
				type: 'string',
				required: undefined,
				typeOptions: undefined,
				value: 'https://api.platform.ly',
			},
			{
				name: 'triggerSecret',
				type: 'string',
				required: undefined,
				typeOptions: { password: true },
				value: '',
			},
		]);
	});

	test("has no declarative test: n8n would prefer it to the node's, and it follows redirects", () => {
		expect('test' in credential).toBe(false);
	});
});

describe('the credential Test', () => {
	test.each([
		['too short', 'short'],
		['with a space', 'with space in it!!'],
		['with an ampersand', 'has&ampersand-and-more'],
	])('fails on a Trigger Secret %s, before anything is sent', async (_case, triggerSecret) => {
		const { requests } = mockPlatformly();

		await expect(
			runCredentialTest({ apiKey: TEST_API_KEY, baseUrl: TEST_BASE_URL, triggerSecret }),
		).resolves.toEqual({
			status: 'Error',
			message:
				'The Trigger Secret must be empty, or 16 to 256 letters, digits or the characters . _ ~ - (they pass through a URL as they are), e.g. 24 random letters and digits.',
		});
		expect(requests).toEqual([]);
	});

	test.each([
		['empty', ''],
		['usable', 'Ab0._~-Ab0._~-Ab0'],
	])('with a Trigger Secret %s, tests the key as ever', async (_case, triggerSecret) => {
		mockPlatformly(() => [200, { account_id: 4242 }]);

		await expect(
			runCredentialTest({ apiKey: TEST_API_KEY, baseUrl: TEST_BASE_URL, triggerSecret }),
		).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	test('asks for the profile, with the key in the form body, and passes on a profile', async () => {
		const { requests } = mockPlatformly(() => [
			200,
			{ account_id: 4242, email: 'owner@example.com' },
		]);

		await expect(testWith()).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });

		expect(requests).toHaveLength(1);
		expect(requests[0].contentType).toBe('application/x-www-form-urlencoded');
		expect(requests[0].rawBody).toBe(`action=profile&value=%7B%7D&api_key=${TEST_API_KEY}`);
	});

	test.each(['error', 'Error', 'ERROR'])(
		'fails when Platformly answers HTTP 200 with status: %s',
		async (status) => {
			mockPlatformly(() => [200, { status, message: 'Invalid API key' }]);

			await expect(testWith()).resolves.toEqual({
				status: 'Error',
				message:
					'Platformly rejected the API key: Invalid API key. Check that the key is copied whole and still active.',
			});
		},
	);

	test('fails on HTTP 401, naming the key', async () => {
		mockPlatformly(() => [401, 'no']);

		await expect(testWith()).resolves.toEqual({
			status: 'Error',
			message:
				'Platformly refused the API key (HTTP 401). Check the key, and any IP restriction set on it in Platformly.',
		});
	});

	test.each<[string, number, string | object, string]>([
		[
			'an HTML page',
			200,
			'<html><body>Welcome to nginx!</body></html>',
			"https://api.platformly.test is not a Platformly address: Platformly's answer is not JSON (HTTP 200). Check the Base URL (normally https://api.platform.ly).",
		],
		[
			'an empty body',
			200,
			'',
			"https://api.platformly.test is not a Platformly address: Platformly's answer is not JSON (HTTP 200). Check the Base URL (normally https://api.platform.ly).",
		],
		[
			'JSON that is not a profile',
			200,
			{ status: 'success' },
			`https://api.platformly.test is not a Platformly address: Platformly's answer to "profile" is not an account profile with an account_id. Check the Base URL (normally https://api.platform.ly).`,
		],
		[
			'a list',
			200,
			[{ account_id: 1 }],
			`https://api.platformly.test is not a Platformly address: Platformly's answer to "profile" is not an account profile with an account_id. Check the Base URL (normally https://api.platform.ly).`,
		],
		[
			'a 404',
			404,
			'Not Found',
			'https://api.platformly.test is not a Platformly address: Nothing answered at the Platformly Base URL (HTTP 404). Check the Base URL (normally https://api.platform.ly).',
		],
	])('fails on %s, saying the address is not Platformly', async (_case, status, body, message) => {
		mockPlatformly(() => [status, body]);

		await expect(testWith()).resolves.toEqual({ status: 'Error', message });
	});

	test('refuses a redirect and sends nothing to where it points', async () => {
		const [redirecting, elsewhere] = await Promise.all([startSandbox(), startSandbox()]);
		redirecting.setFaults({ queue: ['redirect'], redirectTo: `${elsewhere.url}/?token=secret` });
		try {
			await expect(testWith(redirecting.url, redirecting.apiKey)).resolves.toEqual({
				status: 'Error',
				message: `The Base URL answered with a redirect to ${new URL(elsewhere.url).host}, which was refused: the API key is never sent to another address. Enter the address that answers itself (normally https://api.platform.ly).`,
			});
			expect(redirecting.requests()).toEqual([
				expect.objectContaining({
					action: 'profile',
					apiKeyValid: true,
					outcome: 'fault:redirect',
				}),
			]);
			expect(elsewhere.requests()).toEqual([]);
		} finally {
			await Promise.all([redirecting.close(), elsewhere.close()]);
		}
	});

	test('fails with the address when nothing listens there', async () => {
		const unreachable = await unreachableUrl();

		await expect(testWith(unreachable)).resolves.toEqual({
			status: 'Error',
			message: `Could not connect to Platformly at ${unreachable}: connection refused. Check the Base URL, and that n8n can reach ${unreachable}.`,
		});
	});

	test('asks for the key when it is empty, without sending anything', async () => {
		const { requests } = mockPlatformly();

		await expect(testWith(TEST_BASE_URL, ' ')).resolves.toEqual({
			status: 'Error',
			message: 'Enter the API key: Platformly shows it under "API Docs & Keys".',
		});
		expect(requests).toEqual([]);
	});

	test.each<[string, string]>([
		[
			'http://user:s3cret-Pa55@127.0.0.1:9',
			'must not hold a user name or password (user:password@): the API key is all Platformly needs',
		],
		[
			'ftp://api.platform.ly',
			'must start with https:// (or http:// for a local test server), not ftp://',
		],
		['api key pasted here', 'is not a web address; enter one like https://api.platform.ly'],
	])(
		'refuses the Base URL %s without sending anything or repeating it',
		async (baseUrl, problem) => {
			const { requests } = mockPlatformly();

			const result = await testWith(baseUrl);

			expect(result).toEqual({ status: 'Error', message: `The Base URL ${problem}.` });
			expect(result.message).not.toContain('s3cret');
			expect(requests).toEqual([]);
		},
	);
});
