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

/** `count` requests accepted, started evenly over the second before now. */
function acceptedOverLastSecond(pace: AccountPace, time: ReturnType<typeof clock>, count: number) {
	for (let i = 0; i < count; i++) pace.accepted(time.now() - 1_000 + (i * 1_000) / count);
}

describe('AccountPace', () => {
	test('until Platformly refuses a request, holds nothing back', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		for (let i = 0; i < 1_000; i++) {
			expect(pace.reserveStart()).toBe(0);
			pace.accepted(time.now());
			time.advance(1);
		}
	});

	test('after a 429, spaces starts at 95 % of the rate accepted in the second before it', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 40);
		pace.refused(time.now());
		// 0.95 × 40 = 38 per second.
		for (const gap of gaps(reservedStarts(pace, time, 4))) expect(gap).toBeCloseTo(1_000 / 38, 1);
	});

	test('a 429 to a request sent before the pace was lowered lowers it no further', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 40);
		const sentBefore = time.now() - 10;
		pace.refused(time.now());
		time.advance(5);
		pace.refused(sentBefore);
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / 38, 1);
	});

	test('a later 429 lowers the pace again, never raising it to a higher accepted rate', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 40);
		pace.refused(time.now());
		time.advance(2_000);
		acceptedOverLastSecond(pace, time, 60);
		pace.refused(time.now());
		// min(38, 60) × 0.95 = 36.1 per second.
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / 36.1, 1);
	});

	test('grows by 0.5 % a second while it holds requests back, not while idle', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 100);
		pace.refused(time.now());
		// An idle minute: the pace stays at 95 per second.
		time.advance(60_000);
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / 95, 1);
		// Ten seconds of requests waiting for it: about 1.005^10 × 95.
		const busy = reservedStarts(pace, time, 1_000);
		const lastGap = gaps(busy).at(-1)!;
		expect(1_000 / lastGap).toBeGreaterThan(95 * 1.05);
		expect(1_000 / lastGap).toBeLessThan(95 * 1.06);
	});

	test('never goes below one request a second, even when nothing was accepted', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		pace.refused(time.now());
		expect(gaps(reservedStarts(pace, time, 3))).toEqual([1_000, 1_000]);
	});

	test('a pause Platformly asked for restarts the schedule at its end', () => {
		const time = clock();
		const gate = new AccountGate(time.now);
		acceptedOverLastSecond(gate.pace, time, 20);
		gate.pace.refused(time.now());
		// Starts reserved ahead, then a pause of 1 s: the next start is at its end, not after them.
		for (let i = 0; i < 5; i++) gate.pace.reserveStart();
		gate.pauseFor(1_000);
		const pauseEnd = time.now() + 1_000;
		expect(gate.pace.reserveStart()).toBe(1_000);
		time.advance(1_000);
		expect(time.now()).toBe(pauseEnd);
		expect(gate.pace.reserveStart()).toBeCloseTo(1_000 / 19, 6);
	});

	test('against a token bucket of 50 a second, refusals stop once the pace is learned', () => {
		const time = clock();
		const gate = new AccountGate(time.now);
		// Platformly's side: 50 tokens a second, at most 50 kept; a 429 says Retry-After: 1.
		let tokens = 50;
		let filledAt = time.now();
		const arrives = () => {
			tokens = Math.min(50, tokens + ((time.now() - filledAt) * 50) / 1_000);
			filledAt = time.now();
			if (tokens < 1) return false;
			tokens--;
			return true;
		};
		// A sender with more work than the limit allows: a request every 2 ms unless held back.
		const refusedAt: number[] = [];
		let accepted = 0;
		const end = time.now() + 60_000;
		while (time.now() < end) {
			time.advance(Math.max(2, gate.pauseRemainingMs() + gate.pace.reserveStart()));
			const startedAt = time.now();
			if (arrives()) {
				accepted++;
				gate.pace.accepted(startedAt);
			} else {
				refusedAt.push(startedAt - end + 60_000);
				gate.pace.refused(startedAt);
				gate.pauseFor(1_000);
			}
		}
		// Finding the limit costs a few refusals; afterwards they come one at a time, far apart.
		expect(refusedAt.filter((at) => at < 2_000)).toHaveLength(1);
		expect(refusedAt.filter((at) => at >= 2_000).length).toBeLessThanOrEqual(3);
		// Held a little under the limit, the account still sent over 90 % of what it allows.
		expect(accepted).toBeGreaterThan((50 + 50 * 60) * 0.9);
	});
});

describe('AccountGateRegistry with a learned pace', () => {
	test('keeps a pace for ten minutes after the last 429, then lets the gate go', () => {
		const time = clock();
		const registry = new AccountGateRegistry(time.now);
		const first = registry.join('account');
		first.gate.pace.refused(time.now());
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
