import { forEachConcurrently, RequestGate } from '../../nodes/Platformly/shared/scheduler';

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
	};
}

describe('RequestGate', () => {
	test('without a rate limit, lets every request start at once', async () => {
		const time = fakeTime();
		const gate = new RequestGate(0, time.sleep, time.now);
		for (let i = 0; i < 5; i++) await gate.waitForTurn();
		expect(time.sleeps).toEqual([]);
	});

	test('spaces request starts by 1/rate seconds', async () => {
		const time = fakeTime();
		const gate = new RequestGate(4, time.sleep, time.now);
		const starts: number[] = [];
		for (let i = 0; i < 4; i++) {
			await gate.waitForTurn();
			starts.push(time.now());
		}
		expect(starts).toEqual([1_000, 1_250, 1_500, 1_750]);
	});

	test('holds every request back while paused, and a later pause extends it', async () => {
		const time = fakeTime();
		const gate = new RequestGate(0, time.sleep, time.now);
		gate.pauseFor(500);
		gate.pauseFor(200);
		await gate.waitForTurn();
		expect(time.now()).toBe(1_500);
	});
});

describe('forEachConcurrently', () => {
	test('starts tasks in order and never runs more than the limit at once', async () => {
		let running = 0;
		let mostRunning = 0;
		const started: number[] = [];
		await forEachConcurrently(
			20,
			3,
			async (index) => {
				started.push(index);
				running++;
				mostRunning = Math.max(mostRunning, running);
				await new Promise((resolve) => setImmediate(resolve));
				running--;
			},
			() => false,
		);
		expect(started).toEqual([...Array(20).keys()]);
		expect(mostRunning).toBe(3);
	});

	test('starts nothing more once told to stop', async () => {
		const started: number[] = [];
		await forEachConcurrently(
			10,
			2,
			async (index) => {
				started.push(index);
				await new Promise((resolve) => setImmediate(resolve));
			},
			() => started.length >= 4,
		);
		expect(started).toEqual([0, 1, 2, 3]);
	});
});
