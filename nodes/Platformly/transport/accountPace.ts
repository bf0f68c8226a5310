/**
 * How the pace is learned. Platformly answers 429 once an account sends faster than it accepts;
 * just before that, the requests it accepted in the last second show the rate it accepts. The
 * pace holds a little under that rate, so that refusals stop, then grows slowly while requests
 * wait for it, to find out whether the limit was higher (or has risen): the next 429 sets it
 * again. Until the first 429 there is no pace at all.
 */
const RECENT_WINDOW_MS = 1_000;
const BIN_MS = 50;
const BIN_COUNT = RECENT_WINDOW_MS / BIN_MS;
/** The share of the rate Platformly just accepted that the pace holds to after a 429. */
const HOLD_SHARE = 0.95;
/** How fast the pace grows while it holds requests back: this share of itself per second. */
const GROWTH_PER_SECOND = 0.005;
/** No pace goes below this, so that a burst of 429s cannot stall an account for good. */
const MIN_REQUESTS_PER_SECOND = 1;
/** A pace nothing refused for this long is forgotten: the account is idle, or its limit is gone. */
const PACE_MEMORY_MS = 10 * 60_000;

/**
 * The pace at which Platformly accepts one account's requests, learned from its 429s: Platformly
 * publishes no rate limit, so Max Requests per Second cannot be set right by a user, and finding
 * the limit only by hitting it makes a bulk run send, and be refused, over and over. Kept in the
 * account's gate, so every run of the account in this process sends at one pace.
 */
export class AccountPace {
	/** Requests per second; undefined while Platformly has refused nothing. */
	private rate: number | undefined;

	private nextStartAt = 0;

	/** When the pace last grew, or last was not holding anyone back, or a pause ends. */
	private grownAt = 0;

	/** When the pace was last lowered: a 429 to a request started before then is already counted. */
	private loweredAt = Number.NEGATIVE_INFINITY;

	/** Accepted requests by their start, in BIN_MS bins over the last RECENT_WINDOW_MS. */
	private readonly acceptedStarts = new Array<number>(BIN_COUNT).fill(0);

	private readonly binOf = new Array<number>(BIN_COUNT).fill(-1);

	constructor(private readonly now: () => number = Date.now) {}

	/** Reserves the next start for one request; returns how long it must wait for it. */
	reserveStart(): number {
		if (this.rate === undefined) return 0;
		const now = this.now();
		if (this.nextStartAt > now && now > this.grownAt) {
			// Holding requests back: probe whether the account now accepts more.
			const grownMs = Math.min(now - this.grownAt, RECENT_WINDOW_MS);
			this.rate *= 1 + (GROWTH_PER_SECOND * grownMs) / 1_000;
		}
		this.grownAt = Math.max(this.grownAt, now);
		const startAt = Math.max(now, this.nextStartAt);
		this.nextStartAt = startAt + 1_000 / this.rate;
		return startAt - now;
	}

	/** Platformly answered, other than with a 429, a request that started at `startedAt`. */
	accepted(startedAt: number): void {
		const bin = Math.floor(startedAt / BIN_MS);
		const slot = bin % BIN_COUNT;
		if (this.binOf[slot] !== bin) {
			this.binOf[slot] = bin;
			this.acceptedStarts[slot] = 0;
		}
		this.acceptedStarts[slot]++;
	}

	/**
	 * Platformly answered 429 to a request that started at `startedAt`: the pace becomes a share
	 * of what it accepted in the second before that start (never higher than it was). Refusals
	 * of requests sent before the pace was last lowered change nothing more.
	 */
	refused(startedAt: number): void {
		if (startedAt < this.loweredAt) return;
		const acceptedRate =
			(this.acceptedSince(startedAt - RECENT_WINDOW_MS) * 1_000) / RECENT_WINDOW_MS;
		const lowered = Math.min(this.rate ?? Number.POSITIVE_INFINITY, acceptedRate) * HOLD_SHARE;
		this.rate = Math.max(MIN_REQUESTS_PER_SECOND, lowered);
		this.loweredAt = this.now();
		this.grownAt = this.loweredAt;
		this.nextStartAt = this.loweredAt;
	}

	/** A pause Platformly asked for ends at `at`: the next start is then, not after starts reserved before it. */
	restartAt(at: number): void {
		this.nextStartAt = at;
		this.grownAt = Math.max(this.grownAt, at);
	}

	/** Whether there is nothing worth keeping: no pace, or one nothing refused for long. */
	isForgotten(): boolean {
		return this.rate === undefined || this.now() - this.loweredAt > PACE_MEMORY_MS;
	}

	private acceptedSince(from: number): number {
		const firstBin = Math.floor(from / BIN_MS);
		let count = 0;
		for (let slot = 0; slot < BIN_COUNT; slot++) {
			if (this.binOf[slot] >= firstBin) count += this.acceptedStarts[slot];
		}
		return count;
	}
}
