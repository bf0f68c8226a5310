'use strict';

/**
 * A local stand-in for https://api.platform.ly, for development and tests only. It speaks
 * Platformly's protocol (one `POST /`, form fields `api_key`, `action`, `value`), records what it
 * was asked to do, and can be told to fail in the ways a real network does.
 */

const fs = require('node:fs');
const http = require('node:http');
const { finished } = require('node:stream');
const { SANDBOX_API_KEY } = require('./seed');
const { ACTIONS, MESSAGES, errorBody, isPlainObject } = require('./actions');
const { Store } = require('./store');
const { AutomationError, checkAutomation, checkAutomationList } = require('./automations');
const { Deliveries } = require('./deliveries');
const {
	normalizeFaults,
	createFaultPicker,
	createDelayPicker,
	createRateLimiter,
	FaultSettingsError,
} = require('./faults');

/**
 * @typedef {import('./faults').FaultName} FaultName
 * @typedef {import('./faults').FaultSettings} FaultSettings
 * @typedef {import('./seed').Contact} Contact
 * @typedef {import('./store').SandboxState} SandboxState
 * @typedef {import('./automations').AutomationSpec} AutomationSpec
 * @typedef {import('./automations').Automation} Automation
 * @typedef {import('./deliveries').DeliveryRecord} DeliveryRecord
 * @typedef {import('./deliveries').DeliveryJob} DeliveryJob
 */

/**
 * @typedef {object} SandboxOptions
 * @property {number} [port] 0 (the default) picks a free port.
 * @property {string} [host] Defaults to 127.0.0.1.
 * @property {string} [apiKey] Defaults to SANDBOX_API_KEY.
 * @property {Partial<FaultSettings>} [faults]
 * @property {string} [logFile] Gets one JSON line (a FiredEvent) per fired event.
 * @property {AutomationSpec[]} [automations] Registered at the start with ids from 1, in this order,
 *   and registered again by reset(), as the seed data is restored; checked as addAutomation() checks
 *   one, before listening.
 * @property {number} [deliveryTimeoutMs] How long a delivery may take, answer and all, before it is
 *   cut as a 'timeout'. Default 5000.
 * @property {number} [inFlightTimelineLimit] How many in-flight changes inFlightTimeline() keeps, the
 *   latest; a whole number, 1 or more. Default 100,000 (two per request).
 * @property {() => number} [rateLimitClock] What the rate limit (rateLimitPerSecond) tells time by:
 *   milliseconds that never go back. Default `performance.now()`; a test passes a clock it moves
 *   itself, so that what the buckets hold does not depend on how fast the machine is. Nothing else
 *   reads it: the records' times stay the wall clock's.
 */

/**
 * @typedef {object} FiredEvent
 * @property {number} seq The `seq` of the request that fired it.
 * @property {string} at ISO time the request arrived.
 * @property {number} contactId
 * @property {string} email
 * @property {number} event
 * @property {Record<string, unknown> | null} options null when the request sent none.
 */

/**
 * The API key itself is never kept, only whether it matched.
 * @typedef {object} RequestRecord
 * @property {number} seq Counts API requests from 1; control requests are not counted.
 * @property {string} at ISO time the request arrived, to the millisecond; `Date.parse(at)` gives it as
 *   a number.
 * @property {string | null} action
 * @property {string | null} email `value.email` exactly as sent; null when the request sent none, or
 *   not as a string.
 * @property {boolean} apiKeyValid
 * @property {string} outcome 'success', 'error:<message>' or 'fault:<fault name>'. A 'trickle' becomes
 *   'fault:trickle:complete' once its last byte is sent, or 'fault:trickle:client-hung-up' when the
 *   connection closes before that (the client hung up, or close() cut it). A request the rate limit
 *   refused is 'fault:429' too, so that every 429 is counted one way.
 */

/**
 * API requests held open: from their arrival until their answer is written out or their connection
 * closes.
 * @typedef {object} InFlight
 * @property {number} now
 * @property {number} max The most at once since the sandbox started or was last reset.
 */

/**
 * The number of API requests in flight just after one arrived or was done with.
 * @typedef {object} InFlightChange
 * @property {number} at Epoch milliseconds.
 * @property {number} inFlight
 */

