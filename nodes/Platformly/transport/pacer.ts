import type { AccountGate } from './accountGate';
import type { Sleep } from './waits';

/** Whether a request may start now, and how long it sat in Platformly's pauses to get there. */
export interface PacedStart {
	ok: boolean;
	pausedMs: number;
}

/**
 * Max Requests per Second spaces starts as if a second lasted this long. The limit is about what
 * Platformly sees arrive, and n8n's own part of sending a request varies: measured here, the first
 * request of an n8n process took 57 to 80 ms more to reach the server than the next ones, so six
 * requests started 200 ms apart arrived within 920 ms, one too many for a server counting arrivals
 * per second. The 150 ms more leave room for that, at the cost of sending at 1 ÷ 1.15 of the rate.
 */
const RATE_LIMIT_WINDOW_MS = 1_150;

/** How many recent request times the pacing looks at; their median ignores the odd slow one. */
const PACING_SAMPLE_SIZE = 32;

/**
 * The share of (median request time ÷ concurrency) kept between two request starts. Below 1, so
 * the spacing alone never lowers throughput below what the concurrency limit allows.
 */
const PACING_SHARE = 0.8;

/**
 * Decides when the next request of one execution may start: no sooner than the rate limit allows,
 * not while Platformly has asked the account to hold off (a pause kept in the account's gate,
 * shared by every execution in the process), and a little apart from the previous start.
 *
 * That last spacing is what keeps concurrent requests fast. n8n spends about a millisecond of CPU
 * on each request, on its single thread. When several answers arrive together, n8n handles them
 * and prepares their follow-up requests one after another, and those requests then go out, and come
 * back, together again: every request waits for the whole group each round. Measured at
 * concurrency 10 and 20 ms latency, that grouping made each request take 30 ms instead of 22.
 * Starts spaced by a share of (request time ÷ concurrency) break the groups up.
 */
export class RunPacer {
	private nextStartAt = 0;

	private readonly recentRequestMs: number[] = [];

	constructor(
		private readonly limits: { maxRequestsPerSecond: number; concurrency: number },
		private readonly account: AccountGate,
		private readonly sleep: Sleep,
		private readonly now: () => number = Date.now,
	) {}

	pauseFor(ms: number): void {
		this.account.pauseFor(ms);
	}

	/** How long from now the pause Platformly asked for still lasts; 0 when there is none. */
	pauseRemainingMs(): number {
		return this.account.pauseRemainingMs();
	}

	/**
	 * Waits until the next request may start: through any pause Platformly asked for, then the
	 * spacing. Gives up (`ok: false`, having taken no turn) as soon as the pause is known to end
	 * after `pauseDeadline`: an item must not sit through a pause that outlasts its wait budget.
	 * `pausedMs` is the time spent in pauses, which the budget counts; the spacing is not a pause.
	 */
	async waitToStart(pauseDeadline = Number.POSITIVE_INFINITY): Promise<PacedStart> {
		let pausedMs = 0;
		// A pause can be extended by another request while this one waits, so look again after each wait.
		while (this.now() < this.account.pauseEndsAt()) {
			if (this.account.pauseEndsAt() > pauseDeadline) return { ok: false, pausedMs };
			const pauseStartedAt = this.now();
			await this.sleep(this.account.pauseEndsAt() - pauseStartedAt);
			pausedMs += this.now() - pauseStartedAt;
		}
		const spacingMs = this.spacingMs();
		if (spacingMs <= 0) return { ok: true, pausedMs };
		const now = this.now();
		const startAt = Math.max(now, this.nextStartAt);
		this.nextStartAt = startAt + spacingMs;
		// A timer cannot wait less than a millisecond: a shorter wait is owed rather than slept, and
		// the schedule catches up at the first start that owes a whole millisecond.
		if (startAt - now >= 1) await this.sleep(startAt - now);
		return { ok: true, pausedMs };
	}

	/** Runs one request and remembers how long it took, for the spacing of later starts. */
	async timed<T>(request: () => Promise<T>): Promise<T> {
		const startedAt = this.now();
		try {
			return await request();
		} finally {
			this.recentRequestMs.push(this.now() - startedAt);
			if (this.recentRequestMs.length > PACING_SAMPLE_SIZE) this.recentRequestMs.shift();
		}
	}

	private spacingMs(): number {
		const { maxRequestsPerSecond, concurrency } = this.limits;
		const rateLimitSpacing =
			maxRequestsPerSecond > 0 ? RATE_LIMIT_WINDOW_MS / maxRequestsPerSecond : 0;
		if (concurrency <= 1 || this.recentRequestMs.length === 0) return rateLimitSpacing;
		const sorted = [...this.recentRequestMs].sort((a, b) => a - b);
		const medianMs = sorted[Math.floor(sorted.length / 2)];
		return Math.max(rateLimitSpacing, (PACING_SHARE * medianMs) / concurrency);
	}
}
