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
	for (let i = 0; i < count; i++) pace.onAccepted(time.now() - 1_000 + (i * 1_000) / count);
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

	test('after a 429, spaces starts at 97 % of the rate accepted in the second before it', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 40);
		pace.onRefused(time.now());
		// 0.97 × 40 = 38.8 per second.
		for (const gap of gaps(reservedStarts(pace, time, 4))) expect(gap).toBeCloseTo(1_000 / 38.8, 1);
	});

	test('a 429 to a request sent before the pace was lowered lowers it no further', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 40);
		const sentBefore = time.now() - 10;
		pace.onRefused(time.now());
		time.advance(5);
		pace.onRefused(sentBefore);
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / 38.8, 1);
	});

	test('429s soon after the pace was lowered, before a second of requests at it, lower it no further', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 40);
		pace.onRefused(time.now());
		for (let i = 0; i < 10; i++) {
			time.advance(pace.reserveStart());
			pace.onAccepted(time.now());
		}
		pace.onRefused(time.now());
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / 38.8, 1);
	});

	test('a 429 long after the lowering stopped them lowers the pace again, from where it is', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 40);
		pace.onRefused(time.now());
		// 20 s at 25 a second, below the pace: nothing refused, nothing held back, so no growth.
		for (let i = 0; i < 500; i++) {
			time.advance(40);
			pace.reserveStart();
			pace.onAccepted(time.now());
		}
		pace.onRefused(time.now());
		// min(38.8, the 24 to 26 accepted in the last second, as its 50 ms bins count) × 0.97.
		const rate = 1_000 / gaps(reservedStarts(pace, time, 2))[0];
		expect(rate).toBeGreaterThan(24 * 0.97 - 1e-6);
		expect(rate).toBeLessThan(26 * 0.97 + 1e-6);
	});

	test('429s as frequent after the lowering as before drop the pace, and set none for a minute', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		// One request in ten refused, whatever the pace: a server refusing at random.
		let sent = 0;
		const send = () => {
			time.advance(Math.max(5, pace.reserveStart()));
			if (++sent % 10 === 0) pace.onRefused(time.now());
			else pace.onAccepted(time.now());
		};
		while (sent < 200) send();
		// Lowered at the first 429, dropped at the first one after the trial: nothing held back now.
		expect(pace.reserveStart()).toBe(0);
		const droppedAt = time.now();
		while (time.now() < droppedAt + 55_000) send();
		expect(pace.reserveStart()).toBe(0);
		// A minute on, a 429 sets a pace again.
		time.advance(10_000);
		acceptedOverLastSecond(pace, time, 40);
		pace.onRefused(time.now());
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / 38.8, 1);
	});

	test('grows while it holds requests back, slowly at first, and not while idle', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 100);
		pace.onRefused(time.now());
		// About ten seconds of requests waiting for it: 0.25 % a second, doubling every 20 s, is
		// about 3 % in all.
		const busy = reservedStarts(pace, time, 1_000);
		const rateAfter = 1_000 / gaps(busy).at(-1)!;
		expect(rateAfter / 97).toBeGreaterThan(1.02);
		expect(rateAfter / 97).toBeLessThan(1.04);
		// An idle minute: the pace has not moved.
		time.advance(60_000);
		pace.reserveStart();
		expect(1_000 / gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(rateAfter, 0);
	});

	test('a 429 when fewer than 5 requests were accepted in the second before sets no pace', () => {
		const time = clock();
		const pace = new AccountPace(time.now);
		acceptedOverLastSecond(pace, time, 4);
		pace.onRefused(time.now());
		expect(pace.reserveStart()).toBe(0);
		pace.onAccepted(time.now());
		pace.onRefused(time.now());
		expect(gaps(reservedStarts(pace, time, 2))[0]).toBeCloseTo(1_000 / (5 * 0.97), 1);
	});

	test('a pause Platformly asked for restarts the schedule at its end', () => {
		const time = clock();
		const gate = new AccountGate(time.now);
		acceptedOverLastSecond(gate.pace, time, 20);
		gate.pace.onRefused(time.now());
		// Starts reserved ahead, then a pause of 1 s: the next start is at its end, not after them.
		for (let i = 0; i < 5; i++) gate.pace.reserveStart();
		gate.pauseFor(1_000);
		const pauseEnd = time.now() + 1_000;
		expect(gate.pace.reserveStart()).toBe(1_000);
		time.advance(1_000);
		expect(time.now()).toBe(pauseEnd);
		expect(gate.pace.reserveStart()).toBeCloseTo(1_000 / 19.4, 6);
	});

	test.each([
		['with Retry-After: 1', 1_000],
		["without Retry-After (the node's first backoff)", 200],
	])(
		'against a token bucket of 50 a second, %s, 429s become rare once the pace is learned',
		(_, pauseMs) => {
			const time = clock();
			const gate = new AccountGate(time.now);
			// Platformly's side: 50 tokens a second, at most 50 kept.
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
			const started = time.now();
			while (time.now() < started + 60_000) {
				time.advance(Math.max(2, gate.pauseRemainingMs() + gate.pace.reserveStart()));
				const startedAt = time.now();
				if (arrives()) {
					accepted++;
					gate.pace.onAccepted(startedAt);
				} else {
					refusedAt.push(startedAt - started);
					gate.pace.onRefused(startedAt);
					gate.pauseFor(pauseMs);
				}
			}
			// Finding the limit costs a refusal or two; afterwards about one comes in ten seconds.
			expect(refusedAt.filter((at) => at < 2_000).length).toBeLessThanOrEqual(2);
			expect(refusedAt.filter((at) => at >= 2_000).length).toBeLessThanOrEqual(7);
			// Held a little under the limit, the account still sent 90 % of what it allows, or more.
			expect(accepted).toBeGreaterThan((50 + 50 * 60) * 0.9);
		},
	);
});

describe('AccountGateRegistry with a learned pace', () => {
	test('keeps a pace for ten minutes after the last 429, then lets the gate go', () => {
		const time = clock();
		const registry = new AccountGateRegistry(time.now);
		const first = registry.join('account');
		acceptedOverLastSecond(first.gate.pace, time, 40);
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
