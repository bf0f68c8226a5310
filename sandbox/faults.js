'use strict';

/**
 * Which requests the sandbox should fail, and how, and how long each answer waits. This module only
 * decides; server.js knows what each fault looks like on the wire.
 */

const { isPlainObject } = require('./actions');

/** The random faults, each with the setting that gives its rate. */
const RATE_FAULTS = /** @type {const} */ ([
	['rate429', '429'],
	['rate503', '503'],
	['rate500', '500'],
	['rateNonJson', 'non-json'],
	['rateHang', 'hang'],
	['rateError', 'error'],
]);

/** The faults that only the queue (or faultsByEmail) gives; FaultName says why. */
const QUEUE_ONLY_FAULTS = /** @type {const} */ ([
	'500-after-fire',
	'redirect',
	'trickle',
	'cut-off',
	'empty',
	'error-capitalised',
	'echo-key',
	'huge-message',
]);

/** @typedef {(typeof RATE_FAULTS)[number][1]} RandomFaultName */

/**
 * The faults beyond the random ones are queue-only. '500-after-fire', 'trickle' and 'cut-off' run the
 * action before the answer goes wrong, to reproduce "the event may already have fired"; random ones
 * would make exactly-once checks meaningless. The others each play one particular hostile server,
 * which a test provokes on purpose:
 * - 'redirect': HTTP 307 to `redirectTo`, empty body.
 * - 'trickle': HTTP 200 with the action's answer, chunked, one byte every `trickleMs`.
 * - 'cut-off': HTTP 200 with the content-length of the action's whole answer, then half of it (at
 *   least a byte), then the connection drops.
 * - 'empty': HTTP 200, content-type JSON, empty body.
 * - 'error-capitalised': HTTP 200 `{"status":"Error","message":"Simulated failure"}`.
 * - 'echo-key': HTTP 200 `{"status":"error","message":"Invalid API key: <the api_key sent>
 *   (sent as api_key=<it, form-encoded>)"}`.
 * - 'huge-message': HTTP 200 `{"status":"error","message":"xxx…"}`, the message 8 MiB long.
 * @typedef {RandomFaultName | (typeof QUEUE_ONLY_FAULTS)[number]} FaultName
 */

/**
 * @typedef {object} FaultSettings
 * @property {number} latencyMs Delay before every answer, faulted or not.
 * @property {number} latencyJitterMs Each answer waits a further [0, latencyJitterMs) milliseconds,
 *   drawn afresh for it from `seed`, so that concurrent requests are answered in another order than
 *   they came, the same order for the same seed and arrivals. Default 0.
 * @property {number} holdUntilInFlight API answers wait, before their latency, until this many API
 *   requests are in flight at once; then every held answer goes, and later ones are not held. A test
 *   that asserts a client's concurrency reaches N sets N here, so that reaching it does not depend on
 *   how fast a busy machine sends: no answer can free a slot before all N have arrived. Answers held
 *   5 s go anyway, so that a client that never reaches N shows its lower maximum instead of hanging.
 *   Counted anew by each setFaults() and reset(). Default 0: nothing is held.
 * @property {boolean} wrapPages list_tags and list_segments answer page `p` as page `p mod pageCount`,
 *   so a page past the end is never empty, as from a server whose pages wrap around; a project with
 *   no items still answers `[]`. Default false.
 * @property {number} retryAfterSeconds Sent as `Retry-After` with each 429 fault (the rate limit's
 *   refusals send their own).
 * @property {number} rateLimitPerSecond A token bucket per API key, as a real API limits: tokens come
 *   back at this rate, continuously. Each API request takes one at its arrival, before any fault is
 *   picked (the queue and the random faults are not used up by a refused request) and before the
 *   action runs; one that finds none is refused with a 429 like the '429' fault's, recorded as
 *   'fault:429', and fires nothing. The bucket decides on arrival, before `holdUntilInFlight` and
 *   the latency, which apply to refusals as to any answer. The key is the `api_key` as sent; a
 *   request without one uses the bucket of the empty key. setFaults() and reset() start every
 *   bucket anew, full. Default 0: no limit.
 * @property {number} rateLimitBurst The most tokens a bucket holds, a whole number, 1 or more: how
 *   many requests may come at once after a quiet spell. Left out, it is the rate rounded up (at
 *   least 1), so a bucket holds a second's worth.
 * @property {boolean} rateLimitRetryAfter Whether the rate limit's refusals carry `Retry-After`: the
 *   whole seconds until the key's bucket has a token again, rounded up, at least 1. false sends no
 *   Retry-After at all, as from an API that leaves the client to guess. Default true.
 * @property {string} redirectTo Where a 'redirect' points: an absolute http: or https: URL. Default
 *   `http://127.0.0.1:9/`.
 * @property {number} trickleMs Milliseconds between the bytes of a 'trickle', 1 or more. Default 400.
 * @property {number} rate429
 * @property {number} rate503
 * @property {number} rate500
 * @property {number} rateNonJson HTTP 200 with an HTML proxy error page.
 * @property {number} rateHang Accepted and never answered.
 * @property {number} rateError HTTP 200 `{"status":"error","message":"Simulated failure"}`.
 * @property {number} seed Makes the random faults and the latency jitter reproducible from run to run.
 * @property {FaultName[]} queue Faults for the next API requests, in order, before faultsByEmail and
 *   any rate apply.
 * @property {Record<string, FaultName>} faultsByEmail The fault for every API request whose
 *   `value.email` is exactly the key (as sent: no case or spaces ignored), every time: after the
 *   queue, before any rate. Keys must contain an "@". Default {}.
 */

