// Injected faults: what each looks like on the wire, that a faulted request fires nothing (except
// '500-after-fire'), that faultsByEmail picks out a contact's requests, and that the random faults
// and the latency jitter repeat exactly for the same seed.
import {
	FAULT_NAMES,
	PROXY_ERROR_PAGE,
	SANDBOX_CONTACTS,
	SANDBOX_EVENTS,
	bulkContactEmail,
	startSandbox,
} from '../../sandbox';
import type { FaultSettings, Sandbox } from '../../sandbox';
import { createDelayPicker, normalizeFaults } from '../../sandbox/faults';
import { fireEvent } from './http';
import { expectEventually } from '../helpers/eventually';
import { useSandboxPerTest } from '../helpers/sandboxPerTest';

const [ann, ben, , dan] = SANDBOX_CONTACTS;
const [webinarJoined] = SANDBOX_EVENTS;
const fireForAnn = (target: Sandbox, init?: RequestInit) =>
	fireEvent(target.url, { contact_id: ann.id, event: webinarJoined.id }, init);

const sandbox = useSandboxPerTest();

describe('queued faults, one per request, then normal answers', () => {
	test.each([
		['429', 429, '{"status":"error","message":"Too Many Requests"}'],
		['503', 503, '{"status":"error","message":"Service Unavailable"}'],
		['500', 500, '{"status":"error","message":"Internal Server Error"}'],
		['error', 200, '{"status":"error","message":"Simulated failure"}'],
	] as const)('%s: answers HTTP %i and fires nothing', async (fault, status, text) => {
		sandbox().setFaults({ queue: [fault] });
		expect(await fireForAnn(sandbox())).toMatchObject({ status, text });
		expect(sandbox().fired()).toEqual([]);
		expect((await fireForAnn(sandbox())).status).toBe(200);
		expect(sandbox().fired()).toHaveLength(1);
		expect(
			sandbox()
				.requests()
				.map(({ outcome }) => outcome),
		).toEqual([`fault:${fault}`, 'success']);
	});

	test('429 carries Retry-After, 1 s unless set', async () => {
		sandbox().setFaults({ queue: ['429'] });
		expect((await fireForAnn(sandbox())).headers.get('retry-after')).toBe('1');
		sandbox().setFaults({ queue: ['429'], retryAfterSeconds: 7 });
		expect((await fireForAnn(sandbox())).headers.get('retry-after')).toBe('7');
	});

	test('non-json: HTTP 200 with an HTML proxy page', async () => {
		sandbox().setFaults({ queue: ['non-json'] });
		const answer = await fireForAnn(sandbox());
		expect(answer).toMatchObject({ status: 200, text: PROXY_ERROR_PAGE });
		expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
		expect(() => JSON.parse(answer.text)).toThrow();
		expect(sandbox().fired()).toEqual([]);
	});

	test('500-after-fire: the event is recorded, yet the answer is HTTP 500', async () => {
		sandbox().setFaults({ queue: ['500-after-fire'] });
		expect(await fireForAnn(sandbox())).toMatchObject({
			status: 500,
			text: '{"status":"error","message":"Internal Server Error"}',
		});
		expect(sandbox().fired()).toEqual([expect.objectContaining({ seq: 1, contactId: ann.id })]);
		expect(sandbox().requests()[0].outcome).toBe('fault:500-after-fire');
	});

	test('faults apply in queue order; reset() drops what is left', async () => {
		sandbox().setFaults({ queue: ['503', '429', 'error', '500'] });
		const statuses = [(await fireForAnn(sandbox())).status, (await fireForAnn(sandbox())).status];
		expect(statuses).toEqual([503, 429]);
		sandbox().reset();
		expect((await fireForAnn(sandbox())).text).toBe(
			'{"status":"success","message":"The action has been processed"}',
		);
	});
});

