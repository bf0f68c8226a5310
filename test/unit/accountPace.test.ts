import { AccountGate, AccountGateRegistry } from '../../nodes/Platformly/transport/accountGate';
import { AccountPace } from '../../nodes/Platformly/transport/accountPace';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
	let now = start;
	return {
		now: () => now,
		advance: (ms: number) => {
			now += ms;
		},
	};
}

/** Reserves `count` starts in a row, each taken as soon as reserved; returns their times. */
function reservedStarts(pace: AccountPace, time: ReturnType<typeof clock>, count: number) {
	const starts: number[] = [];
	for (let i = 0; i < count; i++) {
		const waitMs = pace.reserveStart();
		time.advance(waitMs);
		starts.push(time.now());
	}
	return starts;
}

/** Gaps between consecutive times. */
const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]);

/**
 * `count` requests started evenly over the next second, before there is a pace (none is held back),
 * and accepted; the clock is then a second on.
 */
function acceptedOverASecond(pace: AccountPace, time: ReturnType<typeof clock>, count: number) {
	const end = time.now() + 1_000;
	for (let i = 0; i < count; i++) {
		expect(pace.reserveStart()).toBe(0);
		pace.onAccepted(time.now());
		time.advance(1_000 / count);
	}
	time.advance(end - time.now());
}

