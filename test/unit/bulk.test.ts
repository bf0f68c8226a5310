import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { bulkContactEmail, startSandbox } from '../../sandbox';
import type { RequestRecord } from '../../sandbox';
import { runPlatformly } from '../helpers/n8nRuntime';
import { useSandboxPerTest } from '../helpers/sandboxPerTest';

/**
 * Many items against the sandbox, over real sockets: how many requests are in flight at once, how
 * their starts are spaced, and how retries, a failure or a cancellation affect the other items.
 */
const sandbox = useSandboxPerTest({ keyPerTest: true });

const PROCESSED = { status: 'success', message: 'The action has been processed' };

const contacts = (count: number) =>
	Array.from({ length: count }, (_, n) => ({ email: bulkContactEmail(n + 1) }));

/** An address the sandbox knows no contact by, so that firing for it fails with "Contact Not Found". */
const UNKNOWN_EMAIL = 'nobody@example.com';

const fireForEachEmail = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'contact',
	operation: 'fireEvent',
	email: '={{ $json.email }}',
	eventId: 101,
	options,
});

const credentials = (target = sandbox()) => ({ apiKey: target.apiKey, baseUrl: target.url });

const run = (items: IDataObject[], options?: INodeParameters) =>
	runPlatformly({ items, parameters: fireForEachEmail(options), credentials: credentials() });

const emailsServed = () =>
	sandbox()
		.requests()
		.map(({ email }) => email);
const emailsFired = () =>
	sandbox()
		.fired()
		.map(({ email }) => email);
const arrivedAt = (request: RequestRecord) => Date.parse(request.at);

describe('concurrency', () => {
	test('by default keeps 10 requests in flight, and the output keeps input order and pairing', async () => {
		// No answer goes before ten requests are in flight, however slowly a busy machine sends them;
		// then each waits 150 to 250 ms, drawn anew for each request, so answers arrive out of order.
		sandbox().setFaults({ holdUntilInFlight: 10, latencyMs: 150, latencyJitterMs: 100 });

		const output = await run(contacts(40));

		expect(sandbox().inFlight().max).toBe(10);
		expect(output).toEqual(
			contacts(40).map((_, item) => ({ json: PROCESSED, pairedItem: { item } })),
		);
		const emails = contacts(40)
			.map(({ email }) => email)
			.sort();
		expect(emailsServed().sort()).toEqual(emails);
		expect(emailsFired().sort()).toEqual(emails);
	});

	test('at 1, sends strictly one at a time, in input order', async () => {
		sandbox().setFaults({ latencyMs: 5 });

		await run(contacts(8), { concurrency: 1 });

		expect(sandbox().inFlight().max).toBe(1);
		expect(emailsServed()).toEqual(contacts(8).map(({ email }) => email));
	});

	test('a failure stops new requests; those already in flight finish', async () => {
		sandbox().setFaults({ latencyMs: 20 });
		const items = contacts(50);
		items[2] = { email: UNKNOWN_EMAIL };

		await expect(run(items, { concurrency: 4 })).rejects.toThrow('Contact Not Found');
		expect(sandbox().inFlight().now).toBe(0);
		expect(sandbox().requests().length).toBeLessThanOrEqual(8);
		expect(
			sandbox()
				.requests()
				.find(({ email }) => email === UNKNOWN_EMAIL)?.outcome,
		).toBe('error:Contact Not Found');
	});
});

describe('maxRequestsPerSecond', () => {
	test('spaces the starts of requests', async () => {
		await run(contacts(21), { maxRequestsPerSecond: 20 });

		// Starts are scheduled 57.5 ms apart (1.15 s ÷ 20; the exact spacing is tested on a fake
		// clock in pacer.test.ts). Here they are seen on arrival at the sandbox, as Platformly
		// would count them: never 21 within a second.
		const starts = sandbox().requests().map(arrivedAt);
		expect(starts).toHaveLength(21);
		expect(starts[20] - starts[0]).toBeGreaterThan(1_000);
	});
});

