import type { AddressInfo, Socket } from 'node:net';
import { createServer } from 'node:net';

import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { unreachableUrl } from '../../sandbox';
import { MAX_ANSWER_BYTES, MAX_ANSWER_DEPTH } from '../../nodes/Platformly/transport/client';
import { runPlatformly, TEST_API_KEY } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork, SUCCESS_ANSWER } from '../helpers/platformlyMock';

const fireForAnn: INodeParameters = {
	resource: 'contact',
	operation: 'fireEvent',
	email: 'ann@example.com',
	eventId: 101,
};

afterEach(resetNetwork);

/** Everything n8n keeps of an error: what it shows, stores and logs. */
function everythingIn(error: NodeApiError): string {
	return [
		error.message,
		error.description,
		error.stack,
		JSON.stringify(error),
		JSON.stringify(error.cause),
	].join('\n');
}

async function failureOf(
	parameters: INodeParameters,
	credentials?: { apiKey: string; baseUrl: string },
) {
	const error = await runPlatformly({ parameters, credentials }).then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	const apiError = error as NodeApiError;
	expect(everythingIn(apiError)).not.toContain(TEST_API_KEY);
	return apiError;
}

describe('Platformly reports an error with HTTP 200', () => {
	test("fails the item with Platformly's own message", async () => {
		mockPlatformly(() => [200, { status: 'error', message: 'Event Not Found' }]);

		const error = await failureOf(fireForAnn);

		expect(error.message).toBe('Event Not Found');
		expect(error.description).toBe(
			'Platformly answered {"status": "error"} to the "contact_event_fire" request.',
		);
		expect(error.context.itemIndex).toBe(0);
	});

	test('names the contact that Platformly did not find', async () => {
		mockPlatformly(() => [200, { status: 'error', message: 'Contact Not Found' }]);

		const error = await failureOf(fireForAnn);

		expect(error.message).toBe('Contact Not Found: email "ann@example.com"');
		expect(error.description).toBe('Platformly has no contact with email "ann@example.com".');
	});

	test('names a contact given by ID and email by both', async () => {
		mockPlatformly(() => [200, { status: 'error', message: 'Contact Not Found' }]);

		const error = await failureOf({ ...fireForAnn, contactId: '12' });

		expect(error.message).toBe('Contact Not Found: contact ID 12 and email "ann@example.com"');
	});

	test.each(['Error', 'ERROR', ' error '])('reads status %p as an error too', async (status) => {
		mockPlatformly(() => [200, { status, message: 'Event Not Found' }]);

		const error = await failureOf(fireForAnn);

		expect(error.message).toBe('Event Not Found');
	});

	test('still fails when the error has no message', async () => {
		mockPlatformly(() => [200, { status: 'error' }]);

		expect((await failureOf(fireForAnn)).message).toBe(
			'Platformly reported an error without a message',
		);
	});

	test('one at a time, stops at the failing item: later items are not sent', async () => {
		const { requests } = mockPlatformly((request) =>
			(request.value as { email: string }).email === 'nobody@example.com'
				? [200, { status: 'error', message: 'Contact Not Found' }]
				: [200, SUCCESS_ANSWER],
		);

		const run = runPlatformly({
			items: [
				{ email: 'ann@example.com' },
				{ email: 'nobody@example.com' },
				{ email: 'cara@example.com' },
			],
			parameters: { ...fireForAnn, email: '={{ $json.email }}', options: { concurrency: 1 } },
		});

		await expect(run).rejects.toThrow('Contact Not Found');
		await run.catch((error: NodeApiError) => expect(error.context.itemIndex).toBe(1));
		expect(requests.map((request) => (request.value as { email: string }).email)).toEqual([
			'ann@example.com',
			'nobody@example.com',
		]);
	});

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'with %s, the failing item becomes { error } and the rest are processed',
		async (onError) => {
			const { requests } = mockPlatformly((request) =>
				(request.value as { email: string }).email === 'nobody@example.com'
					? [200, { status: 'error', message: 'Contact Not Found' }]
					: [200, SUCCESS_ANSWER],
			);

			const output = await runPlatformly({
				onError,
				items: [
					{ email: 'ann@example.com' },
					{ email: 'nobody@example.com' },
					{ email: 'cara@example.com' },
				],
				parameters: { ...fireForAnn, email: '={{ $json.email }}' },
			});

			expect(requests).toHaveLength(3);
			expect(output.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual([
				{ json: SUCCESS_ANSWER, pairedItem: { item: 0 } },
				{
					json: { error: 'Contact Not Found: email "nobody@example.com"' },
					pairedItem: { item: 1 },
				},
				{ json: SUCCESS_ANSWER, pairedItem: { item: 2 } },
			]);
			expect(output[1].error).toBeInstanceOf(NodeApiError);
			expect(JSON.stringify(output)).not.toContain(TEST_API_KEY);
		},
	);
});

