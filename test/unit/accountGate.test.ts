import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { bulkContactEmail, startSandbox } from '../../sandbox';
import type { RequestRecord, Sandbox } from '../../sandbox';
import {
	AccountGate,
	AccountGateRegistry,
	accountGates,
	accountKey,
} from '../../nodes/Platformly/transport/accountGate';
import { runPlatformly } from '../helpers/n8nRuntime';
import { useSharedSandbox } from '../helpers/sharedSandbox';

/**
 * The gate every run of the node in one n8n process shares per Platformly account: several runs
 * at once, as n8n starts them for webhooks, over real sockets to the sandbox.
 */
const sandbox = useSharedSandbox();

const PROCESSED = { status: 'success', message: 'The action has been processed' };

/** `count` known contacts, from the `first`th on, so that two runs fire for different contacts. */
const contacts = (count: number, first = 1) =>
	Array.from({ length: count }, (_, n) => ({ email: bulkContactEmail(first + n) }));

const fireForEachEmail = (options: INodeParameters): INodeParameters => ({
	resource: 'contact',
	operation: 'fireEvent',
	email: '={{ $json.email }}',
	eventId: 101,
	options,
});

function run(
	items: IDataObject[],
	options: INodeParameters = {},
	{ target = sandbox(), abortSignal }: { target?: Sandbox; abortSignal?: AbortSignal } = {},
) {
	return runPlatformly({
		items,
		parameters: fireForEachEmail(options),
		credentials: { apiKey: target.apiKey, baseUrl: target.url },
		abortSignal,
	});
}

const arrivedAt = (request: RequestRecord) => Date.parse(request.at);
const emails = (records: Array<{ email?: unknown }>) => records.map(({ email }) => email).sort();
const processedAll = (count: number) =>
	Array.from({ length: count }, (_, item) => ({ json: PROCESSED, pairedItem: { item } }));

afterEach(() => expect(accountGates.size()).toBe(0));

describe('runs of one account in one process', () => {
	test("share a 429's pause: no run sends until Retry-After has passed", async () => {
		// Answers take 50 ms, so both runs have a request out when the 429 comes back.
		sandbox().setFaults({ queue: ['429'], retryAfterSeconds: 1, latencyMs: 50 });

		const [first, second] = await Promise.all([
			run(contacts(5, 1), { concurrency: 1 }),
			run(contacts(5, 6), { concurrency: 1 }),
		]);

		const [limited, alongside, ...later] = sandbox().requests();
		expect(limited.outcome).toBe('fault:429');
		// The request of the other run sent before the 429 came back; everything after waited.
		expect(arrivedAt(alongside) - arrivedAt(limited)).toBeLessThan(1_000);
		expect(later).toHaveLength(9);
		for (const request of later) {
			expect(arrivedAt(request) - arrivedAt(limited)).toBeGreaterThanOrEqual(1_000);
		}
		expect(first).toEqual(processedAll(5));
		expect(second).toEqual(processedAll(5));
		expect(emails(sandbox().fired())).toEqual(emails(contacts(10)));
	});

	test('hold Concurrency per Process together, each run within its own Concurrency', async () => {
		// 100 ms answers keep requests open long enough to be counted together.
		sandbox().setFaults({ latencyMs: 100 });

		const outputs = await Promise.all([
			run(contacts(20, 1), { concurrency: 10, processConcurrency: 4 }),
			run(contacts(20, 21), { concurrency: 10, processConcurrency: 4 }),
			run(contacts(20, 41), { concurrency: 10, processConcurrency: 4 }),
		]);

		expect(sandbox().inFlight().max).toBe(4);
		for (const output of outputs) expect(output).toEqual(processedAll(20));
		expect(emails(sandbox().fired())).toEqual(emails(contacts(60)));
	});

	test('by default, three runs at the default Concurrency of 10 keep 20 in flight', async () => {
		sandbox().setFaults({ latencyMs: 150 });

		await Promise.all([run(contacts(30, 1)), run(contacts(30, 31)), run(contacts(30, 61))]);

		expect(sandbox().inFlight().max).toBe(20);
		expect(sandbox().fired()).toHaveLength(90);
	});

	test('a run cancelled while its requests wait for a slot leaves at once; the other runs on', async () => {
		sandbox().setFaults({ latencyMs: 100 });
		const cancel = new AbortController();

		const cancelled = run(
			contacts(20, 1),
			{ processConcurrency: 2 },
			{ abortSignal: cancel.signal },
		);
		const other = run(contacts(20, 21), { processConcurrency: 2 });
		const cancelledAt = await new Promise<number>((resolve) =>
			setTimeout(() => {
				cancel.abort();
				resolve(Date.now());
			}, 250),
		);

		await expect(cancelled).rejects.toThrow('The execution was cancelled');
		// No request of the cancelled run starts after the cancellation.
		const cancelledEmails = new Set(contacts(20, 1).map(({ email }) => email));
		const startedLater = sandbox()
			.requests()
			.filter(
				(request) =>
					cancelledEmails.has(request.email as string) && arrivedAt(request) > cancelledAt,
			);
		expect(startedLater).toEqual([]);
		expect(await other).toEqual(processedAll(20));
		expect(sandbox().inFlight().max).toBe(2);
	});
});

