// The rate limit: a token bucket per API key, deciding before any fault and before the action. The
// sandbox here tells time by a clock the tests move themselves, so what the buckets hold depends on
// what each test says, never on how fast the machine runs the requests.
import {
	MESSAGES,
	SANDBOX_API_KEY,
	SANDBOX_CONTACTS,
	SANDBOX_EVENTS,
	startSandbox,
} from '../../sandbox';
import type { FaultSettings, Sandbox } from '../../sandbox';
import { createRateLimiter, normalizeFaults } from '../../sandbox/faults';
import { callPlatformly, fireEvent } from './http';
import type { Answer } from './http';

const [ann] = SANDBOX_CONTACTS;
const [webinarJoined] = SANDBOX_EVENTS;
const TOO_MANY = '{"status":"error","message":"Too Many Requests"}';
const SUCCESS = '{"status":"success","message":"The action has been processed"}';

/** Milliseconds on the sandbox's rate-limit clock; only the tests move it. */
let clockMs = 0;
let sandbox: Sandbox | undefined;
const target = (): Sandbox => {
	if (!sandbox) throw new Error('The sandbox is used outside a test');
	return sandbox;
};

beforeAll(async () => {
	sandbox = await startSandbox({ rateLimitClock: () => clockMs });
});
afterEach(() => {
	target().setFaults({});
	target().reset();
});
afterAll(() => sandbox?.close());

const fireForAnn = () => fireEvent(target().url, { contact_id: ann.id, event: webinarJoined.id });
const fireMany = (count: number) => Promise.all(Array.from({ length: count }, fireForAnn));
const statuses = (answers: Answer[]) => answers.map(({ status }) => status).sort();
const outcomes = () =>
	target()
		.requests()
		.map(({ outcome }) => outcome);

/** One API call with `api_key` as given (left out when undefined). */
const callWithKey = (apiKey: string | undefined) =>
	callPlatformly(target().url, {
		...(apiKey === undefined ? {} : { api_key: apiKey }),
		action: 'profile',
		value: '{}',
	});

describe('a bucket of 5, 10 tokens a second', () => {
	beforeEach(() => {
		clockMs = 1_000;
		target().setFaults({ rateLimitPerSecond: 10, rateLimitBurst: 5 });
	});

	test('8 at once: 5 are answered, 3 refused with 429, Retry-After 1 and no event fired', async () => {
		const answers = await fireMany(8);

		expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
		const refused = answers.filter(({ status }) => status === 429);
		for (const answer of refused) {
			expect(answer.text).toBe(TOO_MANY);
			expect(answer.headers.get('retry-after')).toBe('1');
			expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		}
		for (const answer of answers.filter(({ status }) => status === 200))
			expect(answer.text).toBe(SUCCESS);
		expect([...outcomes()].sort()).toEqual([
			...Array(3).fill('fault:429'),
			...Array(5).fill('success'),
		]);
		const successSeqs = target()
			.requests()
			.filter(({ outcome }) => outcome === 'success')
			.map(({ seq }) => seq);
		expect(
			target()
				.fired()
				.map(({ seq }) => seq),
		).toEqual(successSeqs);
	});

	test('the bucket does not refill while the clock stands; 250 ms give back 2.5 tokens', async () => {
		await fireMany(5);
		expect((await fireForAnn()).status).toBe(429);

		clockMs += 250;
		const after = [await fireForAnn(), await fireForAnn(), await fireForAnn()];
		expect(after.map(({ status }) => status)).toEqual([200, 200, 429]);
		// Half a token is left: it takes 50 ms more, so 1 s, rounded up.
		expect(after[2].headers.get('retry-after')).toBe('1');
		expect(outcomes()).toEqual([
			...Array(5).fill('success'),
			'fault:429',
			'success',
			'success',
			'fault:429',
		]);
		expect(target().fired()).toHaveLength(7);
	});

	test('a quiet spell refills no more than the burst', async () => {
		await fireMany(5);
		clockMs += 60_000;
		expect(statuses(await fireMany(7))).toEqual([200, 200, 200, 200, 200, 429, 429]);
	});
});

test('Retry-After is the whole seconds until a token is back, rounded up', async () => {
	clockMs = 0;
	// A token every 2.5 s.
	target().setFaults({ rateLimitPerSecond: 0.4, rateLimitBurst: 1 });
	expect((await fireForAnn()).status).toBe(200);
	expect((await fireForAnn()).headers.get('retry-after')).toBe('3');
	clockMs += 1_000;
	expect((await fireForAnn()).headers.get('retry-after')).toBe('2');
	clockMs += 1_000;
	expect((await fireForAnn()).headers.get('retry-after')).toBe('1');
	clockMs += 499;
	expect((await fireForAnn()).headers.get('retry-after')).toBe('1');
	clockMs += 1;
	expect((await fireForAnn()).status).toBe(200);
});