describe('HTTP failures', () => {
	test.each<[string, number, string, string, Record<string, string>]>([
		[
			'429',
			429,
			'Platformly is limiting the request rate (HTTP 429)',
			'Platformly asked to slow down. Send fewer requests at once, or try again later.',
			{ 'Retry-After': '2' },
		],
		[
			'503',
			503,
			'Platformly is temporarily unavailable (HTTP 503)',
			'Platformly could not take the request. Try again in a moment.',
			{},
		],
		[
			'500',
			500,
			'Platformly had a server error (HTTP 500)',
			'The request reached Platformly but failed there; it may or may not have been processed. Check in Platformly before sending it again.',
			{},
		],
		[
			'403',
			403,
			'Platformly refused the request (HTTP 403)',
			'Check the API key in the Platformly credential, and any IP restriction set on that key in Platformly.',
			{},
		],
		[
			'404',
			404,
			'Nothing answered at the Platformly Base URL (HTTP 404)',
			'Check the Base URL in the Platformly credential (normally https://api.platform.ly).',
			{},
		],
		[
			'301',
			301,
			'Platformly answered with a redirect (HTTP 301)',
			'The node does not follow redirects, so the API key in the request never goes to another address. ' +
				'It points to elsewhere.example. Check the Base URL in the Platformly credential (normally https://api.platform.ly).',
			// Only the host is shown: a Location can carry a user name, a password or a token.
			{ Location: 'https://admin:hunter2@elsewhere.example/api?token=abc' },
		],
		[
			'418',
			418,
			'Platformly answered with HTTP 418',
			'Check the Base URL in the Platformly credential (normally https://api.platform.ly).',
			{},
		],
	])('HTTP %s', async (_status, status, message, description, headers) => {
		mockPlatformly(() => [status, { status: 'error', message: 'ignored' }, headers]);

		const error = await failureOf({ ...fireForAnn, options: { maxRetries: 0 } });

		expect(error.message).toBe(message);
		expect(error.description).toBe(description);
		expect(error.httpCode).toBe(String(status));
	});

	test('a body that is not JSON, such as a proxy error page', async () => {
		mockPlatformly(() => [
			200,
			'<html>\n<body>502 Bad Gateway</body>\n</html>',
			{ 'Content-Type': 'text/html' },
		]);

		const error = await failureOf(fireForAnn);

		expect(error.message).toBe("Platformly's answer is not JSON (HTTP 200)");
		expect(error.description).toBe(
			'The answer began with: <html> <body>502 Bad Gateway</body> </html>. A proxy or firewall may be answering ' +
				'instead of Platformly. Check the Base URL in the Platformly credential (normally https://api.platform.ly).',
		);
	});

	test('a long body is cut after 120 characters, saying how long it was', async () => {
		mockPlatformly(() => [200, `<p>${'x'.repeat(200)}</p>`]);

		expect((await failureOf(fireForAnn)).description).toBe(
			`The answer began with: <p>${'x'.repeat(117)}… (cut: 207 characters in all). A proxy or firewall may be answering instead of Platformly. ` +
				'Check the Base URL in the Platformly credential (normally https://api.platform.ly).',
		);
	});

	test('an empty body', async () => {
		mockPlatformly(() => [200, '']);

		expect((await failureOf(fireForAnn)).description).toMatch(
			/^The answer began with: \(an empty body\)\./,
		);
	});

	test('no answer within the timeout', async () => {
		const sockets = new Set<Socket>();
		const silentServer = createServer((socket) => sockets.add(socket));
		await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
		const baseUrl = `http://127.0.0.1:${(silentServer.address() as AddressInfo).port}`;

		try {
			const error = await failureOf(
				{ ...fireForAnn, options: { timeout: 100 } },
				{ apiKey: TEST_API_KEY, baseUrl },
			);

			expect(error.message).toBe('Platformly sent no complete answer within the timeout of 0.1 s');
			expect(error.description).toBe(
				'The request was sent. Platformly may already have made the change (fired the event, added the note): ' +
					'check there before sending it again. Raise the Timeout option if Platformly is slow.',
			);
		} finally {
			sockets.forEach((socket) => socket.destroy());
			await new Promise((resolve) => silentServer.close(resolve));
		}
	});

	test('a refused connection', async () => {
		const baseUrl = await unreachableUrl();

		const error = await failureOf(
			{ ...fireForAnn, options: { maxRetries: 0 } },
			{ apiKey: TEST_API_KEY, baseUrl },
		);

		expect(error.message).toBe(`Could not connect to Platformly at ${baseUrl}: connection refused`);
		expect(error.description).toBe(
			'Nothing accepted the connection. Check the Base URL in the Platformly credential (normally https://api.platform.ly).',
		);
	});

	test('with continue-on-fail, an HTTP failure becomes an error item', async () => {
		mockPlatformly((_request, index) => (index === 0 ? [500, 'broken'] : [200, SUCCESS_ANSWER]));

		const output = await runPlatformly({
			onError: 'continueRegularOutput',
			items: [{}, {}],
			parameters: { ...fireForAnn, options: { concurrency: 1 } },
		});

		expect(output.map(({ json, pairedItem }) => ({ json, pairedItem }))).toEqual([
			{ json: { error: 'Platformly had a server error (HTTP 500)' }, pairedItem: { item: 0 } },
			{ json: SUCCESS_ANSWER, pairedItem: { item: 1 } },
		]);
	});
});