describe('runs of different accounts', () => {
	test("do not share a pause: another account's 429 holds nobody else", async () => {
		const elsewhere = await startSandbox();
		try {
			sandbox().setFaults({ queue: ['429'], retryAfterSeconds: 2 });
			const limitedRun = run(contacts(3, 1), { concurrency: 1 });
			// Once the 429 has been answered, the other account's run starts and finishes in the pause.
			await waitFor(() => sandbox().requests().length === 1);
			const otherStartedAt = Date.now();
			const otherOutput = await run(contacts(5, 10), { concurrency: 1 }, { target: elsewhere });
			const otherTookMs = Date.now() - otherStartedAt;

			expect(otherOutput).toEqual(processedAll(5));
			expect(otherTookMs).toBeLessThan(1_500);
			expect(await limitedRun).toEqual(processedAll(3));
			const [limited, ...retried] = sandbox().requests();
			expect(arrivedAt(retried[0]) - arrivedAt(limited)).toBeGreaterThanOrEqual(2_000);
		} finally {
			await elsewhere.close();
		}
	});

	test('do not share in-flight slots: each account has its own Concurrency per Process', async () => {
		const elsewhere = await startSandbox();
		try {
			sandbox().setFaults({ latencyMs: 100 });
			elsewhere.setFaults({ latencyMs: 100 });

			await Promise.all([
				run(contacts(12, 1), { processConcurrency: 3 }),
				run(contacts(12, 1), { processConcurrency: 3 }, { target: elsewhere }),
			]);

			expect(sandbox().inFlight().max).toBe(3);
			expect(elsewhere.inFlight().max).toBe(3);
		} finally {
			await elsewhere.close();
		}
	});

	test('are told apart by Base URL and key, and the key is not kept in the clear', () => {
		const key = 'secretKeyAbc123';
		const account = accountKey('https://api.platform.ly', key);
		expect(account).toMatch(/^[0-9a-f]{64}$/);
		expect(account).not.toContain(key);
		expect(accountKey('https://api.platform.ly', 'otherKey')).not.toBe(account);
		expect(accountKey('https://eu.platform.example', key)).not.toBe(account);
		expect(accountKey('https://api.platform.ly', key)).toBe(account);
	});
});

describe('AccountGate', () => {
	test('grants slots in asking order, each request within its own limit', async () => {
		const gate = new AccountGate();
		await gate.acquire(2);
		await gate.acquire(2);
		const granted: string[] = [];
		const strict = gate.acquire(2).then(() => granted.push('limit 2'));
		const loose = gate.acquire(3).then(() => granted.push('limit 3'));
		await flush();
		// The loose request fits under its own limit of 3 at once; the strict one waits.
		expect(granted).toEqual(['limit 3']);
		gate.release();
		gate.release();
		await Promise.all([strict, loose]);
		expect(granted).toEqual(['limit 3', 'limit 2']);
		expect(gate.requestsInFlight()).toBe(2);
	});

	test('a waiting request whose run is cancelled leaves the queue, and the next one gets its slot', async () => {
		const gate = new AccountGate();
		await gate.acquire(1);
		const cancel = new AbortController();
		const cancelled = gate.acquire(1, cancel.signal);
		const next = gate.acquire(1);
		cancel.abort(new Error('cancelled'));
		await expect(cancelled).rejects.toThrow('cancelled');
		gate.release();
		await next;
		expect(gate.requestsInFlight()).toBe(1);
	});
});

describe('AccountGateRegistry', () => {
	test('holds no gate after 10,000 runs, each of another account', () => {
		const registry = new AccountGateRegistry();
		for (let run = 0; run < 10_000; run++) {
			const lease = registry.join(accountKey('https://api.platform.ly', `key${run}`));
			lease.leave();
		}
		expect(registry.size()).toBe(0);
	});

	test('keeps a gate while a pause lasts, so that the next run still waits, then lets it go', () => {
		let now = 0;
		const registry = new AccountGateRegistry(() => now);
		const account = accountKey('https://api.platform.ly', 'key');
		const first = registry.join(account);
		first.gate.pauseFor(1_000);
		first.leave();
		expect(registry.size()).toBe(1);

		now = 500;
		const second = registry.join(account);
		expect(second.gate.pauseRemainingMs()).toBe(500);
		second.leave();

		now = 1_000;
		registry.join(accountKey('https://api.platform.ly', 'another key')).leave();
		expect(registry.size()).toBe(0);
	});

	test('leaving twice counts once', () => {
		const registry = new AccountGateRegistry();
		const account = accountKey('https://api.platform.ly', 'key');
		const first = registry.join(account);
		const second = registry.join(account);
		first.leave();
		first.leave();
		expect(registry.size()).toBe(1);
		second.leave();
		expect(registry.size()).toBe(0);
	});
});

/** Lets pending promise callbacks run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Polls `condition` every 5 ms, for at most 5 s. */
async function waitFor(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition(); waited += 5) {
		if (waited > 5_000) throw new Error('the condition did not come true within 5 s');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
