/**
 * A clock that moves only when told to: `sleep` waits for it, and `advanceTo` moves it from one
 * timer to the next, letting the promise callbacks each timer sets off run before the next one.
 */
export class FakeClock {
	private time = 0;

	private timers: Array<{ at: number; wake(): void }> = [];

	readonly now = (): number => this.time;

	readonly sleep = (ms: number): Promise<void> =>
		new Promise((wake) => this.timers.push({ at: this.time + ms, wake }));

	/** Runs every timer due until `time`, in time order, then stands at `time`. */
	async advanceTo(time: number): Promise<void> {
		await settle();
		for (;;) {
			this.timers.sort((a, b) => a.at - b.at);
			const next = this.timers[0];
			if (!next || next.at > time) break;
			this.timers.shift();
			this.time = next.at;
			next.wake();
			await settle();
		}
		this.time = time;
	}
}

/** Lets every promise callback that can run now run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
