import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { runPlatformly, TEST_API_KEY } from '../helpers/n8nRuntime';
import { SUCCESS_ANSWER } from '../helpers/platformlyMock';
import type { Answer } from '../helpers/scriptedServer';
import { startScriptedServer } from '../helpers/scriptedServer';

const contacts = (count: number) => Array.from({ length: count }, (_, n) => ({ email: `bulk-${n + 1}@example.com` }));

const fireForEachEmail = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'contact',
	operation: 'fireEvent',
	email: '={{ $json.email }}',
	eventId: 101,
	options,
});

const ok = (delayMs = 0): Answer => ({ status: 200, body: SUCCESS_ANSWER, delayMs });

let server: Awaited<ReturnType<typeof startScriptedServer>> | undefined;

async function serve(answer: Parameters<typeof startScriptedServer>[0], port?: number) {
	server = await startScriptedServer(answer, port);
	return { server, credentials: { apiKey: TEST_API_KEY, baseUrl: server.baseUrl } };
}

afterEach(async () => {
	await server?.close();
	server = undefined;
});

const emailsServed = () => server!.requests.map((request) => request.value.email);

describe('concurrency', () => {
	test('by default keeps 10 requests in flight, and the output keeps input order and pairing', async () => {
		// Later items answer sooner, so answers arrive out of order.
		const { credentials } = await serve((request) => ok(200 - 2 * Number(/\d+/.exec(request.value.email!)![0])));

		const output = await runPlatformly({ items: contacts(40), parameters: fireForEachEmail(), credentials });

		expect(server!.maxInFlight()).toBe(10);
		expect(output).toEqual(contacts(40).map((_, item) => ({ json: SUCCESS_ANSWER, pairedItem: { item } })));
		expect([...emailsServed()].sort()).toEqual(contacts(40).map(({ email }) => email).sort());
	});

	test('at 1, sends strictly one at a time, in input order', async () => {
		const { credentials } = await serve(() => ok(5));

		await runPlatformly({ items: contacts(8), parameters: fireForEachEmail({ concurrency: 1 }), credentials });

		expect(server!.maxInFlight()).toBe(1);
		expect(emailsServed()).toEqual(contacts(8).map(({ email }) => email));
	});

	test('a failure stops new requests; those already in flight finish', async () => {
		const { credentials } = await serve((request) =>
			request.value.email === 'bulk-3@example.com'
				? { status: 200, body: { status: 'error', message: 'Contact Not Found' } }
				: ok(20),
		);

		const run = runPlatformly({ items: contacts(50), parameters: fireForEachEmail({ concurrency: 4 }), credentials });

		await expect(run).rejects.toThrow('Contact Not Found');
		expect(server!.requests.length).toBeLessThanOrEqual(8);
	});
});

describe('maxRequestsPerSecond', () => {
	test('spaces the starts of requests', async () => {
		const { credentials } = await serve(() => ok());

		await runPlatformly({ items: contacts(6), parameters: fireForEachEmail({ maxRequestsPerSecond: 20 }), credentials });

		// Starts are scheduled 50 ms apart (the exact spacing is tested on a fake clock in
		// scheduler.test.ts). Here they are seen on arrival at the server, where a busy test machine
		// can delay one request and shorten the next gap; the span of all six is what the rate limit
		// guarantees: 250 ms scheduled, against a few milliseconds without a limit.
		const starts = server!.requests.map((request) => request.startedAt);
		expect(starts).toHaveLength(6);
		expect(starts[5] - starts[0]).toBeGreaterThanOrEqual(200);
	});
});