test('the burst is the rate rounded up unless given, and the bucket starts full', async () => {
	clockMs = 0;
	target().setFaults({ rateLimitPerSecond: 2.5 });
	expect(statuses(await fireMany(4))).toEqual([200, 200, 200, 429]);
});

test('rateLimitRetryAfter false: the same 429 and body, with no Retry-After header', async () => {
	clockMs = 0;
	target().setFaults({ rateLimitPerSecond: 1, rateLimitBurst: 1, rateLimitRetryAfter: false });
	expect((await fireForAnn()).status).toBe(200);
	const refused = await fireForAnn();
	expect(refused).toMatchObject({ status: 429, text: TOO_MANY });
	expect(refused.headers.has('retry-after')).toBe(false);
	expect(outcomes()).toEqual(['success', 'fault:429']);
});

test('each API key has its own bucket; a request without a key uses the empty key’s', async () => {
	clockMs = 0;
	target().setFaults({ rateLimitPerSecond: 1, rateLimitBurst: 1 });
	const answers = [];
	for (const apiKey of [
		SANDBOX_API_KEY,
		SANDBOX_API_KEY,
		'another-key',
		'another-key',
		'',
		undefined,
	])
		answers.push(await callWithKey(apiKey));

	expect(answers.map(({ status }) => status)).toEqual([200, 429, 200, 429, 200, 429]);
	const invalidKey = `error:${MESSAGES.invalidApiKey}`;
	expect(outcomes()).toEqual([
		'success',
		'fault:429',
		invalidKey,
		'fault:429',
		invalidKey,
		'fault:429',
	]);
});

test('control requests take no token', async () => {
	clockMs = 0;
	target().setFaults({ rateLimitPerSecond: 1, rateLimitBurst: 1 });
	for (let round = 0; round < 3; round++)
		expect((await fetch(`${target().url}/__sandbox/requests`)).status).toBe(200);
	expect((await fireForAnn()).status).toBe(200);
	expect((await fireForAnn()).status).toBe(429);
});

test('setFaults() and reset() start full buckets; reset() keeps the limit', async () => {
	clockMs = 0;
	const limit: Partial<FaultSettings> = { rateLimitPerSecond: 1, rateLimitBurst: 2 };
	target().setFaults(limit);
	expect(statuses(await fireMany(3))).toEqual([200, 200, 429]);

	target().setFaults(limit);
	expect(statuses(await fireMany(3))).toEqual([200, 200, 429]);

	target().reset();
	expect(statuses(await fireMany(3))).toEqual([200, 200, 429]);
	expect(outcomes()).toHaveLength(3);
});

test('a refused request uses up no queued fault; the accepted ones get them in order', async () => {
	clockMs = 0;
	target().setFaults({ rateLimitPerSecond: 1, rateLimitBurst: 1, queue: ['503', 'error'] });
	const first = await fireForAnn();
	const second = await fireForAnn();
	clockMs += 1_000;
	const third = await fireForAnn();
	clockMs += 1_000;
	const fourth = await fireForAnn();

	expect([first, second, third, fourth].map(({ status }) => status)).toEqual([503, 429, 200, 200]);
	expect(outcomes()).toEqual(['fault:503', 'fault:429', 'fault:error', 'success']);
	expect(target().fired()).toEqual([expect.objectContaining({ seq: 4 })]);
});

test('the limit decides on arrival: a refusal still waits out the latency', async () => {
	clockMs = 0;
	target().setFaults({ rateLimitPerSecond: 1, rateLimitBurst: 1, latencyMs: 100 });
	await fireForAnn();
	const started = performance.now();
	const refused = await fireForAnn();
	// A lower bound only: a busy machine makes it longer, never shorter.
	expect(performance.now() - started).toBeGreaterThanOrEqual(95);
	expect(refused.status).toBe(429);
});

test('POST /__sandbox/faults takes the rate limit, and answers the burst it works out to', async () => {
	const response = await fetch(`${target().url}/__sandbox/faults`, {
		method: 'POST',
		body: JSON.stringify({ rateLimitPerSecond: 0.5, rateLimitRetryAfter: false }),
	});
	expect(await response.json()).toMatchObject({
		status: 'ok',
		faults: { rateLimitPerSecond: 0.5, rateLimitBurst: 1, rateLimitRetryAfter: false },
	});
	clockMs = 0;
	expect(statuses(await fireMany(2))).toEqual([200, 429]);
});

