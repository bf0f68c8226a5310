// Injected faults: what each looks like on the wire, that a faulted request fires nothing (except
// '500-after-fire'), and that the random ones repeat exactly for the same seed.
import { FAULT_NAMES, PROXY_ERROR_PAGE, SANDBOX_CONTACTS, SANDBOX_EVENTS, startSandbox } from '../../sandbox';
import type { FaultSettings, Sandbox } from '../../sandbox';
import { fireEvent } from './http';
import { useSharedSandbox } from './sharedSandbox';

const [ann] = SANDBOX_CONTACTS;
const [webinarJoined] = SANDBOX_EVENTS;
const fireForAnn = (target: Sandbox, init?: RequestInit) => fireEvent(target.url, { contact_id: ann.id, event: webinarJoined.id }, init);

const sandbox = useSharedSandbox();

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
		expect(sandbox().requests().map(({ outcome }) => outcome)).toEqual([`fault:${fault}`, 'success']);
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
		expect(await fireForAnn(sandbox())).toMatchObject({ status: 500, text: '{"status":"error","message":"Internal Server Error"}' });
		expect(sandbox().fired()).toEqual([expect.objectContaining({ seq: 1, contactId: ann.id })]);
		expect(sandbox().requests()[0].outcome).toBe('fault:500-after-fire');
	});

	test('faults apply in queue order; reset() drops what is left', async () => {
		sandbox().setFaults({ queue: ['503', '429', 'error', '500'] });
		const statuses = [(await fireForAnn(sandbox())).status, (await fireForAnn(sandbox())).status];
		expect(statuses).toEqual([503, 429]);
		sandbox().reset();
		expect((await fireForAnn(sandbox())).text).toBe('{"status":"success","message":"The action has been processed"}');
	});
});

describe('hang', () => {
	test('the client gives up; the request is recorded and nothing fired', async () => {
		sandbox().setFaults({ queue: ['hang'] });
		await expect(fireForAnn(sandbox(), { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
		expect(sandbox().requests().map(({ outcome }) => outcome)).toEqual(['fault:hang']);
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
		sandbox().setFaults({ rate429: 0.3, rate503: 0.3, rate500: 0.1, rateNonJson: 0.1, rateError: 0.1, seed: 7 });
		const outcomes = await outcomesOf(sandbox(), 60);
		const successSeqs = sandbox()
			.requests()
			.filter(({ outcome }) => outcome === 'success')
			.map(({ seq }) => seq);
		expect(outcomes.filter((outcome) => outcome.startsWith('fault:')).length).toBeGreaterThan(0);
		expect(sandbox().fired().map(({ seq }) => seq)).toEqual(successSeqs);
	});

	test('a rate of 1 faults every request', async () => {
		sandbox().setFaults({ rate503: 1 });
		expect(await outcomesOf(sandbox(), 5)).toEqual(Array(5).fill('fault:503'));
	});
});

describe('fault settings are checked', () => {
	test.each([
		[{ rate429: 1.5 }, 'rate429 must be a number between 0 and 1, got 1.5'],
		[{ rateHang: -0.1 }, 'rateHang must be a number between 0 and 1, got -0.1'],
		[{ rate429: 0.6, rate503: 0.6 }, 'the fault rates add up to 1.2, more than 1'],
		[{ latencyMs: '100' }, 'latencyMs must be a number of milliseconds, 0 or more, got "100"'],
		[{ retryAfterSeconds: 1.5 }, 'retryAfterSeconds must be a whole number of seconds, 0 or more, got 1.5'],
		[{ seed: 'abc' }, 'seed must be an integer, got "abc"'],
		[{ queue: ['429', 'teapot'] }, `queue must be a list of fault names (${FAULT_NAMES.join(', ')}), got ["429","teapot"]`],
		[{ rate_429: 0.5 }, /^rate_429 is not a fault setting \(known: latencyMs, /],
	])('%j is refused', (faults, message) => {
		expect(() => sandbox().setFaults(faults as Partial<FaultSettings>)).toThrow(message);
	});

	test('startSandbox refuses them too, before listening', async () => {
		await expect(startSandbox({ faults: { rate500: 2 } })).rejects.toThrow('rate500 must be a number between 0 and 1, got 2');
	});
});