describe('retries', () => {
	test('a 429 pauses every request for its Retry-After, then the item is sent again and succeeds once', async () => {
		const { credentials } = await serve((_request, index) =>
			index === 0 ? { status: 429, body: { status: 'error' }, headers: { 'Retry-After': '1' } } : ok(),
		);

		const output = await runPlatformly({ items: contacts(5), parameters: fireForEachEmail({ concurrency: 1 }), credentials });

		const [limited, ...rest] = server!.requests;
		expect(rest.map((request) => request.startedAt - limited.startedAt).every((gap) => gap >= 1_000)).toBe(true);
		expect(emailsServed()).toEqual(['bulk-1@example.com', ...contacts(5).map(({ email }) => email)]);
		expect(output).toHaveLength(5);
		expect(output.every(({ json }) => json.status === 'success')).toBe(true);
	});

	test('503s are retried until the item succeeds', async () => {
		const { credentials } = await serve((_request, index) => (index < 2 ? { status: 503, body: 'busy' } : ok()));

		const output = await runPlatformly({ items: contacts(1), parameters: fireForEachEmail(), credentials });

		expect(server!.requests).toHaveLength(3);
		expect(output).toEqual([{ json: SUCCESS_ANSWER, pairedItem: { item: 0 } }]);
	});

	test('a refused connection is retried until something listens', async () => {
		const { credentials } = await serve(() => ok());
		const { port } = new URL(server!.baseUrl);
		await server!.close();
		const listenLater = new Promise<void>((resolve) =>
			setTimeout(() => void serve(() => ok(), Number(port)).then(() => resolve()), 300),
		);

		const output = await runPlatformly({ items: contacts(1), parameters: fireForEachEmail(), credentials });

		await listenLater;
		expect(output).toEqual([{ json: SUCCESS_ANSWER, pairedItem: { item: 0 } }]);
		expect(server!.requests).toHaveLength(1);
	});

	test('a 500 is not retried by default, because the event may have fired', async () => {
		const { credentials } = await serve(() => ({ status: 500, body: 'oops' }));

		await expect(runPlatformly({ items: contacts(1), parameters: fireForEachEmail(), credentials })).rejects.toThrow(
			'Platformly had a server error (HTTP 500)',
		);
		expect(server!.requests).toHaveLength(1);
	});

	test('a 500 is retried when the user allows retrying uncertain failures', async () => {
		const { credentials } = await serve((_request, index) => (index === 0 ? { status: 500, body: 'oops' } : ok()));

		await runPlatformly({ items: contacts(1), parameters: fireForEachEmail({ retryUncertain: true }), credentials });

		expect(server!.requests).toHaveLength(2);
	});

	test('an item waiting to retry sends nothing more once another item has stopped the run', async () => {
		const { credentials } = await serve((request) =>
			request.value.email === 'bulk-1@example.com'
				? { status: 429, body: 'slow down', headers: { 'Retry-After': '1' } }
				: { status: 200, body: { status: 'error', message: 'Contact Not Found' }, delayMs: 50 },
		);

		const run = runPlatformly({ items: contacts(4), parameters: fireForEachEmail({ concurrency: 2 }), credentials });

		await expect(run).rejects.toThrow('Contact Not Found');
		expect(emailsServed()).toEqual(['bulk-1@example.com', 'bulk-2@example.com']);
	});

	test('gives up after maxRetries and says how often it tried', async () => {
		const { credentials } = await serve(() => ({ status: 503, body: 'busy' }));

		const error = await runPlatformly({
			items: contacts(1),
			parameters: fireForEachEmail({ maxRetries: 2 }),
			credentials,
		}).catch((thrown: NodeApiError) => thrown);

		expect(server!.requests).toHaveLength(3);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe('Platformly is temporarily unavailable (HTTP 503)');
		expect((error as NodeApiError).description).toMatch(
			/^Platformly could not take the request\. Try again in a moment\. Tried 3 times, waiting \d+\.\d s in all\.$/,
		);
	});
});

describe('Max Retry Wait', () => {
	test("counts the pauses other items' 429s impose, holds as a limit, and reports the true total", async () => {
		// bulk-1 meets 503s (its own backoff is a few hundred ms); bulk-2 meets 429s that pause everyone for 1 s.
		const { credentials } = await serve((request) =>
			request.value.email === 'bulk-1@example.com'
				? { status: 503, body: 'busy' }
				: { status: 429, body: 'slow down', headers: { 'Retry-After': '1' } },
		);

		const output = await runPlatformly({
			items: contacts(2),
			parameters: fireForEachEmail({ concurrency: 2, maxRetries: 20, maxRetryWait: 1_500 }),
			onError: 'continueRegularOutput',
			credentials,
		});

		const [unavailable, limited] = output.map(({ error }) => (error as NodeApiError).description!);
		const waited = (description: string) => Number(/waiting (\d+\.\d) s in all/.exec(description)![1]) * 1000;
		const overBudget = / Another wait would have passed Max Retry Wait \(1\.5 s\)\.$/;
		expect(unavailable).toMatch(overBudget);
		expect(limited).toMatch(/^Platformly asked to slow down\. .* Tried 2 times, waiting 1\.\d s in all\./);
		expect(limited).toMatch(overBudget);
		// The limit holds, and what is reported is what the server saw pass between the attempts.
		const attemptsOfUnavailable = server!.requests.filter(({ value }) => value.email === 'bulk-1@example.com');
		const span = attemptsOfUnavailable.at(-1)!.startedAt - attemptsOfUnavailable[0].startedAt;
		expect(waited(unavailable)).toBeLessThanOrEqual(1_500);
		expect(waited(unavailable)).toBeGreaterThanOrEqual(span - 100);
		expect(span).toBeGreaterThanOrEqual(1_000);
	});
});

describe('cancellation', () => {
	test('a cancelled execution stops waiting and starts no further request', async () => {
		const { credentials } = await serve(() => ({ status: 429, body: 'slow down', headers: { 'Retry-After': '30' } }));
		const cancel = new AbortController();
		setTimeout(() => cancel.abort(), 200);

		const started = Date.now();
		const run = runPlatformly({
			items: contacts(20),
			parameters: fireForEachEmail({ concurrency: 2 }),
			credentials,
			abortSignal: cancel.signal,
		});

		await expect(run).rejects.toThrow(NodeOperationError);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(server!.requests).toHaveLength(2);
	});
});