describe('with the real clock', () => {
	let real: Sandbox;
	beforeAll(async () => {
		real = await startSandbox();
	});
	afterAll(() => real.close());

	test('limits by performance.now(): a token every 100 s is not back a moment later', async () => {
		real.setFaults({ rateLimitPerSecond: 0.01, rateLimitBurst: 1 });
		const fire = () => fireEvent(real.url, { contact_id: ann.id, event: webinarJoined.id });
		expect((await fire()).status).toBe(200);
		const refused = await fire();
		expect(refused.status).toBe(429);
		// 100 s less the moment since the first: whatever the machine's speed, well above 50.
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
		expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(100);
	});
});

describe('createRateLimiter', () => {
	test('keeps the buckets that are not full when it drops the full ones', () => {
		let now = 0;
		const take = createRateLimiter(
			normalizeFaults({ rateLimitPerSecond: 1, rateLimitBurst: 1 }),
			() => now,
		);
		expect(take('busy')).toEqual({ accepted: true });
		for (let key = 0; key < 2_000; key++) expect(take(`key-${key}`).accepted).toBe(true);
		now += 500;
		// New keys past the sweep point: half-full buckets must survive it.
		for (let key = 2_000; key < 4_000; key++) take(`key-${key}`);
		expect(take('busy')).toEqual({ accepted: false, retryAfterSeconds: 1 });
		expect(take('key-0')).toEqual({ accepted: false, retryAfterSeconds: 1 });
	});

	test('a clock that goes back gives and takes nothing', () => {
		let now = 10_000;
		const take = createRateLimiter(
			normalizeFaults({ rateLimitPerSecond: 1, rateLimitBurst: 1 }),
			() => now,
		);
		expect(take('k').accepted).toBe(true);
		now -= 5_000;
		expect(take('k')).toEqual({ accepted: false, retryAfterSeconds: 1 });
		now += 5_999;
		expect(take('k').accepted).toBe(false);
		now += 1;
		expect(take('k').accepted).toBe(true);
	});

	test('a third of a second at 3 a second gives back a whole token', () => {
		let now = 0;
		const take = createRateLimiter(
			normalizeFaults({ rateLimitPerSecond: 3, rateLimitBurst: 1 }),
			() => now,
		);
		expect(take('k').accepted).toBe(true);
		for (let round = 0; round < 30; round++) {
			now += 1000 / 3;
			expect(take('k').accepted).toBe(true);
			expect(take('k').accepted).toBe(false);
		}
	});
});

describe('rate-limit settings are checked', () => {
	test.each([
		[
			{ rateLimitPerSecond: -1 },
			'rateLimitPerSecond must be a number of requests per second, 0 (no limit) or more, got -1',
		],
		[
			{ rateLimitPerSecond: '10' },
			'rateLimitPerSecond must be a number of requests per second, 0 (no limit) or more, got "10"',
		],
		[
			{ rateLimitPerSecond: Infinity },
			'rateLimitPerSecond must be a number of requests per second, 0 (no limit) or more, got null',
		],
		[
			{ rateLimitPerSecond: 10, rateLimitBurst: 0 },
			'rateLimitBurst must be a whole number of requests, 1 or more, got 0',
		],
		[
			{ rateLimitPerSecond: 10, rateLimitBurst: 2.5 },
			'rateLimitBurst must be a whole number of requests, 1 or more, got 2.5',
		],
		[{ rateLimitRetryAfter: 'no' }, 'rateLimitRetryAfter must be true or false, got "no"'],
		[{ rateLimit: 10 }, /^rateLimit is not a fault setting \(known: .*rateLimitPerSecond, /],
	])('%j is refused', (faults, message) => {
		expect(() => normalizeFaults(faults)).toThrow(message);
		expect(() => target().setFaults(faults as Partial<FaultSettings>)).toThrow(message);
	});

	test.each([
		[{}, { rateLimitPerSecond: 0, rateLimitBurst: 1, rateLimitRetryAfter: true }],
		[{ rateLimitPerSecond: 10 }, { rateLimitBurst: 10 }],
		[{ rateLimitPerSecond: 2.5 }, { rateLimitBurst: 3 }],
		[{ rateLimitPerSecond: 0.2 }, { rateLimitBurst: 1 }],
		[{ rateLimitPerSecond: 10, rateLimitBurst: 50 }, { rateLimitBurst: 50 }],
	])('%j comes out as %j', (faults, expected) => {
		expect(normalizeFaults(faults)).toMatchObject(expected);
	});

	test('startSandbox refuses a clock that is not a function', async () => {
		await expect(startSandbox({ rateLimitClock: 5 as unknown as () => number })).rejects.toThrow(
			'rateLimitClock must be a function, got 5',
		);
	});
});