/**
 * The random faults, then the queue-only ones.
 * @type {readonly FaultName[]}
 */
const FAULT_NAMES = Object.freeze([...RATE_FAULTS.map(([, name]) => name), ...QUEUE_ONLY_FAULTS]);

/** @type {Readonly<FaultSettings>} */
const NO_FAULTS = Object.freeze({
	latencyMs: 0,
	latencyJitterMs: 0,
	holdUntilInFlight: 0,
	wrapPages: false,
	retryAfterSeconds: 1,
	rateLimitPerSecond: 0,
	// What rateLimitBurst is without a rate; normalizeFaults derives it from the rate when left out.
	rateLimitBurst: 1,
	rateLimitRetryAfter: true,
	// The discard port on the loopback, where normally nothing listens: a client that follows the
	// redirect is refused rather than reaching some real server.
	redirectTo: 'http://127.0.0.1:9/',
	trickleMs: 400,
	rate429: 0,
	rate503: 0,
	rate500: 0,
	rateNonJson: 0,
	rateHang: 0,
	rateError: 0,
	seed: 1,
	queue: [],
	faultsByEmail: {},
});

/** Carries the offending setting apart from the reason, so the CLI can name its own flag instead. */
class FaultSettingsError extends Error {
	/**
	 * @param {string | undefined} setting
	 * @param {string} reason
	 */
	constructor(setting, reason) {
		super(setting === undefined ? reason : `${setting} ${reason}`);
		this.name = 'FaultSettingsError';
		this.setting = setting;
		this.reason = reason;
	}
}

/**
 * @param {unknown} raw
 * @returns {raw is number}
 */
function isFiniteNumber(raw) {
	return typeof raw === 'number' && Number.isFinite(raw);
}

/**
 * @param {unknown} raw
 * @returns {raw is FaultName}
 */
function isFaultName(raw) {
	return /** @type {readonly unknown[]} */ (FAULT_NAMES).includes(raw);
}

/**
 * @param {unknown} raw
 * @returns {string | undefined}
 */
function millisecondsProblem(raw) {
	return isFiniteNumber(raw) && raw >= 0
		? undefined
		: 'must be a number of milliseconds, 0 or more';
}

/**
 * @param {unknown} raw
 * @returns {string | undefined}
 */
function rateProblem(raw) {
	return isFiniteNumber(raw) && raw >= 0 && raw <= 1
		? undefined
		: 'must be a number between 0 and 1';
}

/**
 * A Location header a client can follow as it stands; a relative one would test the client's URL
 * resolution rather than its handling of redirects. An automation's post URL must be one too.
 * @param {unknown} raw
 * @returns {raw is string}
 */
function isAbsoluteHttpUrl(raw) {
	return (
		typeof raw === 'string' &&
		URL.canParse(raw) &&
		['http:', 'https:'].includes(new URL(raw).protocol)
	);
}

