/** The span of time the rate Platformly accepts is measured over: its limits are per second. */
const WINDOW_MS = 1_000;
const BIN_MS = 50;
/** One more than a window's worth: the bins of its two ends must not share a slot. */
const BIN_COUNT = WINDOW_MS / BIN_MS + 1;
/** The share of the rate Platformly just accepted that the pace holds to after a 429. */
const HOLD_SHARE = 0.97;
/**
 * How fast the pace grows while it holds requests back: this share of itself per second at
 * first, twice as fast for every GROWTH_DOUBLING_MS since it was last lowered, and never more than
 * doubling in a second. Slow near the rate Platformly last refused, so that 429s stay rare; fast
 * once none came for a while, so that a limit that has risen, or a stray 429, costs little.
 */
const GROWTH_PER_SECOND = 0.0025;
const GROWTH_DOUBLING_MS = 20_000;
/**
 * After lowering the pace, how many accepted requests show whether that stopped the 429s: a
 * second's worth at the new pace, and at least this many.
 */
const MIN_TRIAL_REQUESTS = 20;
/**
 * When lowering the pace did not stop the 429s (they came at least half as often as before),
 * they are not about this account's rate: the pace is dropped and 429s do not set one for this long.
 */
const IGNORE_AFTER_FAILED_TRIAL_MS = 60_000;
/**
 * A 429 lowers the pace only when Platformly accepted at least this many of the account's requests
 * in the second before: fewer show no rate to hold to (the first request of a run refused, or the
 * limit used up by another client of the account), and the 429's pause is enough.
 */
const MIN_ACCEPTED_TO_LOWER = 5;
/** How long 429s must have been coming to measure the limit from what was accepted meanwhile. */
const MIN_REFUSING_MS = 500;
/** A pace not lowered for this long is dropped once the account is idle (AccountGate.isIdle). */
const PACE_MEMORY_MS = 10 * 60_000;

/** Requests Platformly answered, counted by when they started, in BIN_MS bins over WINDOW_MS. */
class StartCounts {
	private readonly counts = new Array<number>(BIN_COUNT).fill(0);

	private readonly bins = new Array<number>(BIN_COUNT).fill(-1);

	add(startedAt: number): void {
		const bin = Math.floor(startedAt / BIN_MS);
		const slot = bin % BIN_COUNT;
		if (this.bins[slot] !== bin) {
			this.bins[slot] = bin;
			this.counts[slot] = 0;
		}
		this.counts[slot]++;
	}

	/** Those started in the WINDOW_MS before `at`, or since. */
	inWindowBefore(at: number): number {
		return this.since(at - WINDOW_MS);
	}

	/** Those started from `from` on (as far back as WINDOW_MS reaches), to the BIN_MS. */
	since(from: number): number {
		const firstBin = Math.floor(from / BIN_MS);
		let count = 0;
		for (let slot = 0; slot < BIN_COUNT; slot++) {
			if (this.bins[slot] >= firstBin) count += this.counts[slot];
		}
		return count;
	}
}

/** What Platformly answered before and after the pace was last lowered. */
interface Trial {
	/** Requests started from here to the lowering count as "before". */
	from: number;
	before: { accepted: number; refused: number };
	after: { accepted: number; refused: number };
}

const refusedShare = ({ accepted, refused }: { accepted: number; refused: number }) =>
	refused / Math.max(1, accepted + refused);

/**
 * The pace at which Platformly accepts one account's requests, learned from its 429s. Platformly
 * publishes no rate limit, so a user cannot set Max Requests per Second right, and finding the
 * limit only by hitting it makes a bulk run send, and be refused, over and over. Kept in the
 * account's gate, so that every run of the account in this process sends at one pace.
 *
 * Until Platformly first answers 429 there is no pace and nothing is held back. At a 429 the pace
 * becomes a little less than the rate Platformly accepted in the second before (never more than it
 * was), then grows slowly while it holds requests back, to find out whether the limit was higher:
 * the next 429 sets it again. 429s that keep coming as often after the pace was lowered are not
 * about the rate (a server refusing at random, or another client of the account): they drop the
 * pace instead of lowering it further.
 */
export class AccountPace {
	/** Requests per second; undefined while there is no pace. */
	private rate: number | undefined;

	private nextStartAt = 0;

	/** When the pace last grew, or last held nobody back, or a pause ends. */
	private grownAt = 0;

	/** When the pace was last lowered: 429s to requests started before then are already counted. */
	private loweredAt = Number.NEGATIVE_INFINITY;

	private trial: Trial | undefined;

	private ignoreUntil = Number.NEGATIVE_INFINITY;

	/** The start of the latest refused request, and of the first of the 429s that came in a row. */
	private lastRefusedStart = Number.NEGATIVE_INFINITY;

