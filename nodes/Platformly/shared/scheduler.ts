import * as workflow from 'n8n-workflow';

export type Sleep = (ms: number) => Promise<void>;

type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * A wait that ends early, by rejecting, when the execution is cancelled. n8n 2.x takes the signal
 * in `sleep`; n8n 1.x in `sleepWithAbort`, its `sleep` ignoring a second argument.
 */
export function cancellableSleep(signal: AbortSignal | undefined): Sleep {
	const library = workflow as unknown as { sleepWithAbort?: AbortableSleep; sleep: AbortableSleep };
	const sleep = library.sleepWithAbort ?? library.sleep;
	return async (ms) => {
		signal?.throwIfAborted();
		if (ms > 0) await sleep(ms, signal);
	};
}

/**
 * Decides when the next request may start: no sooner than the rate limit allows, and not while
 * Platformly has asked everyone to hold off.
 */
export class RequestGate {
	private nextSlotAt = 0;

	private pausedUntil = 0;

	constructor(
		private readonly maxRequestsPerSecond: number,
		private readonly sleep: Sleep,
		private readonly now: () => number = Date.now,
	) {}

	pauseFor(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
	}

	async waitForTurn(): Promise<void> {
		// A pause can be extended by another request while this one waits, so look again after each wait.
		while (this.now() < this.pausedUntil) {
			await this.sleep(this.pausedUntil - this.now());
		}
		if (this.maxRequestsPerSecond <= 0) return;
		const now = this.now();
		const slot = Math.max(now, this.nextSlotAt);
		this.nextSlotAt = slot + 1000 / this.maxRequestsPerSecond;
		await this.sleep(slot - now);
	}
}

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
