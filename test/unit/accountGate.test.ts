import type { IDataObject, INodeParameters, NodeApiError } from 'n8n-workflow';

import { checkBaseUrl } from '../../nodes/Platformly/transport/credential';
import { bulkContactEmail, SANDBOX_CONTACTS, startSandbox } from '../../sandbox';
import type { RequestRecord, Sandbox } from '../../sandbox';
import {
	AccountGate,
	AccountGateRegistry,
	accountKey,
} from '../../nodes/Platformly/transport/accountGate';
import { FakeClock, settle } from '../helpers/fakeClock';
import { runPlatformly } from '../helpers/n8nRuntime';
import { accountPauseLeft, useSandboxPerTest } from '../helpers/sandboxPerTest';
import { postToTrigger } from '../helpers/triggerRuntime';

/**
 * The gate every run of the node in one n8n process shares per Platformly account: several runs
 * at once, as n8n starts them for webhooks, over real sockets to the sandbox.
 */
const sandbox = useSandboxPerTest({ keyPerTest: true });

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
		// No answer before four are in flight; then 100 ms answers leave time for a fifth to show.
		sandbox().setFaults({ holdUntilInFlight: 4, latencyMs: 100 });

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
		sandbox().setFaults({ holdUntilInFlight: 20, latencyMs: 150 });

		await Promise.all([run(contacts(30, 1)), run(contacts(30, 31)), run(contacts(30, 61))]);

		expect(sandbox().inFlight().max).toBe(20);
		expect(sandbox().fired()).toHaveLength(90);
	});

	test('a run cancelled while its requests wait for a slot leaves at once; the other runs on', async () => {
		sandbox().setFaults({ holdUntilInFlight: 2, latencyMs: 100 });
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

describe('Max Retry Wait, against pauses other runs caused', () => {
	test("bounds an item's wait from its first turn: one that would wait past it fails unsent", async () => {
		sandbox().setFaults({ queue: ['429'], retryAfterSeconds: 2 });
		const limited = run(contacts(1, 1));
		await waitFor(() => accountPauseLeft(sandbox()) > 0);

		const impatientStartedAt = Date.now();
		const impatient = await run(contacts(1, 2), { maxRetryWait: 1_000 }).catch(
			(error: NodeApiError) => error,
		);
		const impatientTookMs = Date.now() - impatientStartedAt;
		const patient = await run(contacts(1, 3), { maxRetryWait: 5_000 });

		expect((impatient as NodeApiError).message).toMatch(
			/^Platformly asked this account to pause for (1\.\d|2\.0) s more \(HTTP 429\), past Max Retry Wait \(1 s\)$/,
		);
		expect((impatient as NodeApiError).description).toBe(
			'A request of this account, from this run or another in this n8n process, was answered 429 with Retry-After, and every request of the account waits it out. ' +
				'Nothing was sent for this item; it waited 0.0 s in all. Another wait would have passed Max Retry Wait (1 s).',
		);
		expect(impatientTookMs).toBeLessThan(500);
		expect(patient).toEqual(processedAll(1));
		expect(await limited).toEqual(processedAll(1));
		const [first, ...later] = sandbox().requests();
		expect(later.map(({ email }) => email).sort()).toEqual([
			bulkContactEmail(1),
			bulkContactEmail(3),
		]);
		for (const request of later)
			expect(arrivedAt(request) - arrivedAt(first)).toBeGreaterThanOrEqual(2_000);
	});

	test('with Retry-After on every answer, each run fails within it, counting the pause it started in', async () => {
		sandbox().setFaults({ rate429: 1, retryAfterSeconds: 1 });
		const options = { maxRetryWait: 1_500 };
		const waitedMs = (error: NodeApiError) =>
			Number(/waiting (\d+\.\d) s in all/.exec(error.description ?? '')![1]) * 1000;

		// The first meets a 429, waits out its pause, meets another, and fails, leaving a pause of
		// about a second; the second starts 300 ms into that pause. (Started side by side, the two
		// would wake from one pause together, and which goes first would decide what each meets.)
		const firstStartedAt = Date.now();
		const firstError = (await run(contacts(1, 1), options).catch(
			(error: NodeApiError) => error,
		)) as NodeApiError;
		const firstEndedAt = Date.now();
		expect(accountPauseLeft(sandbox())).toBeGreaterThan(500);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const secondStartedAt = Date.now();
		const second = await run(contacts(1, 2), options).catch((error: NodeApiError) => error);
		const secondEndedAt = Date.now();

		// The first sat through its own pause; the second started in one and counted what was left.
		expect(firstError.description).toMatch(/ Tried 2 times, waiting 1\.\d s in all\. /);
		expect((second as NodeApiError).description).toMatch(
			/ Tried 1 time, waiting 0\.\d s in all\. /,
		);
		expect(waitedMs(second as NodeApiError)).toBeGreaterThanOrEqual(300);
		for (const error of [firstError, second as NodeApiError]) {
			expect(waitedMs(error)).toBeLessThanOrEqual(1_500);
			expect(error.description).toMatch(
				/ Another wait would have passed Max Retry Wait \(1\.5 s\)\.$/,
			);
		}
		expect(firstEndedAt - firstStartedAt).toBeLessThan(1_500 + 1_000);
		expect(secondEndedAt - secondStartedAt).toBeLessThan(1_500 + 1_000);
	});
});

describe('one account whatever the spelling of its Base URL', () => {
	test('a trailing slash and the case of the scheme share the pause and the slots', async () => {
		const { url } = sandbox();
		const spellings = [url, `${url}/`, url.replace('http://', 'HTTP://')];
		sandbox().setFaults({
			queue: ['429'],
			retryAfterSeconds: 1,
			holdUntilInFlight: 3,
			latencyMs: 100,
		});
		const runWith = (baseUrl: string, first: number) =>
			runPlatformly({
				items: contacts(6, first),
				parameters: fireForEachEmail({ concurrency: 3, processConcurrency: 3 }),
				credentials: { apiKey: sandbox().apiKey, baseUrl },
			});

		const limited = runWith(spellings[0], 1);
		await waitFor(() => accountPauseLeft(sandbox()) > 0);
		await Promise.all([limited, runWith(spellings[1], 7), runWith(spellings[2], 13)]);

		const [first, ...later] = sandbox()
			.requests()
			.filter(({ outcome }) => outcome !== '');
		expect(first.outcome).toBe('fault:429');
		// Requests of the first run already out when the 429 came back were sent before it.
		const afterPause = later.filter((request) => arrivedAt(request) - arrivedAt(first) >= 1_000);
		expect(afterPause.length).toBeGreaterThanOrEqual(later.length - 2);
		expect(sandbox().inFlight().max).toBe(3);
		expect(sandbox().fired()).toHaveLength(18);
	});

	test.each([
		['https://API.Platform.ly:443/', 'https://api.platform.ly'],
		['HTTPS://api.platform.ly//', 'https://api.platform.ly'],
		['http://127.0.0.1:80/proxy/', 'http://127.0.0.1/proxy'],
	])('%s is the account of %s', (spelling, canonical) => {
		const normalized = (url: string) =>
			(checkBaseUrl(url) as { address: { normalized: string } }).address.normalized;
		expect(normalized(spelling)).toBe(normalized(canonical));
	});

	test.each([
		['https://api.platform.ly/v2', 'https://api.platform.ly'],
		['https://api.platform.ly:8443', 'https://api.platform.ly'],
		['http://api.platform.ly', 'https://api.platform.ly'],
		['https://api.platform.ly/?tenant=a', 'https://api.platform.ly/?tenant=b'],
	])('%s is another account than %s', (one, other) => {
		const normalized = (url: string) =>
			(checkBaseUrl(url) as { address: { normalized: string } }).address.normalized;
		expect(normalized(one)).not.toBe(normalized(other));
	});
});

describe("the trigger's Fetch Contact, a request like the others", () => {
	const fetchFor = (contactID: string, fetchTimeout?: number) =>
		postToTrigger(
			{ method: 'GET', query: { contactID } },
			{
				parameters: { fetchContact: true, ...(fetchTimeout && { fetchTimeout }) },
				platformly: { apiKey: sandbox().apiKey, baseUrl: sandbox().url },
			},
		);
	const ann = SANDBOX_CONTACTS[0];

	test('sends nothing into a pause longer than its Timeout, and says so in contact_error', async () => {
		sandbox().setFaults({ queue: ['429'], retryAfterSeconds: 2 });
		const limited = run(contacts(1, 1));
		await waitFor(() => accountPauseLeft(sandbox()) > 0);

		const impatient = await fetchFor(String(ann.id), 1_000);
		const patient = await fetchFor(String(ann.id));

		expect(impatient.item?.contact).toBeNull();
		expect(impatient.item?.contact_error).toMatch(
			/^Platformly asked this account to pause for (1\.\d|2\.0) s more \(HTTP 429\), past Fetch Contact Timeout \(1 s\)$/,
		);
		expect(patient.item?.contact).toMatchObject({ id: ann.id, email: ann.email });
		await limited;
		const fetches = sandbox()
			.requests()
			.filter(({ action }) => action === 'fetch_contact');
		expect(fetches).toHaveLength(1);
		expect(arrivedAt(fetches[0]) - arrivedAt(sandbox().requests()[0])).toBeGreaterThanOrEqual(
			2_000,
		);
	});

	test("retries a 429, holding the account's other requests too", async () => {
		sandbox().setFaults({ queue: ['429'], retryAfterSeconds: 1 });

		const fetched = await fetchFor(String(ann.id));

		expect(fetched.item?.contact).toMatchObject({ id: ann.id });
		expect(
			sandbox()
				.requests()
				.map(({ outcome }) => outcome),
		).toEqual(['fault:429', 'success']);
	});

	test('keeps within Concurrency per Process: 30 posts at once have 20 reads in flight', async () => {
		sandbox().setFaults({ holdUntilInFlight: 20, latencyMs: 300 });

		const fetched = await Promise.all(Array.from({ length: 30 }, () => fetchFor(String(ann.id))));

		expect(sandbox().inFlight().max).toBe(20);
		for (const { item } of fetched) expect(item?.contact).toMatchObject({ id: ann.id });
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
			sandbox().setFaults({ holdUntilInFlight: 3, latencyMs: 100 });
			elsewhere.setFaults({ holdUntilInFlight: 3, latencyMs: 100 });

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

describe('AccountGate, on a fake clock (every request takes 100 ms)', () => {
	const REQUEST_MS = 100;

	/**
	 * A run of `items` requests, `concurrency` of them at once, each taking a slot of the gate with
	 * `limit` (its Concurrency per Process) for REQUEST_MS. Records when each request asked for
	 * its slot and when it got it.
	 */
	function startRun(
		gate: AccountGate,
		clock: FakeClock,
		{ items, concurrency, limit }: { items: number; concurrency: number; limit: number },
	) {
		const run = gate.enter();
		const waits: Array<{ askedAt: number; grantedAt: number }> = [];
		let inFlight = 0;
		let mostInFlight = 0;
		let next = 0;
		const worker = async () => {
			while (next < items) {
				next++;
				const askedAt = clock.now();
				await gate.acquire(run, limit);
				waits.push({ askedAt, grantedAt: clock.now() });
				mostInFlight = Math.max(mostInFlight, ++inFlight);
				await clock.sleep(REQUEST_MS);
				inFlight--;
				gate.release(run);
			}
		};
		const done = Promise.all(Array.from({ length: concurrency }, worker)).then(() =>
			gate.exit(run),
		);
		return { waits, done, mostInFlight: () => mostInFlight };
	}

	test.each([
		{ bulk: 'Concurrency 50, per Process 50', settings: { concurrency: 50, limit: 50 }, limit: 20 },
		{
			bulk: 'Concurrency 100, per Process 20',
			settings: { concurrency: 100, limit: 20 },
			limit: 20,
		},
		{
			bulk: 'Concurrency 100, per Process 1000',
			settings: { concurrency: 100, limit: 1_000 },
			limit: 20,
		},
		{ bulk: 'Concurrency 50, per Process 50', settings: { concurrency: 50, limit: 50 }, limit: 1 },
		{
			bulk: 'Concurrency 10, per Process 20',
			settings: { concurrency: 10, limit: 20 },
			limit: 1_000,
		},
	])(
		'a one-item run with Concurrency per Process $limit, beside a 10,000-item run at $bulk, gets a slot within one request time',
		async ({ settings, limit }) => {
			const clock = new FakeClock();
			const gate = new AccountGate(clock.now);
			const bulk = startRun(gate, clock, { items: 10_000, ...settings });
			await clock.advanceTo(1_050);

			const newcomer = startRun(gate, clock, { items: 1, concurrency: 1, limit });
			await clock.advanceTo(2_000);

			expect(newcomer.waits).toHaveLength(1);
			const [{ askedAt, grantedAt }] = newcomer.waits;
			expect(grantedAt - askedAt).toBeLessThanOrEqual(REQUEST_MS);
			await newcomer.done;
			// The bulk run was never held to less than its own share for long: it went on.
			expect(bulk.waits.length).toBeGreaterThan(10);
		},
	);

	test('five one-item runs that start together beside a bulk run all get a slot within one request time', async () => {
		const clock = new FakeClock();
		const gate = new AccountGate(clock.now);
		startRun(gate, clock, { items: 10_000, concurrency: 50, limit: 50 });
		await clock.advanceTo(1_050);

		const newcomers = Array.from({ length: 5 }, () =>
			startRun(gate, clock, { items: 1, concurrency: 1, limit: 20 }),
		);
		await clock.advanceTo(2_000);

		for (const { waits } of newcomers) {
			expect(waits).toHaveLength(1);
			expect(waits[0].grantedAt - waits[0].askedAt).toBeLessThanOrEqual(REQUEST_MS);
		}
	});

	test('two bulk runs of one limit share the slots evenly', async () => {
		const clock = new FakeClock();
		const gate = new AccountGate(clock.now);
		const first = startRun(gate, clock, { items: 10_000, concurrency: 100, limit: 20 });
		await clock.advanceTo(1_050);
		const second = startRun(gate, clock, { items: 10_000, concurrency: 100, limit: 20 });
		const [firstBefore, secondBefore] = [first.waits.length, second.waits.length];
		await clock.advanceTo(3_050);

		// 20 slots, each freed 10 times a second: 400 requests in 2 s, half each.
		expect(first.waits.length - firstBefore).toBe(200);
		expect(second.waits.length - secondBefore).toBe(200);
	});

	test('a run alone keeps as many requests in flight as its limit allows', async () => {
		const clock = new FakeClock();
		const gate = new AccountGate(clock.now);
		const bulk = startRun(gate, clock, { items: 1_000, concurrency: 50, limit: 20 });
		await clock.advanceTo(10_000);
		await bulk.done;

		expect(bulk.mostInFlight()).toBe(20);
		// 1,000 requests at 20 in flight, 100 ms each: 5 s.
		expect(Math.max(...bulk.waits.map(({ grantedAt }) => grantedAt))).toBe(4_900);
	});

	test('within a run, slots go in asking order', async () => {
		const gate = new AccountGate();
		const run = gate.enter();
		await gate.acquire(run, 1);
		const granted: string[] = [];
		const first = gate.acquire(run, 1).then(() => granted.push('first'));
		const second = gate.acquire(run, 5).then(() => granted.push('second'));
		await settle();
		// The second would fit under its own limit, but the first asked earlier and waits.
		expect(granted).toEqual([]);
		gate.release(run);
		await first;
		gate.release(run);
		await second;
		expect(granted).toEqual(['first', 'second']);
	});

	test('a waiting request whose run is cancelled leaves the queue, and the next one gets its slot', async () => {
		const gate = new AccountGate();
		const busy = gate.enter();
		const cancelledRun = gate.enter();
		const otherRun = gate.enter();
		await gate.acquire(busy, 1);
		const cancel = new AbortController();
		const cancelled = gate.acquire(cancelledRun, 1, cancel.signal);
		let otherGranted = false;
		const other = gate.acquire(otherRun, 1).then(() => (otherGranted = true));
		cancel.abort(new Error('cancelled'));
		await expect(cancelled).rejects.toThrow('cancelled');
		gate.release(busy);
		await other;
		expect(otherGranted).toBe(true);
		gate.release(otherRun);
		for (const run of [busy, cancelledRun, otherRun]) gate.exit(run);
		expect(gate.isIdle()).toBe(true);
	});
});

describe('AccountGateRegistry', () => {
	// A gate let go is forgotten: the next run of its account is given a new one.
	test('lets each gate go when its last run leaves: 10,000 runs, each of another account', () => {
		const registry = new AccountGateRegistry();
		for (let run = 0; run < 10_000; run++) {
			const account = accountKey('https://api.platform.ly', `key${run}`);
			const lease = registry.join(account);
			const { gate } = lease;
			lease.leave();
			const next = registry.join(account);
			expect(next.gate).not.toBe(gate);
			next.leave();
		}
	});

	test('keeps a gate while a pause lasts, so that the next run still waits, then lets it go', () => {
		let now = 0;
		const registry = new AccountGateRegistry(() => now);
		const account = accountKey('https://api.platform.ly', 'key');
		const first = registry.join(account);
		first.gate.pauseFor(1_000);
		first.leave();

		now = 500;
		const second = registry.join(account);
		expect(second.gate).toBe(first.gate);
		expect(second.gate.pauseRemainingMs()).toBe(500);
		second.leave();

		now = 1_000;
		const third = registry.join(account);
		expect(third.gate).not.toBe(first.gate);
		expect(third.gate.pauseRemainingMs()).toBe(0);
		third.leave();
	});

	test('leaving twice counts once', () => {
		const registry = new AccountGateRegistry();
		const account = accountKey('https://api.platform.ly', 'key');
		const first = registry.join(account);
		const second = registry.join(account);
		first.leave();
		first.leave();
		const third = registry.join(account);
		expect(third.gate).toBe(second.gate);
		second.leave();
		third.leave();
		expect(registry.join(account).gate).not.toBe(second.gate);
	});
});

/** Polls `condition` every 5 ms, for at most 5 s. */
async function waitFor(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition(); waited += 5) {
		if (waited > 5_000) throw new Error('the condition did not come true within 5 s');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
