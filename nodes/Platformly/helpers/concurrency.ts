/**
 * Runs `task` for indexes 0..count-1 with at most `concurrency` running at once, starting them in
 * order. Once `shouldStop` says so, no further task starts; those running are awaited.
 */
export async function forEachConcurrently(
	count: number,
	concurrency: number,
	task: (index: number) => Promise<void>,
	shouldStop: () => boolean,
): Promise<void> {
	let next = 0;
	async function worker(): Promise<void> {
		while (next < count && !shouldStop()) {
			await task(next++);
		}
	}
	const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker);
	await Promise.all(workers);
}