	private refusingSince = Number.NEGATIVE_INFINITY;

	private readonly accepted = new StartCounts();

	private readonly refused = new StartCounts();

	constructor(private readonly now: () => number = Date.now) {}

	/** Reserves the next start for one request; returns how long it must wait for it. */
	reserveStart(): number {
		if (this.rate === undefined) return 0;
		const now = this.now();
		if (this.nextStartAt > now && now > this.grownAt) this.grow(now);
		this.grownAt = Math.max(this.grownAt, now);
		const startAt = Math.max(now, this.nextStartAt);
		this.nextStartAt = startAt + 1_000 / this.rate;
		return startAt - now;
	}

	/** Platformly answered, other than with a 429, a request that started at `startedAt`. */
	onAccepted(startedAt: number): void {
		this.accepted.add(startedAt);
		this.countInTrial(startedAt, 'accepted');
	}

	/** Platformly answered 429 to a request that started at `startedAt`. */
	onRefused(startedAt: number): void {
		if (startedAt - this.lastRefusedStart > WINDOW_MS) this.refusingSince = startedAt;
		this.lastRefusedStart = Math.max(this.lastRefusedStart, startedAt);
		this.refused.add(startedAt);
		this.countInTrial(startedAt, 'refused');
		const now = this.now();
		if (startedAt < this.loweredAt || now < this.ignoreUntil) return;
		if (this.accepted.inWindowBefore(startedAt) < MIN_ACCEPTED_TO_LOWER) return;
		const trial = this.trial;
		if (trial && this.rate !== undefined) {
			// Too early to tell whether lowering the pace stopped the 429s.
			if (trial.after.accepted < Math.max(MIN_TRIAL_REQUESTS, this.rate)) return;
			if (refusedShare(trial.after) >= refusedShare(trial.before) / 2) {
				this.drop(now);
				return;
			}
		}
		this.lower(startedAt, now);
	}

	/** A pause Platformly asked for ends at `at`: the next start is then, not after starts reserved before it. */
	restartAt(at: number): void {
		this.nextStartAt = at;
		this.grownAt = Math.max(this.grownAt, at);
	}

	/** Whether there is nothing worth keeping: no pace and no 429s being ignored, or a pace long unchanged. */
	isForgotten(): boolean {
		const now = this.now();
		if (this.rate === undefined) return now >= this.ignoreUntil;
		return now - this.loweredAt > PACE_MEMORY_MS;
	}

	private lower(startedAt: number, now: number): void {
		this.rate =
			Math.min(this.rate ?? Number.POSITIVE_INFINITY, this.acceptedRate(startedAt)) * HOLD_SHARE;
		this.trial = {
			from: startedAt - WINDOW_MS,
			before: {
				accepted: this.accepted.inWindowBefore(startedAt),
				refused: this.refused.inWindowBefore(startedAt),
			},
			after: { accepted: 0, refused: 0 },
		};
		this.loweredAt = now;
		this.grownAt = now;
		this.nextStartAt = now;
	}

	/**
	 * The rate Platformly accepted just before `at`, a refused request's start. While 429s have
	 * been coming for a while, Platformly had no more to give than its limit: what it accepted
	 * since the first of them is that limit, without the burst it let through before.
	 * Otherwise, what it accepted in the second before.
	 */
	private acceptedRate(at: number): number {
		const refusingMs = Math.min(at - this.refusingSince, WINDOW_MS);
		if (refusingMs >= MIN_REFUSING_MS) {
			return (this.accepted.since(at - refusingMs) * 1_000) / refusingMs;
		}
		return (this.accepted.inWindowBefore(at) * 1_000) / WINDOW_MS;
	}

	private drop(now: number): void {
		this.rate = undefined;
		this.trial = undefined;
		this.ignoreUntil = now + IGNORE_AFTER_FAILED_TRIAL_MS;
	}

	private grow(now: number): void {
		const rate = this.rate!;
		const grownMs = Math.min(now - this.grownAt, WINDOW_MS);
		const perSecond = Math.min(
			1,
			GROWTH_PER_SECOND * 2 ** ((now - this.loweredAt) / GROWTH_DOUBLING_MS),
		);
		this.rate = rate * (1 + (perSecond * grownMs) / 1_000);
	}

	/**
	 * Counts an answer for the trial of the last lowering, which it came after: by its request's
	 * start, "after" the lowering or "before" it (a late answer, which the lowering could not count).
	 */
	private countInTrial(startedAt: number, outcome: 'accepted' | 'refused'): void {
		if (!this.trial || startedAt < this.trial.from) return;
		this.trial[startedAt >= this.loweredAt ? 'after' : 'before'][outcome]++;
	}
}
