import { forEachConcurrently } from '../../nodes/Platformly/helpers/concurrency';

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