/**
 * How the number in flight changed over time: one entry when the sandbox starts or is reset, then
 * one at every arrival and every end, in order.
 * @typedef {object} InFlightTimeline
 * @property {InFlightChange[]} changes
 * @property {number} dropped How many of the oldest changes were dropped to stay within
 *   inFlightTimelineLimit.
 */

/**
 * What `GET /__sandbox/deliveries?settled=1` answers.
 * @typedef {object} SettledDeliveries
 * @property {boolean} settled false when the deliveries had not settled after 10 s; `deliveries` is
 *   then what there is.
 * @property {DeliveryRecord[]} deliveries
 */

/**
 * What startSandbox resolves to.
 * @typedef {object} Sandbox
 * @property {string} url e.g. http://127.0.0.1:38411, the Base URL to give the Platformly credential.
 * @property {number} port
 * @property {string} apiKey
 * @property {() => FiredEvent[]} fired In arrival order.
 * @property {() => RequestRecord[]} requests In arrival order.
 * @property {() => SandboxState} state A copy of what the sandbox knows now; the same as
 *   `GET /__sandbox/state` answers.
 * @property {() => InFlight} inFlight The same as `GET /__sandbox/in-flight` answers, for a sandbox in
 *   another process.
 * @property {() => InFlightTimeline} inFlightTimeline A copy; the same as
 *   `GET /__sandbox/in-flight/timeline` answers.
 * @property {(faults: Partial<FaultSettings>) => void} setFaults Replaces every fault setting; those
 *   left out mean "no fault". The rate limit's buckets start anew, full.
 * @property {(spec: AutomationSpec) => Automation} addAutomation Registers an automation, as
 *   `POST /__sandbox/automations` does, and returns it. Throws an error whose message names the bad
 *   field (the route answers 400 with it).
 * @property {() => Automation[]} automations In id order; the same as `GET /__sandbox/automations`
 *   answers.
 * @property {() => DeliveryRecord[]} deliveries In start order; the same as
 *   `GET /__sandbox/deliveries` answers. A record in flight is completed in place once its answer (or
 *   failure) comes; read again to see it.
 * @property {() => Promise<void>} deliveriesSettled Resolves once every delivery started so far is
 *   done: those whose API answer is still being written, those queued and those in flight.
 *   `GET /__sandbox/deliveries?settled=1` waits likewise, for at most 10 s.
 * @property {() => void} reset Forgets the records and the fault queue, restores the seed data and the
 *   automations given to startSandbox (forgetting those added since), cuts the deliveries queued or
 *   in flight and forgets them, starts the in-flight maximum and timeline again from the requests
 *   open now, and fills the rate limit's buckets; the other fault settings stay.
 * @property {() => Promise<void>} close Also cuts hanging, trickling and keep-alive connections, and
 *   the deliveries queued or in flight (recorded with the error 'sandbox closed'), so it returns
 *   promptly.
 */

/**
 * @typedef {object} Reply
 * @property {number} statusCode
 * @property {Record<string, string>} headers
 * @property {string} body
 * @property {Delivery} [delivery] how a misbehaving server sends the body; left out, it goes whole
 *
 * @typedef {'complete' | 'client-hung-up'} TrickleEnding
 * @typedef {{ kind: 'trickle', byteMs: number, noteEnding: (ending: TrickleEnding) => void } | { kind: 'cut-off' }} Delivery
 *
 * @callback FaultReply
 * @param {FaultSettings} settings
 * @param {import('./actions').ActionAnswer | undefined} answer what the action answered, for the faults in FAULTS_AFTER_ACTION
 * @param {(ending: TrickleEnding) => void} noteEnding completes the request's outcome once a 'trickle' has ended
 * @param {ApiRequest} request what the client sent, for the faults that repeat it
 * @returns {Reply | null}
 *
 * @typedef {object} ApiRequest
 * @property {boolean} formEncoded
 * @property {string | null} apiKey
 * @property {string | null} action
 * @property {Record<string, unknown> | undefined} value the `value` field parsed, when it is a JSON object
 */

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * @param {number} statusCode
 * @param {unknown} payload
 * @param {Record<string, string>} [headers]
 * @returns {Reply}
 */
function jsonReply(statusCode, payload, headers = {}) {
	return {
		statusCode,
		headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
		body: JSON.stringify(payload),
	};
}

/** 8 MiB: far more than any message a client should pass on whole. */
const HUGE_MESSAGE_CHARS = 8 * 1024 * 1024;

