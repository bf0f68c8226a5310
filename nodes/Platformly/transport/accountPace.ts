/** What Platformly accepted is measured over this span at a first 429: limits are per second. */
const WINDOW_MS = 1_000;
/**
 * How far back the pace looks for an earlier 429 to measure the limit from. Within a few seconds,
 * both 429s are about the same rate; a 429 after a longer quiet is measured like a first one.
 */
const HISTORY_MS = 5_000;
/** The shortest span between two 429s that the limit is measured over. */
const MIN_SPAN_MS = 500;
const BIN_MS = 25;
/**
 * Time the pace would have let requests start but none did (the account sent less than the pace
 * allows): once this much has gone unused since the last 429, Platformly's allowance may have
 * filled up and spilt over, so what it accepted across that time says less than its limit.
 */
const SLACK_MS = 1_000;
/**
 * The share of the rate measured that the pace holds to after a 429: measured between two 429s,
 * it is the limit; measured over the second before a first one, it may hold a burst as well.
 */
const HOLD_SHARE = 0.98;
const FIRST_HOLD_SHARE = 0.95;
/**
 * How fast the pace grows while it holds requests back: slowly for GROWTH_PLATEAU_MS after it was
 * lowered, so that 429s stay rare near the rate Platformly last refused; then faster and faster,
 * doubling every PROBE_DOUBLING_MS, up to doubling itself in a second, so that a limit that has
 * risen, or a share of it another process has left (queue mode's workers), is found in seconds.
 */
const GROWTH_PER_SECOND = 0.0025;
const GROWTH_PLATEAU_MS = 8_000;
const PROBE_GROWTH_PER_SECOND = 0.01;
const PROBE_DOUBLING_MS = 1_000;
/**
 * After lowering the pace to a measured limit, how many accepted requests show whether that stopped
 * the 429s: a second's worth at the new pace, and at least this many.
 */
const MIN_TRIAL_REQUESTS = 20;
/**
 * When lowering the pace did not stop the 429s (at least this many came, and at least half as
 * often as before), they are not about this account's rate: the pace is dropped and 429s do not
 * set one for IGNORE_AFTER_FAILED_TRIAL_MS.
 */
const MIN_REFUSED_TO_DROP = 3;
const IGNORE_AFTER_FAILED_TRIAL_MS = 60_000;
/**
 * A 429 sets a pace only when Platformly accepted at least this many of the account's requests in
 * the second before: fewer show no rate to hold to (the first request of a run refused, or the
 * limit used up by another client of the account), and the 429's pause is enough.
 */
const MIN_ACCEPTED_TO_LOWER = 5;
/** A pace not lowered for this long is dropped once the account is idle (AccountGate.isIdle). */
const PACE_MEMORY_MS = 10 * 60_000;
/** One bin more than the history: the bins of its two ends must not share a slot. */
const BIN_COUNT = HISTORY_MS / BIN_MS + 1;

/** Requests, counted by when they started, in BIN_MS bins over the last HISTORY_MS. */
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

	/** Those started from `from` to before `to` (as far back as HISTORY_MS reaches), to the BIN_MS. */
	between(from: number, to: number): number {
		const [firstBin, endBin] = [Math.floor(from / BIN_MS), Math.floor(to / BIN_MS)];
		let count = 0;
		for (let slot = 0; slot < BIN_COUNT; slot++) {
			const bin = this.bins[slot];
			if (bin >= firstBin && bin < endBin) count += this.counts[slot];
		}
		return count;
	}

	/** Where the bin of the earliest one started from `from` on begins; undefined if there is none. */
	earliestFrom(from: number): number | undefined {
		const firstBin = Math.floor(from / BIN_MS);
		let earliest: number | undefined;
		for (let slot = 0; slot < BIN_COUNT; slot++) {
			const bin = this.bins[slot];
			if (bin >= firstBin && this.counts[slot] > 0 && (earliest === undefined || bin < earliest)) {
				earliest = bin;
			}
		}
		return earliest === undefined ? undefined : earliest * BIN_MS;
	}
}