/** @type {Record<keyof FaultSettings, (raw: unknown) => string | undefined>} */
const PROBLEMS = {
	latencyMs: millisecondsProblem,
	latencyJitterMs: millisecondsProblem,
	holdUntilInFlight: (raw) =>
		Number.isSafeInteger(raw) && /** @type {number} */ (raw) >= 0
			? undefined
			: 'must be a whole number of requests, 0 or more',
	wrapPages: (raw) => (typeof raw === 'boolean' ? undefined : 'must be true or false'),
	retryAfterSeconds: (raw) =>
		Number.isSafeInteger(raw) && /** @type {number} */ (raw) >= 0
			? undefined
			: 'must be a whole number of seconds, 0 or more',
	rateLimitPerSecond: (raw) =>
		isFiniteNumber(raw) && raw >= 0
			? undefined
			: 'must be a number of requests per second, 0 (no limit) or more',
	rateLimitBurst: (raw) =>
		Number.isSafeInteger(raw) && /** @type {number} */ (raw) >= 1
			? undefined
			: 'must be a whole number of requests, 1 or more',
	rateLimitRetryAfter: (raw) => (typeof raw === 'boolean' ? undefined : 'must be true or false'),
	redirectTo: (raw) =>
		isAbsoluteHttpUrl(raw) ? undefined : 'must be an absolute http: or https: URL',
	// Node's timers wait at least 1 ms anyway, so a smaller value would not mean what it says.
	trickleMs: (raw) =>
		isFiniteNumber(raw) && raw >= 1 ? undefined : 'must be a number of milliseconds, 1 or more',
	rate429: rateProblem,
	rate503: rateProblem,
	rate500: rateProblem,
	rateNonJson: rateProblem,
	rateHang: rateProblem,
	rateError: rateProblem,
	seed: (raw) => (Number.isSafeInteger(raw) ? undefined : 'must be an integer'),
	queue: (raw) =>
		Array.isArray(raw) && raw.every(isFaultName)
			? undefined
			: `must be a list of fault names (${FAULT_NAMES.join(', ')})`,
	// A key without an "@" is no contact's address (add_contact refuses one), so it can only be a slip.
	faultsByEmail: (raw) =>
		isPlainObject(raw) &&
		Object.entries(raw).every(([email, name]) => email.includes('@') && isFaultName(name))
			? undefined
			: `must be an object mapping email addresses to fault names (${FAULT_NAMES.join(', ')})`,
};

/**
 * Settings left out fall back to "no faults", so every call describes the whole fault setup and
 * nothing lingers from an earlier one.
 * @param {unknown} [input]
 * @returns {FaultSettings}
 * @throws {FaultSettingsError}
 */
function normalizeFaults(input = {}) {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) {
		throw new FaultSettingsError(undefined, 'fault settings must be a JSON object');
	}
	const settings = { ...NO_FAULTS, ...input };
	for (const [setting, raw] of Object.entries(settings)) {
		if (!Object.hasOwn(PROBLEMS, setting)) {
			throw new FaultSettingsError(
				setting,
				`is not a fault setting (known: ${Object.keys(NO_FAULTS).join(', ')})`,
			);
		}
		const problem = PROBLEMS[/** @type {keyof FaultSettings} */ (setting)](raw);
		if (problem) throw new FaultSettingsError(setting, `${problem}, got ${JSON.stringify(raw)}`);
	}
	const totalRate = RATE_FAULTS.reduce((sum, [setting]) => sum + settings[setting], 0);
	// A single draw per request picks at most one fault, so the rates share the range 0..1.
	if (totalRate > 1 + 1e-9)
		throw new FaultSettingsError(undefined, `the fault rates add up to ${totalRate}, more than 1`);
	// Only when left out: one given is kept, even if the rate changes later (setFaults() takes whole
	// settings, so a caller that spreads the old ones in keeps the old burst).
	const rateLimitBurst = Object.hasOwn(input, 'rateLimitBurst')
		? settings.rateLimitBurst
		: Math.max(1, Math.ceil(settings.rateLimitPerSecond));
	return {
		...settings,
		rateLimitBurst,
		queue: [...settings.queue],
		faultsByEmail: { ...settings.faultsByEmail },
	};
}

/**
 * How the rate limit answers one API request.
 * @typedef {{ accepted: true } | { accepted: false, retryAfterSeconds: number }} RateLimitDecision
 */

/**
 * A bucket holds what a key had at `at`; the tokens that came back since are added when it is next
 * used, so no timer runs.
 * @typedef {object} TokenBucket
 * @property {number} tokens
 * @property {number} at clock milliseconds
 */

