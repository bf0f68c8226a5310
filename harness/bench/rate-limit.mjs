// @ts-check
// What the benchmark's rate-limit cases share, in one n8n process (harness/scripts/bench.mjs) and in
// queue mode (harness/queue/bench.mjs): the sandbox's token bucket, what a row of the table holds,
// how a run is counted against the items it was given, and the table.
import { formatDuration } from '../progress.mjs';

/**
 * @typedef {import('../stand-ins/sandbox.mjs').Sandbox} Sandbox
 *
 * One rate-limit case as measured (and as docs/benchmark.json keeps it).
 * @typedef {object} RateLimitRow
 * @property {string} label
 * @property {boolean} retryAfter whether the sandbox's 429s carried Retry-After
 * @property {number} itemCount
 * @property {number} durationMs the node's execution time; in queue mode, first call to last end
 * @property {number} ratio durationMs ÷ (itemCount ÷ the limit)
 * @property {number} requests
 * @property {number} refused requests answered 429
 * @property {number} ok items the node output as fired (for the HTTP Request node, events fired)
 * @property {number} lost items whose event never fired
 * @property {number} doubled items whose event fired more than once
 */

/** The sandbox's token bucket: requests a second per API key, and as many at once after a lull. */
export const RATE_LIMIT_PER_SECOND = 50;
export const RATE_LIMIT_BURST = 50;
export const RATE_LIMIT_LATENCY_MS = 30;
export const RATE_LIMIT_ITEMS = Number(process.env.BENCH_RATE_LIMIT_ITEMS ?? 2000);
// Queue mode splits the items between two executions.
if (!Number.isSafeInteger(RATE_LIMIT_ITEMS) || RATE_LIMIT_ITEMS < 2 || RATE_LIMIT_ITEMS % 2 !== 0) {
	throw new Error(
		`BENCH_RATE_LIMIT_ITEMS must be an even whole number, 2 or more, got ${process.env.BENCH_RATE_LIMIT_ITEMS}`,
	);
}

/**
 * The sandbox's settings for a rate-limit case.
 * @param {boolean} retryAfter
 */
export function rateLimitFaults(retryAfter) {
	return {
		latencyMs: RATE_LIMIT_LATENCY_MS,
		rateLimitPerSecond: RATE_LIMIT_PER_SECOND,
		rateLimitBurst: RATE_LIMIT_BURST,
		rateLimitRetryAfter: retryAfter,
	};
}

/**
 * Counts one run from the sandbox's records: each of `emails` should have had its event fired once.
 * @param {Sandbox} sandbox
 * @param {string[]} emails the items', one each
 * @returns {Pick<RateLimitRow, 'requests' | 'refused' | 'lost' | 'doubled'>}
 */
export function countAgainstLimit(sandbox, emails) {
	/** @type {Map<string, number>} */
	const firedPerEmail = new Map();
	for (const { email } of sandbox.fired()) {
		firedPerEmail.set(email, (firedPerEmail.get(email) ?? 0) + 1);
	}
	const requests = sandbox.requests();
	return {
		requests: requests.length,
		refused: requests.filter(({ outcome }) => outcome === 'fault:429').length,
		lost: emails.filter((email) => !firedPerEmail.has(email)).length,
		doubled: emails.filter((email) => (firedPerEmail.get(email) ?? 0) > 1).length,
	};
}

/**
 * The shortest time the limit allows for `itemCount` requests, in ms: N ÷ limit.
 * @param {number} itemCount
 */
export function limitFloorMs(itemCount) {
	return (itemCount / RATE_LIMIT_PER_SECOND) * 1000;
}

/**
 * The rate-limit cases as a markdown table.
 * @param {RateLimitRow[]} rows
 */
export function rateLimitMarkdownTable(rows) {
	const percent = (/** @type {number} */ part, /** @type {number} */ whole) =>
		`${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;
	const lines = [
		`Under a rate limit nobody published: the sandbox holds the key to a token bucket of ${RATE_LIMIT_PER_SECOND} requests a second ` +
			`(${RATE_LIMIT_BURST} at once after a lull), answering ${RATE_LIMIT_LATENCY_MS} ms after each request and 429 beyond the bucket. ` +
			'Time is against N ÷ limit, the least the limit allows; one run each.',
		'',
		'| Case | Retry-After | Items | Time | Time ÷ (N ÷ limit) | Requests | Answered 429 | Items ok | Lost | Doubled |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
		...rows
			.map((row) =>
				[
					row.label,
					row.retryAfter ? 'yes' : 'no',
					row.itemCount.toLocaleString('en-US'),
					formatDuration(row.durationMs),
					`${row.ratio.toFixed(2)}×`,
					row.requests.toLocaleString('en-US'),
					`${row.refused} (${percent(row.refused, row.requests)})`,
					row.ok.toLocaleString('en-US'),
					row.lost,
					row.doubled,
				].join(' | '),
			)
			.map((cells) => `| ${cells} |`),
	];
	return lines.join('\n');
}