/** The rate Platformly accepted, and whether it was measured between two 429s. */
interface Measured {
	rate: number;
	/** Where the span began: an earlier 429's start (its bin's), if there was one to measure from. */
	spanFrom: number | undefined;
}

/**
 * What Platformly answered before the pace was last lowered to a measured limit, and after it
 * first accepted a request started at the new pace: a rate limit may still refuse the requests
 * sent before its bucket has a token again, but not once it has accepted one at a pace below it.
 */
interface Trial {
	/** Requests started from here to the lowering count as "before". */
	from: number;
	before: { accepted: number; refused: number };
	/** The start of the first request accepted at the new pace; "after" counts from there. */
	settledFrom: number | undefined;
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
 * Until Platformly first answers 429 there is no pace and nothing is held back. A 429 means that,
 * as it arrived, the account had used up what Platformly allows; so what Platformly accepted
 * between two 429s is what it allows in that time, without the burst it may let through after a
 * lull. At a 429 with no earlier one to measure from, the pace becomes a share of what Platformly
 * accepted in the second before, burst and all (better than nothing); at one MIN_SPAN_MS to
 * HISTORY_MS after an earlier one, with no slack between, a little less than what it accepted
 * since. Then the pace grows while it holds requests back, to find out whether the limit was
 * higher: the next 429 sets it again. 429s that keep coming as often after the pace was lowered to
 * a measured limit are not about the rate (a server refusing at random, or another client of the
 * account): they drop the pace instead of lowering it further.
 */
export class AccountPace {
	/** Requests per second; undefined while there is no pace. */
	private rate: number | undefined;

	/** Whether the pace was set from a span between 429s, not from the second before the first. */
	private setFromSpan = false;

	private nextStartAt = 0;

	/** When the pace last grew, or last held nobody back, or a pause ends. */
	private grownAt = 0;

	/** When the pace was last lowered: 429s to requests started before then are already counted. */
	private loweredAt = Number.NEGATIVE_INFINITY;

	private trial: Trial | undefined;

	/** Time the pace left unused since the last 429, and when it last passed SLACK_MS. */
	private unusedMs = 0;

	private slackAt = Number.NEGATIVE_INFINITY;

	private lastReservedAt = Number.NEGATIVE_INFINITY;

	private ignoreUntil = Number.NEGATIVE_INFINITY;

	private readonly accepted = new StartCounts();

	private readonly refused = new StartCounts();

	constructor(private readonly now: () => number = Date.now) {}

	/** Reserves the next start for one request; returns how long it must wait for it. */
	reserveStart(): number {
		const now = this.now();
		// A request, the first after SLACK_MS without one: whether or not there is a pace, the
		// account has had slack.
		if (now - this.lastReservedAt >= SLACK_MS) this.slackAt = now;
		this.lastReservedAt = now;
		if (this.rate === undefined) return 0;
		if (this.nextStartAt > now) {
			if (now > this.grownAt) this.grow(now);
		} else {
			this.unusedMs += now - this.nextStartAt;
			if (this.unusedMs >= SLACK_MS) this.slackAt = now;
		}
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
		// Platformly's allowance was used up as the request arrived: nothing was left to spill.
		this.unusedMs = 0;
		this.refused.add(startedAt);
		this.countInTrial(startedAt, 'refused');
		const now = this.now();
		if (startedAt < this.loweredAt || now < this.ignoreUntil) return;
		if (this.accepted.between(startedAt - WINDOW_MS, startedAt) < MIN_ACCEPTED_TO_LOWER) return;
		// A pace set from the second before a first 429 stands until a span can be measured.
		if (this.rate !== undefined && !this.setFromSpan && startedAt - this.loweredAt < MIN_SPAN_MS) {
			return;
		}
		const trial = this.trial;
		if (trial && this.rate !== undefined) {
			// Too early to tell whether lowering the pace stopped the 429s.
			if (trial.after.accepted < Math.max(MIN_TRIAL_REQUESTS, this.rate)) return;
			const { after, before } = trial;
			if (after.refused >= MIN_REFUSED_TO_DROP && refusedShare(after) >= refusedShare(before) / 2) {
				this.drop(now);
				return;
			}
		}
		this.lower(startedAt, now, this.measure(startedAt));
	}