/** The body of a 'non-json' fault. */
const PROXY_ERROR_PAGE =
	'<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

/** @returns {Reply} */
function internalServerError() {
	return jsonReply(500, errorBody('Internal Server Error'));
}

/**
 * The faults that let the action run before the answer goes wrong, so that the event fires and the
 * store changes just as for a success: the client cannot tell from what it got whether they did.
 * @type {ReadonlySet<FaultName>}
 */
const FAULTS_AFTER_ACTION = new Set(['500-after-fire', 'trickle', 'cut-off']);

/**
 * What the '429' fault and the rate limit's refusals send.
 * @param {number | undefined} retryAfterSeconds left out, no Retry-After header is sent
 * @returns {Reply}
 */
function tooManyRequests(retryAfterSeconds) {
	return jsonReply(
		429,
		errorBody('Too Many Requests'),
		retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
	);
}

/**
 * What each injected fault looks like to the client; null means no answer at all.
 * @type {Record<FaultName, FaultReply>}
 */
const FAULT_REPLIES = {
	429: (settings) => tooManyRequests(settings.retryAfterSeconds),
	503: () => jsonReply(503, errorBody('Service Unavailable')),
	500: internalServerError,
	'500-after-fire': internalServerError,
	// Proxies and captive portals do answer 200 with a page like this; a client cannot trust the status alone.
	'non-json': () => ({
		statusCode: 200,
		headers: { 'content-type': 'text/html; charset=utf-8' },
		body: PROXY_ERROR_PAGE,
	}),
	hang: () => null,
	error: () => jsonReply(200, errorBody(MESSAGES.simulatedFailure)),
	// 307 keeps the method and body: a client that follows it sends the form, API key and all, to redirectTo.
	redirect: (settings) => ({
		statusCode: 307,
		headers: { location: settings.redirectTo },
		body: '',
	}),
	trickle: (settings, answer, noteEnding) => ({
		...jsonReply(200, answer),
		delivery: { kind: 'trickle', byteMs: settings.trickleMs, noteEnding },
	}),
	'cut-off': (_settings, answer) => ({ ...jsonReply(200, answer), delivery: { kind: 'cut-off' } }),
	// Servers and proxies that have nothing to say do this; JSON.parse('') throws a bare SyntaxError.
	empty: () => ({ statusCode: 200, headers: { 'content-type': JSON_CONTENT_TYPE }, body: '' }),
	// A status compared with 'error' exactly reads this failure as a success.
	'error-capitalised': () =>
		jsonReply(200, { status: 'Error', message: MESSAGES.simulatedFailure }),
	// Servers do quote what they were sent; a client must not pass the key on from there.
	'echo-key': (_settings, _answer, _noteEnding, request) =>
		jsonReply(
			200,
			errorBody(
				`Invalid API key: ${request.apiKey} (sent as ${new URLSearchParams({ api_key: request.apiKey ?? '' })})`,
			),
		),
	'huge-message': () => jsonReply(200, errorBody('x'.repeat(HUGE_MESSAGE_CHARS))),
};

/**
 * @param {string | undefined} contentType
 * @param {string} body
 * @returns {ApiRequest}
 */
function parseApiRequest(contentType, body) {
	const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (mediaType !== 'application/x-www-form-urlencoded') {
		return { formEncoded: false, apiKey: null, action: null, value: undefined };
	}
	const form = new URLSearchParams(body);
	return {
		formEncoded: true,
		apiKey: form.get('api_key'),
		action: form.get('action'),
		value: parseJsonObject(form.get('value')),
	};
}

/**
 * @param {string | null} raw
 * @returns {Record<string, unknown> | undefined}
 */