describe('AccountPace', () => {
	test('until Platformly refuses a request, holds nothing back', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		for (let i = 0; i < 1_000; i++) {
			expect(pace.reserveStart()).toBe(0);
			pace.onAccepted(time.now());
			time.advance(1);
		}
	});

	test('at a first 429, spaces starts at 95 % of the rate accepted in the second before it', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverASecond(pace, time, 40);
		pace.onRefused(time.now());
		// 0.95 × 40 = 38 per second.
		for (const gap of gaps(reservedStarts(pace, time, 4))) expect(gap).toBeCloseTo(1_000 / 38, 1);
	});

	test('a 429 to a request sent before the pace was lowered lowers it no further', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverASecond(pace, time, 40);
		const sentBefore = time.now() - 10;
		pace.onRefused(time.now());
		time.advance(5);
		pace.onRefused(sentBefore);
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / 38, 1);
	});

	test('429s within half a second of the first keep the pace set from the second before it', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverASecond(pace, time, 40);
		pace.onRefused(time.now());
		for (const [index, startedAt] of reservedStarts(pace, time, 19).entries()) {
			if (index % 2 === 0) pace.onAccepted(startedAt);
			else pace.onRefused(startedAt);
		}
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / 38, 1);
	});

	test('a 429 half a second or more after the first holds to what Platformly accepted between them, without the burst it let through before', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		// A full bucket spent at once, then 429s.
		acceptedOverASecond(pace, time, 100);
		const firstRefused = time.now();
		pace.onRefused(firstRefused);
		// At the pace set from that second (95 a second), Platformly accepts two in five.
		const starts = reservedStarts(pace, time, 60);
		for (const [index, startedAt] of starts.entries()) {
			if (index % 5 < 2) pace.onAccepted(startedAt);
			else pace.onRefused(startedAt);
		}
		// The refusals count from the one that came half a second or more after the first.
		const measuredAt = starts.find((at, index) => index % 5 >= 2 && at - firstRefused >= 500)!;
		const acceptedBetween = starts.filter((at, index) => index % 5 < 2 && at < measuredAt).length;
		const measured = (acceptedBetween * 1_000) / (measuredAt - firstRefused);
		// As the pace counts them, to 25 ms: within a request or so of the test's count.
		const rate = 1_000 / gaps(reservedStarts(pace, time, 2))[0];
		expect(rate / 0.98).toBeGreaterThan(measured - 2);
		expect(rate / 0.98).toBeLessThan(measured + 2);
	});

	test('after lowering the pace to a measured limit, 429s before a second of requests accepted at it lower it no further', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverASecond(pace, time, 40);
		pace.onRefused(time.now());
		// Half a second at 39.2 a second, all accepted, then a 429: measured at 20 in 0.5 s.
		for (const startedAt of reservedStarts(pace, time, 20)) pace.onAccepted(startedAt);
		time.advance(pace.reserveStart());
		pace.onRefused(time.now());
		const interval = gaps(reservedStarts(pace, time, 2))[0];
		for (const startedAt of reservedStarts(pace, time, 10)) pace.onAccepted(startedAt);
		time.advance(pace.reserveStart());
		pace.onRefused(time.now());
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(interval, 0);
	});

	test('a 429 after the account sent below its pace for a while measures from the second before it, not across that while', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverASecond(pace, time, 40);
		pace.onRefused(time.now());
		// 20 s at 25 a second, below the pace (39.2): Platformly's allowance may have filled up and
		// spilt over meanwhile, so what it accepted since that 429 says less than its limit.
		for (let i = 0; i < 500; i++) {
			time.advance(40);
			pace.reserveStart();
			pace.onAccepted(time.now());
		}
		pace.onRefused(time.now());
		// min(38, the 24 to 26 accepted in the last second, as its bins count) × 0.95.
		const rate = 1_000 / gaps(reservedStarts(pace, time, 2))[0];
		expect(rate).toBeGreaterThan(24 * 0.95 - 1e-6);
		expect(rate).toBeLessThan(26 * 0.95 + 1e-6);
	});

	test('when lowering the pace to a measured limit leaves 429s as frequent, drops it and sets none for a minute', () => {
		let drawn = 0;
		// One request in ten refused, whatever the pace: a server refusing at random.
		const { gate, time } = simulate({
			concurrency: 10,
			pauseMs: 250,
			admit: () => ++drawn % 10 !== 0,
			durationMs: 55_000,
		});
		expect(gate.pace.reserveStart()).toBe(0);
		// A minute on, a 429 sets a pace again.
		time.advance(10_000);
		acceptedOverASecond(gate.pace, time, 40);
		gate.pace.onRefused(time.now());
		expect(gaps(reservedStarts(gate.pace, time, 2))[0]).toBeCloseTo(1_000 / 38, 1);
	});

	test('grows while it holds requests back: slowly for 8 s after it was lowered, then faster and faster; not while idle', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverASecond(pace, time, 100);
		const loweredAt = time.now();
		pace.onRefused(loweredAt);
		// 95 % of 100 to start with; 0.25 % a second for 8 s is about 2 %.
		const rateAt = (ms: number) => {
			while (time.now() < loweredAt + ms) time.advance(pace.reserveStart());
			return 1_000 / gaps(reservedStarts(pace, time, 2))[0];
		};
		const afterPlateau = rateAt(8_000);
		expect(afterPlateau / 95).toBeGreaterThan(1.019);
		expect(afterPlateau / 95).toBeLessThan(1.021);
		// Then 1 % a second, doubling every second: about 4 % more in 2 s, twice in 6 s.
		expect(rateAt(10_000) / afterPlateau).toBeGreaterThan(1.04);
		expect(rateAt(10_000) / afterPlateau).toBeLessThan(1.05);
		expect(rateAt(14_000) / afterPlateau).toBeGreaterThan(2);
		// An idle minute: the pace has not moved.
		const beforeIdle = rateAt(14_000);
		time.advance(60_000);
		pace.reserveStart();
		const afterIdle = 1_000 / gaps(reservedStarts(pace, time, 2))[0];
		expect(afterIdle / beforeIdle).toBeLessThan(1.01);
	});

	test('a 429 when fewer than 5 requests were accepted in the second before sets no pace', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverASecond(pace, time, 4);
		pace.onRefused(time.now());
		expect(pace.reserveStart()).toBe(0);
		pace.onAccepted(time.now() - 1);
		pace.onRefused(time.now());
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / (5 * 0.95), 1);
	});

	test('no start falls in a pause Platformly asked for; starts reserved past its end stand', () => {
		const time = clock();
		const gate = new AccountGate(time.now);
		acceptedOverASecond(gate.pace, time, 50);
		gate.pace.onRefused(time.now());
		const interval = 1_000 / 47.5;
		// Five starts reserved ahead (the last 4 intervals from now), then a pause of 1 s: the next
		// start is at its end.
		for (let i = 0; i < 5; i++) gate.pace.reserveStart();
		gate.pauseFor(1_000);
		expect(gate.pace.reserveStart()).toBe(1_000);
		time.advance(1_000);
		expect(gate.pace.reserveStart()).toBeCloseTo(interval, 6);
		// A pause of 10 ms, shorter than the starts already reserved: the next comes after them.
		const reservedUntil = time.now() + 2 * interval;
		gate.pauseFor(10);
		expect(gate.pace.reserveStart()).toBeCloseTo(reservedUntil - time.now(), 6);
	});

	test.each([
		['Concurrency 10, with Retry-After: 1', 10, 1_000],
		['Concurrency 50, with Retry-After: 1', 50, 1_000],
		["Concurrency 10, without Retry-After (the node's first backoff)", 10, 250],
		["Concurrency 50, without Retry-After (the node's first backoff)", 50, 250],
	])(
		'against a token bucket of 50 a second, %s: 429s become rare once the pace is learned',
		(_, concurrency, pauseMs) => {
			const bucket = tokenBucket(50, 50);
			const result = simulate({ concurrency, pauseMs, admit: bucket.admit });
			// Finding the limit costs the requests in flight when the bucket first ran dry, and a
			// second round at the pace set from the second before (burst and all); then the pace,
			// probing for a higher limit, meets a 429 about every five seconds.
			expect(result.refusedAt.filter((at) => at < 5_000).length).toBeLessThanOrEqual(
				2 * concurrency,
			);
			expect(result.refusedAt.filter((at) => at >= 5_000).length).toBeLessThanOrEqual(12);
			// Held a little under the limit, the account still sent 95 % of what the bucket allows.
			expect(result.accepted).toBeGreaterThan((50 + 50 * 60) * 0.95);
		},
	);

	test.each([
		['with Retry-After: 1, starting together', 1_000, 0],
		['with Retry-After: 1, the second a second later', 1_000, 1_000],
		["without Retry-After (the node's first backoff), starting together", 250, 0],
		["without Retry-After (the node's first backoff), the second a second later", 250, 1_000],
	])(
		'two processes (queue mode) sharing a token bucket of 50 a second, %s, 1,000 requests each: both done within 1.25 times what the bucket allows, under 6 % refused',
		(_, pauseMs, laterProcessDelayMs) => {
			const bucket = tokenBucket(50, 50);
			const result = simulate({
				concurrency: 10,
				pauseMs,
				admit: bucket.admit,
				processes: 2,
				laterProcessDelayMs,
				items: 1_000,
				durationMs: 120_000,
			});
			// Whichever process Platformly refuses first holds to the share it got; once the other is
			// done, its pace grows to the whole limit within seconds.
			for (const { finishedAt } of result.workers) expect(finishedAt).toBeLessThan(40_000 * 1.25);
			expect(result.refusedAt.length).toBeLessThan(2_000 * 0.06);
		},
	);

	test('429s at random, one request in ten, whatever the rate: the pace costs no more than 10 % of what is sent', () => {
		let drawn = 0;
		// Every tenth request refused, as a server refusing at random would, over a minute.
		const everyTenth = () => ++drawn % 10 !== 0;
		const paced = simulate({ concurrency: 10, pauseMs: 250, admit: everyTenth });
		drawn = 0;
		const unpaced = simulate({ concurrency: 10, pauseMs: 250, admit: everyTenth, tellPace: false });
		expect(paced.accepted).toBeGreaterThan(unpaced.accepted * 0.9);
	});
});