describe('answers no Platformly gives', () => {
	test(`an answer nested more than ${MAX_ANSWER_DEPTH} levels deep fails the item instead of breaking n8n`, async () => {
		const depth = 100_000;
		mockPlatformly(() => [200, `${'['.repeat(depth)}${']'.repeat(depth)}`]);

		const error = await failureOf(fireForAnn);

		expect(error.message).toBe(
			'Platformly\'s answer to "contact_event_fire" is nested more than 64 levels deep',
		);
	});

	test(`an answer larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB is not read to its end`, async () => {
		mockPlatformly(() => [200, `{"message": "${'x'.repeat(MAX_ANSWER_BYTES)}"}`]);

		const error = await failureOf(fireForAnn);

		expect(error.message).toBe("Platformly's answer is larger than 16 MB");
		expect(error.description).toBe(
			'The node stopped reading it. Platformly may already have made the change (fired the event, added the note): ' +
				'check there before sending it again. Check the Base URL in the Platformly credential (normally https://api.platform.ly).',
		);
	});
});

describe('the Base URL', () => {
	test.each<[string, string]>([
		[
			'http://admin:s3cret-Pa55@127.0.0.1:9',
			'The Base URL in the Platformly credential must not hold a user name or password (user:password@): the API key is all Platformly needs',
		],
		[
			'file:///etc/passwd',
			'The Base URL in the Platformly credential must start with https:// (or http:// for a local test server), not file://',
		],
		[
			'not a url s3cret-Pa55',
			'The Base URL in the Platformly credential is not a web address; enter one like https://api.platform.ly',
		],
	])(
		'%s stops the run before anything is sent, without repeating what it holds',
		async (baseUrl, message) => {
			const { requests } = mockPlatformly();

			const error = await runPlatformly({
				parameters: fireForAnn,
				credentials: { apiKey: TEST_API_KEY, baseUrl },
			}).then(
				() => undefined,
				(thrown: unknown) => thrown as NodeOperationError,
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error!.message).toBe(message);
			expect(error!.description).toBe(
				'Open the Platformly credential and correct its Base URL. Nothing was sent.',
			);
			expect(JSON.stringify(error) + error!.stack).not.toContain('s3cret');
			expect(requests).toEqual([]);
		},
	);

	test('a query string in it is never shown in a message', async () => {
		const unreachable = await unreachableUrl();

		const error = await failureOf(
			{ ...fireForAnn, options: { maxRetries: 0 } },
			{ apiKey: TEST_API_KEY, baseUrl: `${unreachable}/proxy?token=s3cret` },
		);

		expect(error.message).toBe(
			`Could not connect to Platformly at ${unreachable}/proxy?…: connection refused`,
		);
		expect(everythingIn(error)).not.toContain('s3cret');
	});
});
