import { AccountGate } from '../../nodes/Platformly/transport/accountGate';
import { RunPacer } from '../../nodes/Platformly/transport/pacer';

/** A clock that only moves when the code under test sleeps, so waits are exact and instant. */
function fakeTime() {
	let now = 1_000;
	const sleeps: number[] = [];
	return {
		now: () => now,
		sleeps,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
		/** A request that takes `ms` of this clock's time. */
		requestTaking: (ms: number) => async () => {
			now += ms;
		},
	};
}

/** One execution's pacer, with its own account's gate (no other execution shares it). */
function pacerFor(
	time: ReturnType<typeof fakeTime>,
	maxRequestsPerSecond: number,
	concurrency: number,
) {
	return new RunPacer(
		{ maxRequestsPerSecond, concurrency },
		new AccountGate(time.now),
		time.sleep,
		time.now,
	);
}

/** Starts `count` requests through the pacer, one after another, and returns when each started. */
async function startTimes(pacer: RunPacer, now: () => number, count: number): Promise<number[]> {
	const starts: number[] = [];
	for (let i = 0; i < count; i++) {
		await pacer.waitToStart();
		starts.push(now());
	}
	return starts;
}

describe('RunPacer', () => {
	test('without a rate limit, lets every request start at once', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 0, 1);
		for (let i = 0; i < 5; i++) await pacer.waitToStart();
		expect(time.sleeps).toEqual([]);
	});

	test('spaces request starts by 1.15 s ÷ the rate: room for n8n to send some more slowly than others', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 4, 1);
		expect(await startTimes(pacer, time.now, 5)).toEqual([1_000, 1_287.5, 1_575, 1_862.5, 2_150]);
	});

	test('before any request has finished, lets concurrent requests start at once', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 0, 10);
		expect(await startTimes(pacer, time.now, 3)).toEqual([1_000, 1_000, 1_000]);
	});

	test('spaces concurrent starts by 0.8 × the median request time ÷ the concurrency', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 0, 10);
		for (const ms of [20, 25, 30]) await pacer.timed(time.requestTaking(ms));
		// Median 25 ms at concurrency 10: 2 ms apart.
		expect(await startTimes(pacer, time.now, 3)).toEqual([1_075, 1_077, 1_079]);
	});

	test('waits shorter than a millisecond are owed, not slept', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 0, 10);
		await pacer.timed(time.requestTaking(6.25));
		// 0.5 ms apart: every second start owes a whole millisecond and waits for it.
		expect(await startTimes(pacer, time.now, 5)).toEqual([
			1_006.25, 1_006.25, 1_007.25, 1_007.25, 1_008.25,
		]);
		expect(time.sleeps).toEqual([1, 1]);
	});

	test('one slow request does not slow the spacing down', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 0, 10);
		for (const ms of [20, 20, 30_000, 20, 20]) await pacer.timed(time.requestTaking(ms));
		const [first, second] = await startTimes(pacer, time.now, 2);
		expect(second - first).toBeCloseTo(1.6);
	});

	test('keeps only the most recent 32 request times', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 0, 10);
		for (let i = 0; i < 40; i++) await pacer.timed(time.requestTaking(1_000));
		for (let i = 0; i < 32; i++) await pacer.timed(time.requestTaking(50));
		const [first, second] = await startTimes(pacer, time.now, 2);
		expect(second - first).toBeCloseTo(4);
	});

	test('at concurrency 1 the requests space themselves: no extra wait', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 0, 1);
		await pacer.timed(time.requestTaking(100));
		expect(await startTimes(pacer, time.now, 3)).toEqual([1_100, 1_100, 1_100]);
	});

	test('a rate limit wider than the spacing wins', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 10, 10);
		await pacer.timed(time.requestTaking(20));
		// 1.15 s ÷ 10: 115 ms, wider than the 2 ms the median request time would give.
		expect(await startTimes(pacer, time.now, 3)).toEqual([1_020, 1_135, 1_250]);
	});

	test('holds every request back while paused, and a later pause extends it', async () => {
		const time = fakeTime();
		const pacer = pacerFor(time, 0, 1);
		pacer.pauseFor(500);
		pacer.pauseFor(200);
		await pacer.waitToStart();
		expect(time.now()).toBe(1_500);
	});
});