/** Platformly's side of a rate limit: `perSecond` tokens a second, at most `burst` kept, read at `now()`. */
function tokenBucket(perSecond: number, burst: number) {
	let tokens = burst;
	let filledAt: number | undefined;
	return {
		admit(now: number) {
			tokens = Math.min(burst, tokens + ((now - (filledAt ?? now)) * perSecond) / 1_000);
			filledAt = now;
			if (tokens < 1) return false;
			tokens--;
			return true;
		},
	};
}

/**
 * A minute (`durationMs`) of a bulk run against one account, on a fake clock, as the sender goes
 * about it: `concurrency` requests at a time, each waiting out the account's pause, then its pace
 * (and the pause again, which a 429 may have set meanwhile), answered `LATENCY_MS` after it starts;
 * a 429 pauses the account for `pauseMs`. `tellPace: false` leaves the pace out, for comparison.
 * With `processes`, as many n8n processes (queue mode's workers) share the account, each with its
 * gate and `concurrency`, and each with `items` to send, after which it stops; all but the first
 * start `laterProcessDelayMs` later.
 * Returns what the account accepted, when the refused requests started, each process's gate and
 * when it finished, and the clock as the run left it.
 */
function simulate({
	concurrency,
	pauseMs,
	admit,
	tellPace = true,
	durationMs = 60_000,
	processes = 1,
	laterProcessDelayMs = 0,
	items = Number.POSITIVE_INFINITY,
}: {
	concurrency: number;
	pauseMs: number;
	admit: (now: number) => boolean;
	tellPace?: boolean;
	durationMs?: number;
	processes?: number;
	laterProcessDelayMs?: number;
	items?: number;
}) {
	const LATENCY_MS = 30;
	const time = clock();
	const started = time.now();
	const workers = Array.from({ length: processes }, () => ({
		gate: new AccountGate(time.now),
		accepted: 0,
		inFlight: 0,
		finishedAt: undefined as number | undefined,
	}));
	type Sender = { worker: (typeof workers)[number] } & (
		| { state: 'ready' | 'paced'; at: number }
		| { state: 'in flight'; at: number; startedAt: number; admitted: boolean }
	);
	const senders: Sender[] = workers.flatMap((worker, w) =>
		Array.from({ length: concurrency }, (): Sender => ({
			worker,
			state: 'ready',
			at: started + (w > 0 ? laterProcessDelayMs : 0),
		})),
	);
	const refusedAt: number[] = [];
	for (;;) {
		const index = senders.reduce((next, sender, i) => (sender.at < senders[next].at ? i : next), 0);
		const sender = senders[index];
		if (sender.at >= started + durationMs) break;
		time.advance(sender.at - time.now());
		const now = time.now();
		const { worker } = sender;
		const { gate } = worker;
		if (sender.state === 'in flight') {
			worker.inFlight--;
			if (sender.admitted) {
				worker.accepted++;
				if (worker.accepted === items) worker.finishedAt = now - started;
				if (tellPace) gate.pace.onAccepted(sender.startedAt);
			} else {
				refusedAt.push(sender.startedAt - started);
				if (tellPace) gate.pace.onRefused(sender.startedAt);
				gate.pauseFor(pauseMs);
			}
			senders[index] = { worker, state: 'ready', at: now };
			continue;
		}
		if (worker.accepted + worker.inFlight >= items) {
			senders[index] = { worker, state: 'ready', at: Number.POSITIVE_INFINITY };
			continue;
		}
		const pausedMs = gate.pauseRemainingMs();
		if (pausedMs > 0) {
			senders[index] = { worker, state: 'ready', at: now + pausedMs };
			continue;
		}
		const paceMs = sender.state === 'ready' && tellPace ? gate.pace.reserveStart() : 0;
		if (paceMs > 0) {
			senders[index] = { worker, state: 'paced', at: now + paceMs };
			continue;
		}
		worker.inFlight++;
		senders[index] = {
			worker,
			state: 'in flight',
			at: now + LATENCY_MS,
			startedAt: now,
			admitted: admit(now),
		};
	}
	const accepted = workers.reduce((sum, { accepted }) => sum + accepted, 0);
	return { accepted, refusedAt, workers, gate: workers[0].gate, time };
}

describe('AccountGateRegistry with a learned pace', () => {
	test('keeps a pace for ten minutes after the last 429, then lets the gate go', () => {
		const time = clock();
		const registry = new AccountGateRegistry(time.now);
		const first = registry.join('account');
		acceptedOverASecond(first.gate.pace, time, 40);
		first.gate.pace.onRefused(time.now());
		first.leave();
		time.advance(9 * 60_000);
		const second = registry.join('account');
		expect(second.gate).toBe(first.gate);
		second.leave();
		time.advance(60_001);
		const third = registry.join('account');
		expect(third.gate).not.toBe(first.gate);
		third.leave();
	});
});