	/**
	 * A pause Platformly asked for ends at `at`: no start is before it. Starts reserved for after it
	 * stand, as their requests, waking after the pause, go without waiting again; those reserved
	 * within it are reserved anew by their requests, which wake in the pause.
	 */
	restartAt(at: number): void {
		this.nextStartAt = Math.max(this.nextStartAt, at);
		this.grownAt = Math.max(this.grownAt, at);
	}

	/**
	 * Whether there is nothing worth keeping: no pace and no 429s being ignored, or a pace long
	 * unchanged.
	 */
	isForgotten(): boolean {
		const now = this.now();
		if (this.rate === undefined) return now >= this.ignoreUntil;
		return now - this.loweredAt > PACE_MEMORY_MS;
	}

	/**
	 * The rate Platformly accepted before `at`, a refused request's start: since the earliest 429
	 * within HISTORY_MS and after the account last had slack, when that is MIN_SPAN_MS or more
	 * before; otherwise in the second before.
	 */
	private measure(at: number): Measured {
		const spanFrom = this.refused.earliestFrom(Math.max(at - HISTORY_MS, this.slackAt));
		if (spanFrom !== undefined && at - spanFrom >= MIN_SPAN_MS) {
			return { rate: (this.accepted.between(spanFrom, at) * 1_000) / (at - spanFrom), spanFrom };
		}
		return {
			rate: (this.accepted.between(at - WINDOW_MS, at) * 1_000) / WINDOW_MS,
			spanFrom: undefined,
		};
	}

	private lower(startedAt: number, now: number, measured: Measured): void {
		this.rate =
			Math.min(this.rate ?? Number.POSITIVE_INFINITY, measured.rate) *
			(measured.spanFrom === undefined ? FIRST_HOLD_SHARE : HOLD_SHARE);
		this.setFromSpan = measured.spanFrom !== undefined;
		this.trial =
			measured.spanFrom === undefined
				? undefined
				: {
						from: measured.spanFrom,
						before: {
							accepted: this.accepted.between(measured.spanFrom, startedAt),
							refused: this.refused.between(measured.spanFrom, startedAt),
						},
						settledFrom: undefined,
						after: { accepted: 0, refused: 0 },
					};
		// Starts reserved at the pace before stand: their requests will not wait again.
		this.loweredAt = now;
		this.grownAt = now;
	}

	private drop(now: number): void {
		this.rate = undefined;
		this.setFromSpan = false;
		this.trial = undefined;
		this.ignoreUntil = now + IGNORE_AFTER_FAILED_TRIAL_MS;
	}

	private grow(now: number): void {
		const rate = this.rate!;
		const grownMs = Math.min(now - this.grownAt, WINDOW_MS);
		const sinceLowered = now - this.loweredAt;
		const perSecond =
			sinceLowered < GROWTH_PLATEAU_MS
				? GROWTH_PER_SECOND
				: Math.min(
						1,
						PROBE_GROWTH_PER_SECOND * 2 ** ((sinceLowered - GROWTH_PLATEAU_MS) / PROBE_DOUBLING_MS),
					);
		this.rate = rate * (1 + (perSecond * grownMs) / 1_000);
	}

	/**
	 * Counts an answer for the trial of the last lowering, which it came after: by its request's
	 * start, "before" the lowering (a late answer, which the lowering could not count) or "after"
	 * Platformly first accepted one at the new pace.
	 */
	private countInTrial(startedAt: number, outcome: 'accepted' | 'refused'): void {
		const trial = this.trial;
		if (!trial || startedAt < trial.from) return;
		if (startedAt < this.loweredAt) {
			trial.before[outcome]++;
			return;
		}
		if (trial.settledFrom === undefined && outcome === 'accepted') trial.settledFrom = startedAt;
		if (trial.settledFrom !== undefined && startedAt >= trial.settledFrom) trial.after[outcome]++;
	}
}