function parseJsonObject(raw) {
	try {
		const parsed = JSON.parse(raw ?? '');
		return isPlainObject(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Every failure, even a body that is not form encoded, is answered Platformly's way: HTTP 200 with
 * status "error". A 415 would be more RESTful, but Platformly's clients only ever branch on the body,
 * and a node that works against the sandbox must handle exactly that shape.
 * @param {ApiRequest} request
 * @param {string} apiKey
 * @param {import('./actions').ActionContext} context
 * @returns {import('./actions').ActionAnswer}
 */
function answerApiRequest(request, apiKey, context) {
	if (!request.formEncoded) return errorBody(MESSAGES.expectedForm);
	if (request.apiKey !== apiKey) return errorBody(MESSAGES.invalidApiKey);
	const handler =
		request.action !== null && Object.hasOwn(ACTIONS, request.action)
			? ACTIONS[request.action]
			: undefined;
	if (!handler) return errorBody(MESSAGES.unknownAction);
	if (!request.value) return errorBody(MESSAGES.invalidValue);
	return handler(request.value, context);
}

/**
 * @param {http.IncomingMessage} req
 */
function pathOf(req) {
	return (req.url ?? '/').split('?')[0];
}

/**
 * @param {http.IncomingMessage} req
 * @returns {URLSearchParams}
 */
function queryOf(req) {
	return new URL(req.url ?? '/', 'http://sandbox').searchParams;
}

/**
 * @param {http.IncomingMessage} req
 * @returns {boolean} whether it calls Platformly's API, rather than a control route
 */
function isApiRequest(req) {
	return req.method === 'POST' && pathOf(req) === '/';
}

/**
 * @param {http.IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => {
			body += chunk;
		});
		req.on('end', () => resolve(body));
		req.on('error', reject);
	});
}

/**
 * @param {http.ServerResponse} res
 * @param {Reply} reply
 */
function send(res, reply) {
	const { delivery } = reply;
	if (delivery?.kind === 'trickle') {
		trickle(res, reply, delivery.byteMs, delivery.noteEnding);
	} else if (delivery?.kind === 'cut-off') {
		cutOff(res, reply);
	} else {
		res.writeHead(reply.statusCode, {
			...reply.headers,
			'content-length': String(Buffer.byteLength(reply.body)),
		});
		res.end(reply.body);
	}
}

/**
 * The headers at once, then the body a byte every `byteMs`, chunked: without a content-length only
 * the last chunk tells the client the answer is whole, so one that waits for it waits the whole time.
 * @param {http.ServerResponse} res
 * @param {Reply} reply
 * @param {number} byteMs
 * @param {(ending: TrickleEnding) => void} noteEnding
 */
function trickle(res, reply, byteMs, noteEnding) {
	const bytes = Buffer.from(reply.body);
	let sent = 0;
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	function sendNextByte() {
		res.write(bytes.subarray(sent, ++sent));
		if (sent < bytes.length) timer = setTimeout(sendNextByte, byteMs).unref();
		else res.end();
	}
	// 'close' comes both after the end and when the connection is cut first; no byte is sent after it.
	res.once('close', () => {
		clearTimeout(timer);
		noteEnding(res.writableFinished ? 'complete' : 'client-hung-up');
	});
	res.writeHead(reply.statusCode, reply.headers);
	res.flushHeaders();
	// unref, as for latencyMs: a trickle in progress must not keep a closed sandbox's process alive.
	timer = setTimeout(sendNextByte, byteMs).unref();
}

/**
 * A content-length for the whole body, half of it (a byte at least), then the connection dropped:
 * a server that died mid-answer, after the action had run.
 * @param {http.ServerResponse} res
 * @param {Reply} reply
 */
function cutOff(res, reply) {
	const bytes = Buffer.from(reply.body);
	res.writeHead(reply.statusCode, { ...reply.headers, 'content-length': String(bytes.length) });
	// Destroyed only once the half is written out, so that the client does get it before the drop.
	res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () => res.destroy());
}

/**
 * How long `GET /__sandbox/deliveries?settled=1` waits at most: a post that never settles must not
 * hold the caller for ever.
 */
const SETTLE_WAIT_MS = 10_000;

/**
 * How long answers held for `holdUntilInFlight` wait at most: a client that never has that many
 * requests in flight gets its answers, and its test sees the lower maximum rather than hanging.
 */
const HOLD_LIMIT_MS = 5_000;

/**
 * @param {string | null} raw the `settled` query parameter
 * @returns {boolean} whether to wait for the deliveries to settle
 */
function readSettled(raw) {
	if (raw === null || raw === '0') return false;
	if (raw === '1') return true;
	throw new AutomationError('settled', `must be 1 or 0, got ${JSON.stringify(raw)}`);
}

/**
 * How many in-flight changes the timeline keeps unless told otherwise: two per request, so those of
 * the last 50,000 requests, a few MB.
 */
const DEFAULT_TIMELINE_LIMIT = 100_000;

/**
 * @param {unknown} raw
 */
function readTimelineLimit(raw) {
	if (raw === undefined) return DEFAULT_TIMELINE_LIMIT;
	if (Number.isSafeInteger(raw) && /** @type {number} */ (raw) >= 1)
		return /** @type {number} */ (raw);
	throw new TypeError(
		`inFlightTimelineLimit must be a whole number, 1 or more, got ${JSON.stringify(raw)}`,
	);
}

/**
 * @param {unknown} raw
 * @returns {() => number}
 */
function readRateLimitClock(raw) {
	if (raw === undefined) return () => performance.now();
	if (typeof raw === 'function') return /** @type {() => number} */ (raw);
	throw new TypeError(`rateLimitClock must be a function, got ${JSON.stringify(raw)}`);
}

/**
 * @param {string} host
 * @param {number} port
 */
function formatUrl(host, port) {
	return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
async function startSandbox(options = {}) {
	const {
		port = 0,
		host = '127.0.0.1',
		apiKey = SANDBOX_API_KEY,
		logFile,
		deliveryTimeoutMs,
	} = options;
	const timelineLimit = readTimelineLimit(options.inFlightTimelineLimit);
	const rateLimitClock = readRateLimitClock(options.rateLimitClock);
	let faults = normalizeFaults(options.faults);
	let pickFault = createFaultPicker(faults);
	let pickDelay = createDelayPicker(faults);
	let takeToken = createRateLimiter(faults, rateLimitClock);
	/** @type {FiredEvent[]} */
	let fired = [];
	/** @type {RequestRecord[]} */
	let requests = [];
	let seq = 0;
	let store = new Store();
	// Those given at the start are set up like the seed data: reset() brings them back.
	const startAutomations = checkAutomationList(options.automations ?? [], store);
	/** @type {Automation[]} */
	let automations = structuredClone(startAutomations);
	let deliveries = new Deliveries(deliveryTimeoutMs);
	let inFlightNow = 0;
	let inFlightMax = 0;
	/** @type {InFlightChange[]} */
	let timeline = [{ at: Date.now(), inFlight: 0 }];
	let timelineDropped = 0;
	/** @type {Array<() => void>} answers waiting for `holdUntilInFlight` requests to be in flight */
	let held = [];
	let holding = faults.holdUntilInFlight > 0;
	/** @type {NodeJS.Timeout | undefined} */
	let holdLimit;
	// Fail at start-up, not at the first fired event, when the log file cannot be written.
	if (logFile !== undefined) fs.appendFileSync(logFile, '');

	/** @param {Partial<FaultSettings>} next */
	function setFaults(next) {
		faults = normalizeFaults(next);
		pickFault = createFaultPicker(faults);
		pickDelay = createDelayPicker(faults);
		takeToken = createRateLimiter(faults, rateLimitClock);
		releaseHeld();
		holding = faults.holdUntilInFlight > 0;
	}

	/** Sends every held answer (each after its latency) and holds no more until the next setFaults(). */
	function releaseHeld() {
		clearTimeout(holdLimit);
		holdLimit = undefined;
		holding = false;
		const answers = held;
		held = [];
		for (const answer of answers) answer();
	}

	/** @param {() => void} answer */
	function answerWhenHeldEnough(answer) {
		if (!holding) {
			answer();
			return;
		}
		held.push(answer);
		// unref, as for latencyMs: held answers must not keep a closed sandbox's process alive.
		holdLimit ??= setTimeout(releaseHeld, HOLD_LIMIT_MS).unref();
	}

	function reset() {
		fired = [];
		requests = [];
		seq = 0;
		store = new Store();
		automations = structuredClone(startAutomations);
		// Cut what is still queued or in flight too: it would post for automations forgotten now.
		deliveries.close('sandbox reset');
		deliveries = new Deliveries(deliveryTimeoutMs);
		// The requests still open are still in flight, so the next maximum starts from them.
		inFlightMax = inFlightNow;
		timeline = [{ at: Date.now(), inFlight: inFlightNow }];
		timelineDropped = 0;
		setFaults({ ...faults, queue: [] });
	}

	/**
	 * @param {unknown} spec
	 * @returns {Automation}
	 */
	function addAutomation(spec) {
		const automation = checkAutomation(spec, automations.length + 1, store);
		automations.push(automation);
		return structuredClone(automation);
	}

	/**
	 * The posts Platformly would make for the contact, one per automation that `starts` picks out.
	 * @param {Contact} contact
	 * @param {(automation: Automation) => boolean} starts
	 * @returns {DeliveryJob[]}
	 */
	function jobsFor(contact, starts) {
		return automations
			.filter(starts)
			.map((automation) => ({ automation, contactId: contact.id, email: contact.email }));
	}

	/** @returns {Promise<SettledDeliveries>} */
	async function settledDeliveries() {
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		/** @type {Promise<boolean>} */
		const gaveUp = new Promise((resolve) => {
			// unref: a waiting control request must not keep a closed sandbox's process alive.
			timer = setTimeout(resolve, SETTLE_WAIT_MS, false).unref();
		});
		const settled = await Promise.race([deliveries.settled().then(() => true), gaveUp]);
		clearTimeout(timer);
		return { settled, deliveries: deliveries.records() };
	}

	/** @returns {InFlight} */
	function inFlight() {
		return { now: inFlightNow, max: inFlightMax };
	}

	/** @returns {InFlightTimeline} */
	function inFlightTimeline() {
		return { changes: timeline.slice(), dropped: timelineDropped };
	}

	/** Notes the count after a change; past the limit, the oldest tenth goes at once (amortised). */
	function noteInFlight() {
		timeline.push({ at: Date.now(), inFlight: inFlightNow });
		if (timeline.length > timelineLimit) {
			const excess = timeline.length - timelineLimit;
			const drop = Math.min(timeline.length - 1, Math.max(excess, Math.ceil(timelineLimit / 10)));
			timeline.splice(0, drop);
			timelineDropped += drop;
		}
	}

	/**
	 * An API request is in flight from its arrival until its response's 'close', which comes once the
	 * answer is written out or the connection is gone, whichever is first: a 'hang' stays in flight
	 * until the client or close() cuts it.
	 * @param {http.ServerResponse} res
	 */
	function countInFlight(res) {
		inFlightNow++;
		inFlightMax = Math.max(inFlightMax, inFlightNow);
		noteInFlight();
		if (holding && inFlightNow >= faults.holdUntilInFlight) releaseHeld();
		res.once('close', () => {
			inFlightNow--;
			noteInFlight();
		});
	}

	/**
	 * The rate limit decides first: a request it refuses uses up no fault and never reaches the
	 * action. Faults are picked before the action runs, so a faulted request never fires an event or
	 * changes the store; only those in FAULTS_AFTER_ACTION run the action first. The automations the action
	 * starts post once its answer is written out, or cut off: Platformly answers first.
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {string} body
	 * @returns {Reply | null}
	 */
	function handleApiRequest(req, res, body) {
		const request = parseApiRequest(req.headers['content-type'], body);
		/** @type {RequestRecord} */
		const record = {
			seq: ++seq,
			at: new Date().toISOString(),
			action: request.action,
			email: typeof request.value?.email === 'string' ? request.value.email : null,
			apiKeyValid: request.apiKey === apiKey,
			outcome: '',
		};
		requests.push(record);
		const limit = takeToken(request.apiKey ?? '');
		if (!limit.accepted) {
			record.outcome = 'fault:429';
			return tooManyRequests(faults.rateLimitRetryAfter ? limit.retryAfterSeconds : undefined);
		}
		/** @type {DeliveryJob[]} */
		const jobs = [];
		/** @type {import('./actions').ActionContext} */
		const context = {
			store,
			at: record.at,
			wrapPages: faults.wrapPages,
			recordFiredEvent({ contact, event, options: eventOptions }) {
				const firedEvent = {
					seq: record.seq,
					at: record.at,
					contactId: contact.id,
					email: contact.email,
					event,
					options: eventOptions,
				};
				fired.push(firedEvent);
				if (logFile !== undefined) fs.appendFileSync(logFile, `${JSON.stringify(firedEvent)}\n`);
				jobs.push(...jobsFor(contact, ({ when }) => 'event' in when && when.event === event));
			},
			recordTagsAdded({ contact, tags }) {
				for (const tag of tags)
					jobs.push(...jobsFor(contact, ({ when }) => 'tag' in when && when.tag === tag));
			},
		};

		const fault = pickFault(record.email);
		const answer =
			fault === null || FAULTS_AFTER_ACTION.has(fault)
				? answerApiRequest(request, apiKey, context)
				: undefined;
		// finished() calls back at once for a response already closed, so no job is held for ever.
		if (jobs.length > 0) finished(res, deliveries.hold(jobs));
		if (fault === null) {
			record.outcome =
				isPlainObject(answer) && answer.status === 'error' ? `error:${answer.message}` : 'success';
			return jsonReply(200, answer);
		}
		record.outcome = `fault:${fault}`;
		return FAULT_REPLIES[fault](
			faults,
			answer,
			(ending) => {
				record.outcome = `fault:${fault}:${ending}`;
			},
			request,
		);
	}

	/** @type {Record<string, (body: string, query: URLSearchParams) => Reply | Promise<Reply>>} */
	const controlRoutes = {
		'GET /__sandbox/fired': () => jsonReply(200, fired),
		'GET /__sandbox/requests': () => jsonReply(200, requests),
		'GET /__sandbox/state': () => jsonReply(200, store.state()),
		'GET /__sandbox/in-flight': () => jsonReply(200, inFlight()),
		'GET /__sandbox/in-flight/timeline': () => jsonReply(200, inFlightTimeline()),
		'GET /__sandbox/automations': () => jsonReply(200, automations),
		'POST /__sandbox/automations': (body) =>
			jsonReply(200, { status: 'ok', automation: addAutomation(JSON.parse(body || '{}')) }),
		// The plain answer stays a plain array, like the other records; waiting wraps it.
		'GET /__sandbox/deliveries': async (_body, query) =>
			jsonReply(
				200,
				readSettled(query.get('settled')) ? await settledDeliveries() : deliveries.records(),
			),
		'POST /__sandbox/faults': (body) => {
			setFaults(JSON.parse(body || '{}'));
			return jsonReply(200, { status: 'ok', faults });
		},
		'POST /__sandbox/reset': () => {
			reset();
			return jsonReply(200, { status: 'ok' });
		},
	};

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 * @param {string} body
	 * @returns {Promise<{ reply: Reply | null, delayMs: number }>}
	 */
	async function route(req, res, body) {
		if (isApiRequest(req)) return { reply: handleApiRequest(req, res, body), delayMs: pickDelay() };
		const control = controlRoutes[`${req.method} ${pathOf(req)}`];
		if (!control) return { reply: jsonReply(404, errorBody('Not found')), delayMs: 0 };
		try {
			return { reply: await control(body, queryOf(req)), delayMs: 0 };
		} catch (error) {
			const badRequest =
				error instanceof FaultSettingsError ||
				error instanceof AutomationError ||
				error instanceof SyntaxError;
			if (!badRequest) throw error;
			return { reply: jsonReply(400, errorBody(error.message)), delayMs: 0 };
		}
	}

	const server = http.createServer((req, res) => {
		if (isApiRequest(req)) countInFlight(res);
		readBody(req)
			.then((body) => route(req, res, body))
			.then(({ reply, delayMs }) => {
				if (reply === null) return; // 'hang': the socket stays open until the client or close() ends it
				const answer = () => {
					// unref: a pending delayed answer must not keep a closed sandbox's process alive.
					if (delayMs > 0) setTimeout(send, delayMs, res, reply).unref();
					else send(res, reply);
				};
				if (isApiRequest(req)) answerWhenHeldEnough(answer);
				else answer();
			})
			.catch((error) => {
				if (!res.headersSent && !res.destroyed)
					send(res, jsonReply(500, errorBody(`Sandbox bug: ${error.message}`)));
			});
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());

	/** @type {Promise<void> | undefined} */
	let closing;
	function close() {
		closing ??= new Promise((resolve, reject) => {
			deliveries.close('sandbox closed');
			clearTimeout(holdLimit);
			server.close((error) => (error ? reject(error) : resolve()));
			server.closeAllConnections();
		});
		return closing;
	}

	return {
		url: formatUrl(host, address.port),
		port: address.port,
		apiKey,
		fired: () => fired.slice(),
		requests: () => requests.slice(),
		state: () => store.state(),
		inFlight,
		inFlightTimeline,
		setFaults,
		addAutomation,
		automations: () => structuredClone(automations),
		deliveries: () => deliveries.records(),
		deliveriesSettled: () => deliveries.settled(),
		reset,
		close,
	};
}

module.exports = { startSandbox, PROXY_ERROR_PAGE };