/**
 * Tokens are fractional and compared with this slack, so that a wait computed from the rate (say a
 * third of a second at 3/s) gives back the whole token that floating point would leave a hair short.
 */
const TOKEN_SLACK = 1e-9;

/**
 * How many buckets may be kept before the full ones are dropped. One bucket per key: the sandbox
 * meets few keys (one per test account), so this normally never matters. Against a client that
 * sends a new key with every request, only the buckets still refilling are kept, those of the keys
 * seen within burst / rate seconds. A full bucket is just what a new one would be, so dropping it
 * changes no answer.
 */
const BUCKETS_BEFORE_SWEEP = 1_000;

/**
 * @param {FaultSettings} settings
 * @param {() => number} clock milliseconds from a clock that never goes back (performance.now());
 *   a test may pass one it moves itself
 * @returns {(apiKey: string) => RateLimitDecision} takes a token from the key's bucket, when it
 *   has one
 */
function createRateLimiter(settings, clock) {
	const { rateLimitPerSecond: perSecond, rateLimitBurst: burst } = settings;
	if (perSecond === 0) return () => ({ accepted: true });
	const perMs = perSecond / 1000;
	/** @type {Map<string, TokenBucket>} */
	const buckets = new Map();
	let sweepAt = BUCKETS_BEFORE_SWEEP;
	/**
	 * What the bucket holds at `now`. A clock that went back (a test's) gives nothing back, rather
	 * than taking tokens away.
	 * @param {TokenBucket} bucket
	 * @param {number} now
	 */
	const refilled = (bucket, now) =>
		Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
	return (apiKey) => {
		const now = clock();
		let bucket = buckets.get(apiKey);
		if (bucket === undefined) {
			if (buckets.size >= sweepAt) {
				for (const [key, kept] of buckets) if (refilled(kept, now) >= burst) buckets.delete(key);
				sweepAt = Math.max(BUCKETS_BEFORE_SWEEP, 2 * buckets.size);
			}
			bucket = { tokens: burst, at: now };
			buckets.set(apiKey, bucket);
		}
		bucket.tokens = refilled(bucket, now);
		bucket.at = Math.max(bucket.at, now);
		if (bucket.tokens >= 1 - TOKEN_SLACK) {
			bucket.tokens = Math.max(0, bucket.tokens - 1);
			return { accepted: true };
		}
		const secondsToToken = (1 - bucket.tokens) / perSecond;
		return { accepted: false, retryAfterSeconds: Math.max(1, Math.ceil(secondsToToken)) };
	};
}

/**
 * mulberry32: tiny, fast, and good enough to spread faults evenly; the point is reproducibility.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
function mulberry32(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let mixed = Math.imul(state ^ (state >>> 15), state | 1);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * @param {FaultSettings} settings
 * @returns {(email: string | null) => FaultName | null} the fault for the next API request, given the
 *   `value.email` it was sent with (null for none), or null for no fault
 */
function createFaultPicker(settings) {
	const random = mulberry32(settings.seed);
	const queue = [...settings.queue];
	const byEmail = new Map(Object.entries(settings.faultsByEmail));
	return (email) => {
		const queued = queue.shift();
		if (queued !== undefined) return queued;
		const forEmail = email === null ? undefined : byEmail.get(email);
		if (forEmail !== undefined) return forEmail;
		const draw = random();
		let threshold = 0;
		for (const [setting, name] of RATE_FAULTS) {
			threshold += settings[setting];
			if (draw < threshold) return name;
		}
		return null;
	};
}

/**
 * Delays draw from a generator of their own, so that turning jitter on leaves a seed's faults as
 * they were, and a request's fault says nothing about how long its answer waits.
 */
const JITTER_SEED_MIX = 0x9e3779b9;

/**
 * @param {FaultSettings} settings
 * @returns {() => number} the milliseconds the next API answer waits
 */
function createDelayPicker(settings) {
	const random = mulberry32(settings.seed ^ JITTER_SEED_MIX);
	return () => settings.latencyMs + random() * settings.latencyJitterMs;
}

module.exports = {
	FAULT_NAMES,
	FaultSettingsError,
	isAbsoluteHttpUrl,
	normalizeFaults,
	createFaultPicker,
	createDelayPicker,
	createRateLimiter,
};