describe('faultsByEmail', () => {
	const outcomes = () =>
		sandbox()
			.requests()
			.map(({ email, outcome }) => [email, outcome]);

	test('faults every request sent with exactly that value.email, after the queue and before the rates', async () => {
		sandbox().setFaults({
			queue: ['error'],
			faultsByEmail: { [ben.email]: '503', [dan.email]: '429' },
			rate500: 1,
		});
		const fireFor = (value: object) =>
			fireEvent(sandbox().url, { ...value, event: webinarJoined.id });
		await fireFor({ email: ben.email });
		for (let round = 0; round < 3; round++) {
			await fireFor({ email: ben.email });
			await fireFor({ email: dan.email });
		}
		await fireFor({ email: ann.email });
		await fireFor({ contact_id: ben.id });
		await fireFor({ email: ben.email.toUpperCase() });

		expect(outcomes()).toEqual([
			[ben.email, 'fault:error'],
			...Array(3)
				.fill([
					[ben.email, 'fault:503'],
					[dan.email, 'fault:429'],
				])
				.flat(),
			[ann.email, 'fault:500'],
			[null, 'fault:500'],
			[ben.email.toUpperCase(), 'fault:500'],
		]);
		expect(sandbox().fired()).toEqual([]);
	});

	test('a 429 picked so carries Retry-After; the other contacts are answered normally', async () => {
		sandbox().setFaults({ faultsByEmail: { [dan.email]: '429' }, retryAfterSeconds: 4 });
		const limited = await fireEvent(sandbox().url, { email: dan.email, event: webinarJoined.id });
		expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '4']);
		expect(
			(await fireEvent(sandbox().url, { email: ben.email, event: webinarJoined.id })).status,
		).toBe(200);
		expect(
			sandbox()
				.fired()
				.map(({ email }) => email),
		).toEqual([ben.email]);
	});

	test('stays after reset(), as the other fault settings do', async () => {
		sandbox().setFaults({ faultsByEmail: { [ben.email]: '503' } });
		sandbox().reset();
		expect(
			(await fireEvent(sandbox().url, { email: ben.email, event: webinarJoined.id })).status,
		).toBe(503);
	});
});