describe('retries', () => {
	test('a 429 pauses every request for its Retry-After, then the item is sent again and succeeds once', async () => {
		sandbox().setFaults({ queue: ['429'], retryAfterSeconds: 1 });

		const output = await run(contacts(5), { concurrency: 1 });

		const [limited, ...rest] = sandbox().requests();
		expect(limited.outcome).toBe('fault:429');
		expect(
			rest.map((request) => arrivedAt(request) - arrivedAt(limited)).every((gap) => gap >= 1_000),
		).toBe(true);
		expect(emailsServed()).toEqual([bulkContactEmail(1), ...contacts(5).map(({ email }) => email)]);
		expect(emailsFired()).toEqual(contacts(5).map(({ email }) => email));
		expect(output).toHaveLength(5);
		expect(output.every(({ json }) => json.status === 'success')).toBe(true);
	});

	test('503s are retried until the item succeeds', async () => {
		sandbox().setFaults({ queue: ['503', '503'] });

		const output = await run(contacts(1));

		expect(
			sandbox()
				.requests()
				.map(({ outcome }) => outcome),
		).toEqual(['fault:503', 'fault:503', 'success']);
		expect(output).toEqual([{ json: PROCESSED, pairedItem: { item: 0 } }]);
	});

	test('a refused connection is retried until something listens', async () => {
		const gone = await startSandbox();
		await gone.close();
		const listenLater = new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
			startSandbox({ port: gone.port }),
		);

		try {
			const output = await runPlatformly({
				items: contacts(1),
				parameters: fireForEachEmail(),
				credentials: credentials(gone),
			});

			expect(output).toEqual([{ json: PROCESSED, pairedItem: { item: 0 } }]);
			expect((await listenLater).requests()).toHaveLength(1);
		} finally {
			await (await listenLater).close();
		}
	});

	test('a 500 is not retried by default, because the event may have fired', async () => {
		sandbox().setFaults({ rate500: 1 });

		await expect(run(contacts(1))).rejects.toThrow('Platformly had a server error (HTTP 500)');
		expect(sandbox().requests()).toHaveLength(1);
	});

	test('a 500 is retried when the user allows retrying uncertain failures', async () => {
		sandbox().setFaults({ queue: ['500'] });

		await run(contacts(1), { retryUncertain: true });

		expect(
			sandbox()
				.requests()
				.map(({ outcome }) => outcome),
		).toEqual(['fault:500', 'success']);
	});

	test('an item waiting to retry sends nothing more once another item has stopped the run', async () => {
		// The first item is always answered 429 at once; the second fails as its answer trickles in,
		// a byte every 2 ms, while the first is already waiting out its Retry-After.
		sandbox().setFaults({
			faultsByEmail: { [bulkContactEmail(1)]: '429', [UNKNOWN_EMAIL]: 'trickle' },
			retryAfterSeconds: 1,
			trickleMs: 2,
		});
		const items = [
			{ email: bulkContactEmail(1) },
			{ email: UNKNOWN_EMAIL },
			...contacts(4).slice(2),
		];

		await expect(run(items, { concurrency: 2 })).rejects.toThrow('Contact Not Found');
		expect(emailsServed()).toEqual([bulkContactEmail(1), UNKNOWN_EMAIL]);
	});

	test('gives up after maxRetries and says how often it tried', async () => {
		sandbox().setFaults({ rate503: 1 });

		const error = await run(contacts(1), { maxRetries: 2 }).catch((thrown: NodeApiError) => thrown);

		expect(sandbox().requests()).toHaveLength(3);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toBe(
			'Platformly is temporarily unavailable (HTTP 503)',
		);
		expect((error as NodeApiError).description).toMatch(
			/^Platformly could not take the request\. Try again in a moment\. Tried 3 times, waiting \d+\.\d s in all\.$/,
		);
	});
});