describe('hang', () => {
	test('the client gives up; the request is recorded and nothing fired', async () => {
		sandbox().setFaults({ queue: ['hang'] });
		await expect(fireForAnn(sandbox(), { signal: AbortSignal.timeout(100) })).rejects.toMatchObject(
			{ name: 'TimeoutError' },
		);
		expect(
			sandbox()
				.requests()
				.map(({ outcome }) => outcome),
		).toEqual(['fault:hang']);
		expect(sandbox().fired()).toEqual([]);
	});

	test('close() cuts a hanging request and returns promptly', async () => {
		const own = await startSandbox({ faults: { rateHang: 1 } });
		const pending = fireForAnn(own);
		const settled = pending.then(
			() => 'answered',
			() => 'cut',
		);
		while (own.requests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

		const started = Date.now();
		await own.close();
		expect(Date.now() - started).toBeLessThan(500);
		expect(await settled).toBe('cut');
	});
});

test('latencyMs delays every answer, successes included', async () => {
	sandbox().setFaults({ latencyMs: 150 });
	const started = Date.now();
	expect((await fireForAnn(sandbox())).status).toBe(200);
	expect(Date.now() - started).toBeGreaterThanOrEqual(140);
});

describe('holdUntilInFlight', () => {
	const firesForAnn = (count: number) =>
		Array.from({ length: count }, () => fireForAnn(sandbox()).then(({ status }) => status));

	test('holds every answer until that many requests are in flight, then answers them all', async () => {
		sandbox().setFaults({ holdUntilInFlight: 3 });
		let answered = 0;
		const first = firesForAnn(2).map((status) => status.finally(() => answered++));
		await expectEventually(() => sandbox().inFlight().now, 2);
		// Two in flight, none answered: the third's arrival lets all three go.
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(answered).toBe(0);
		expect(await Promise.all([...first, ...firesForAnn(1)])).toEqual([200, 200, 200]);
		expect(sandbox().inFlight().max).toBe(3);
		// Once released, answers are no longer held.
		expect(await Promise.all(firesForAnn(1))).toEqual([200]);
	});

	test('answers held 5 s go anyway, so a client that never gets there sees its answers', async () => {
		sandbox().setFaults({ holdUntilInFlight: 2 });
		const started = Date.now();
		expect(await Promise.all(firesForAnn(1))).toEqual([200]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
		expect(sandbox().inFlight().max).toBe(1);
	});
});

describe('latencyJitterMs', () => {
	const delaysFor = (faults: Partial<FaultSettings>, count: number) => {
		const pickDelay = createDelayPicker(normalizeFaults(faults));
		return Array.from({ length: count }, pickDelay);
	};

	test('adds [0, latencyJitterMs) to latencyMs, drawn from seed: the same seed, the same delays', () => {
		const delays = delaysFor({ latencyMs: 100, latencyJitterMs: 50, seed: 5 }, 200);
		expect(delays.every((delay) => delay >= 100 && delay < 150)).toBe(true);
		expect(new Set(delays).size).toBe(200);
		expect(delaysFor({ latencyMs: 100, latencyJitterMs: 50, seed: 5 }, 200)).toEqual(delays);
		expect(delaysFor({ latencyMs: 100, latencyJitterMs: 50, seed: 6 }, 200)).not.toEqual(delays);
		expect(delaysFor({ latencyMs: 100 }, 3)).toEqual([100, 100, 100]);
	});

	test('answers concurrent requests in the order of their drawn delays, again the same after reset()', async () => {
		const faults = { latencyJitterMs: 600, seed: 11 };
		const delays = delaysFor(faults, 5);
		// Seed 11's five delays lie more than 50 ms apart (90 at the least), far more than the five
		// arrivals spread, so the order of the answers is that of the delays alone.
		const sorted = [...delays].sort((a, b) => a - b);
		expect(Math.min(...sorted.slice(1).map((delay, i) => delay - sorted[i]))).toBeGreaterThan(50);
		const expectedSeqs = [1, 2, 3, 4, 5].sort((a, b) => delays[a - 1] - delays[b - 1]);
		expect(expectedSeqs).not.toEqual([1, 2, 3, 4, 5]);

		/** Five requests sent at once; each answer named by the seq of its request, in the order the answers came. */
		async function answeredSeqs(): Promise<number[]> {
			const answered: string[] = [];
			const emails = [1, 2, 3, 4, 5].map(bulkContactEmail);
			const fireFor = async (email: string) => {
				await fireEvent(sandbox().url, { email, event: webinarJoined.id });
				answered.push(email);
			};
			await Promise.all(emails.map(fireFor));
			const seqOf = new Map(
				sandbox()
					.requests()
					.map(({ email, seq }) => [email, seq]),
			);
			return answered.map((email) => seqOf.get(email)!);
		}

		sandbox().setFaults(faults);
		expect(await answeredSeqs()).toEqual(expectedSeqs);
		sandbox().reset();
		expect(await answeredSeqs()).toEqual(expectedSeqs);
	});

	test("leaves a seed's random faults as they were", async () => {
		const faults = { rate429: 0.3, rate503: 0.3, seed: 42 };
		const outcomesOf = async (settings: Partial<FaultSettings>) => {
			sandbox().setFaults(settings);
			sandbox().reset();
			for (let i = 0; i < 20; i++) await fireForAnn(sandbox());
			return sandbox()
				.requests()
				.map(({ outcome }) => outcome);
		};
		const withoutJitter = await outcomesOf(faults);
		expect(new Set(withoutJitter)).toEqual(new Set(['success', 'fault:429', 'fault:503']));
		expect(await outcomesOf({ ...faults, latencyJitterMs: 5 })).toEqual(withoutJitter);
	});
});

describe('random faults', () => {
	const rates: Partial<FaultSettings> = { rate429: 0.25, rate503: 0.25, rateError: 0.2 };

	async function outcomesOf(target: Sandbox, count: number): Promise<string[]> {
		for (let i = 0; i < count; i++) await fireForAnn(target);
		return target.requests().map(({ outcome }) => outcome);
	}

	test('the same seed gives the same faults; another seed, others', async () => {
		sandbox().setFaults({ ...rates, seed: 42 });
		const first = await outcomesOf(sandbox(), 40);
		expect(new Set(first)).toEqual(new Set(['success', 'fault:429', 'fault:503', 'fault:error']));

		sandbox().reset();
		expect(await outcomesOf(sandbox(), 40)).toEqual(first);

		const twin = await startSandbox({ faults: { ...rates, seed: 42 } });
		try {
			expect(await outcomesOf(twin, 40)).toEqual(first);
		} finally {
			await twin.close();
		}

		sandbox().setFaults({ ...rates, seed: 43 });
		sandbox().reset();
		expect(await outcomesOf(sandbox(), 40)).not.toEqual(first);
	});

	test('faulted requests never fire; each success fires once', async () => {
		sandbox().setFaults({
			rate429: 0.3,
			rate503: 0.3,
			rate500: 0.1,
			rateNonJson: 0.1,
			rateError: 0.1,
			seed: 7,
		});
		const outcomes = await outcomesOf(sandbox(), 60);
		const successSeqs = sandbox()
			.requests()
			.filter(({ outcome }) => outcome === 'success')
			.map(({ seq }) => seq);
		expect(outcomes.filter((outcome) => outcome.startsWith('fault:')).length).toBeGreaterThan(0);
		expect(
			sandbox()
				.fired()
				.map(({ seq }) => seq),
		).toEqual(successSeqs);
	});

	test('a rate of 1 faults every request', async () => {
		sandbox().setFaults({ rate503: 1 });
		expect(await outcomesOf(sandbox(), 5)).toEqual(Array(5).fill('fault:503'));
	});
});

describe('fault settings are checked', () => {
	const byEmailProblem = `faultsByEmail must be an object mapping email addresses to fault names (${FAULT_NAMES.join(', ')})`;
	test.each([
		[{ rate429: 1.5 }, 'rate429 must be a number between 0 and 1, got 1.5'],
		[{ rateHang: -0.1 }, 'rateHang must be a number between 0 and 1, got -0.1'],
		[{ rate429: 0.6, rate503: 0.6 }, 'the fault rates add up to 1.2, more than 1'],
		[{ latencyMs: '100' }, 'latencyMs must be a number of milliseconds, 0 or more, got "100"'],
		[
			{ latencyJitterMs: -1 },
			'latencyJitterMs must be a number of milliseconds, 0 or more, got -1',
		],
		[
			{ latencyJitterMs: null },
			'latencyJitterMs must be a number of milliseconds, 0 or more, got null',
		],
		[
			{ retryAfterSeconds: 1.5 },
			'retryAfterSeconds must be a whole number of seconds, 0 or more, got 1.5',
		],
		[{ seed: 'abc' }, 'seed must be an integer, got "abc"'],
		[
			{ holdUntilInFlight: -1 },
			'holdUntilInFlight must be a whole number of requests, 0 or more, got -1',
		],
		[
			{ queue: ['429', 'teapot'] },
			`queue must be a list of fault names (${FAULT_NAMES.join(', ')}), got ["429","teapot"]`,
		],
		[
			{ faultsByEmail: { 'ben@example.com': 'teapot' } },
			`${byEmailProblem}, got {"ben@example.com":"teapot"}`,
		],
		[{ faultsByEmail: { ben: '503' } }, `${byEmailProblem}, got {"ben":"503"}`],
		[{ faultsByEmail: ['503'] }, `${byEmailProblem}, got ["503"]`],
		[{ faultsByEmail: null }, `${byEmailProblem}, got null`],
		[{ rate_429: 0.5 }, /^rate_429 is not a fault setting \(known: latencyMs, /],
	])('%j is refused', (faults, message) => {
		expect(() => sandbox().setFaults(faults as Partial<FaultSettings>)).toThrow(message);
	});

	test('startSandbox refuses them too, before listening', async () => {
		await expect(startSandbox({ faults: { rate500: 2 } })).rejects.toThrow(
			'rate500 must be a number between 0 and 1, got 2',
		);
	});
});