describe('a rate limit Platformly does not publish', () => {
	// A token bucket of 50 requests a second per key (50 kept), 10 ms per answer; 400 items at the
	// default Concurrency of 10, which could send several hundred a second. About 8 s each.
	test.each([
		['with Retry-After', true],
		['without Retry-After', false],
	])(
		'%s: every event fires once, and once the pace is learned few requests are refused',
		async (_, rateLimitRetryAfter) => {
			sandbox().setFaults({
				rateLimitPerSecond: 50,
				rateLimitBurst: 50,
				rateLimitRetryAfter,
				latencyMs: 10,
			});
			const items = contacts(400);

			const output = await run(items, { maxRetries: 10 });

			expect(output).toEqual(
				items.map((_item, item) => ({ json: PROCESSED, pairedItem: { item } })),
			);
			expect(emailsFired().sort()).toEqual(items.map(({ email }) => email).sort());
			const refused = sandbox()
				.requests()
				.filter(({ outcome }) => outcome === 'fault:429').length;
			// Without the pace, each pause's refill went in a burst and a second's worth of requests
			// came back 429 after it (about 16 % of them); with it, the first burst's are most.
			expect(refused).toBeGreaterThan(0);
			expect(refused / sandbox().requests().length).toBeLessThan(0.06);
		},
		60_000,
	);
});

describe('Max Retry Wait', () => {
	test("counts the pauses other items' 429s impose, holds as a limit, and reports the true total", async () => {
		// bulk-1 meets 503s (its own backoff is a few hundred ms); bulk-2 meets 429s that pause everyone for 1 s.
		sandbox().setFaults({
			faultsByEmail: { [bulkContactEmail(1)]: '503', [bulkContactEmail(2)]: '429' },
			retryAfterSeconds: 1,
		});

		const output = await runPlatformly({
			items: contacts(2),
			parameters: fireForEachEmail({ concurrency: 2, maxRetries: 20, maxRetryWait: 1_500 }),
			onError: 'continueRegularOutput',
			credentials: credentials(),
		});

		const [unavailable, limited] = output.map(({ error }) => (error as NodeApiError).description!);
		const waited = (description: string) =>
			Number(/waiting (\d+\.\d) s in all/.exec(description)![1]) * 1000;
		const overBudget = / Another wait would have passed Max Retry Wait \(1\.5 s\)\.$/;
		expect(unavailable).toMatch(overBudget);
		expect(limited).toMatch(
			/^Platformly asked to slow down\. .* Tried 2 times, waiting 1\.\d s in all\./,
		);
		expect(limited).toMatch(overBudget);
		// The limit holds, and what is reported is what the item waited: at least bulk-2's 1 s pause,
		// which it sat through whether or not its next attempt went out before bulk-2's second 429
		// extended the pause past its limit; and no less than the sandbox saw pass between its attempts.
		const attemptsOfUnavailable = sandbox()
			.requests()
			.filter(({ email }) => email === bulkContactEmail(1));
		const span = arrivedAt(attemptsOfUnavailable.at(-1)!) - arrivedAt(attemptsOfUnavailable[0]);
		expect(waited(unavailable)).toBeLessThanOrEqual(1_500);
		expect(waited(unavailable)).toBeGreaterThanOrEqual(1_000);
		expect(waited(unavailable)).toBeGreaterThanOrEqual(span - 100);
	});
});

describe('cancellation', () => {
	test('a cancelled execution stops waiting and starts no further request', async () => {
		// Far longer than the cancellation takes to come, short enough to be waited out after the test.
		sandbox().setFaults({ rate429: 1, retryAfterSeconds: 2 });
		const cancel = new AbortController();
		setTimeout(() => cancel.abort(), 200);

		const started = Date.now();
		const cancelled = runPlatformly({
			items: contacts(20),
			parameters: fireForEachEmail({ concurrency: 2 }),
			credentials: credentials(),
			abortSignal: cancel.signal,
		});

		await expect(cancelled).rejects.toThrow(NodeOperationError);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(sandbox().requests()).toHaveLength(2);
	});
});
