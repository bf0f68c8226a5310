'use strict';

/**
 * The "HTTP post" step of the automations a sandbox starts: one POST per started automation to its
 * URL, as Platformly would send it, so that firing an event through the node can start another n8n
 * workflow through a webhook trigger. Every post, and how it went, is recorded.
 */

const http = require('node:http');
const https = require('node:https');

/**
 * @typedef {import('./automations').Automation} Automation
 */

/**
 * One post of an automation. It starts after a successful contact_event_fire of its event (also one
 * of the faults '500-after-fire', 'trickle' and 'cut-off', which run the action), or once its tag is
 * added to a contact that did not have it (contact_tag_add, add_contact, update_contact), and never
 * before the API answer is written out (or cut off). One attempt, no retries; at most 20 in flight
 * at once (MAX_IN_FLIGHT), the others queued in order.
 * @typedef {object} DeliveryRecord
 * @property {number} seq Counts from 1, in the order the posts started.
 * @property {number} automationId
 * @property {string} url
 * @property {'form' | 'json'} format
 * @property {number} contactId
 * @property {string} email The contact's address when the automation started.
 * @property {string} at ISO time the post started; for one cut before it started, the time it was
 *   given up.
 * @property {number | null} status The receiver's HTTP status; null until it answers, or when it
 *   never does.
 * @property {string | null} error null unless it failed: a system error code such as 'ECONNREFUSED'
 *   or 'ECONNRESET', 'timeout' (after deliveryTimeoutMs), 'sandbox closed' (cut by close()). A status
 *   with an error means the receiver answered, then failed to finish its body.
 * @property {number | null} durationMs null while the post is in flight; 0 for one cut before it
 *   started.
 */

/**
 * @typedef {object} DeliveryJob
 * @property {Automation} automation
 * @property {number} contactId
 * @property {string} email the contact's address when the automation started
 */

/**
 * Platformly's own limit is not published; this one keeps a burst of fires from opening sockets
 * without end, and a test can see the queue at work.
 */
const MAX_IN_FLIGHT = 20;

const DEFAULT_DELIVERY_TIMEOUT_MS = 5000;

/**
 * Just these two fields: WP Fusion, public client code that receives Platformly's posts, reads
 * `contactID`, and nothing else about the post is known.
 * @param {DeliveryJob} job
 * @returns {{ contentType: string, body: string }}
 */
function encodePost({ automation, contactId, email }) {
	if (automation.format === 'json') {
		return {
			contentType: 'application/json',
			body: JSON.stringify({ contactID: contactId, email }),
		};
	}
	return {
		contentType: 'application/x-www-form-urlencoded',
		body: new URLSearchParams({ contactID: String(contactId), email }).toString(),
	};
}

/**
 * The system error code (ECONNREFUSED, ECONNRESET, ENOTFOUND…) where there is one: short, and what
 * a person or a test looks for.
 * @param {NodeJS.ErrnoException} error
 */
function describeError(error) {
	return error.code ?? error.message;
}

class Deliveries {
	#timeoutMs;
	/** @type {DeliveryRecord[]} */
	#records = [];
	/** @type {DeliveryJob[]} posted in this order as places in flight free up */
	#queue = [];
	/** @type {Map<DeliveryRecord, (error: string) => void>} each post in flight, with what ends it */
	#inFlight = new Map();
	/** Jobs whose API answer is still being written: not queued yet, yet not settled either. */
	#held = 0;
	/** @type {string | null} once closed, the error each job not yet done is recorded with */
	#closedWith = null;
	/** @type {(() => void)[]} */
	#settleWaiters = [];

	/** @param {number} [timeoutMs] how long a post may take, answer and all */
	constructor(timeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS) {
		if (!(Number.isFinite(timeoutMs) && timeoutMs >= 1))
			throw new RangeError(
				`deliveryTimeoutMs must be a number of milliseconds, 1 or more, got ${JSON.stringify(timeoutMs)}`,
			);
		this.#timeoutMs = timeoutMs;
	}

	/**
	 * Counts the jobs as not settled from now, and returns what queues them, for the server to call
	 * once the API answer that started them is written: the post must never delay that answer.
	 * @param {DeliveryJob[]} jobs
	 * @returns {() => void}
	 */
	hold(jobs) {
		this.#held += jobs.length;
		return () => {
			this.#held -= jobs.length;
			if (this.#closedWith === null) this.#queue.push(...jobs);
			else for (const job of jobs) this.#recordUnsent(job, this.#closedWith);
			this.#startQueued();
		};
	}

	/** @returns {DeliveryRecord[]} copies, in the order the posts started */
	records() {
		return this.#records.map((record) => ({ ...record }));
	}

	/** @returns {Promise<void>} once every held, queued and in-flight job is done */
	settled() {
		if (this.#isSettled()) return Promise.resolve();
		return new Promise((resolve) => this.#settleWaiters.push(resolve));
	}

	/**
	 * Posts nothing more: the queued jobs are recorded unsent, the posts in flight are cut, and jobs
	 * still held are recorded unsent once released, all with `reason` as their error.
	 * @param {string} reason
	 */
	close(reason) {
		this.#closedWith = reason;
		for (const job of this.#queue.splice(0)) this.#recordUnsent(job, reason);
		for (const complete of [...this.#inFlight.values()]) complete(reason);
		this.#startQueued();
	}

	#isSettled() {
		return this.#held === 0 && this.#queue.length === 0 && this.#inFlight.size === 0;
	}

	#startQueued() {
		while (this.#inFlight.size < MAX_IN_FLIGHT && this.#queue.length > 0) {
			this.#post(/** @type {DeliveryJob} */ (this.#queue.shift()));
		}
		if (this.#isSettled()) for (const resolve of this.#settleWaiters.splice(0)) resolve();
	}

	/**
	 * @param {DeliveryJob} job
	 * @returns {DeliveryRecord}
	 */
	#addRecord({ automation, contactId, email }) {
		/** @type {DeliveryRecord} */
		const record = {
			seq: this.#records.length + 1,
			automationId: automation.id,
			url: automation.url,
			format: automation.format,
			contactId,
			email,
			at: new Date().toISOString(),
			status: null,
			error: null,
			durationMs: null,
		};
		this.#records.push(record);
		return record;
	}

	/**
	 * @param {DeliveryJob} job
	 * @param {string} reason
	 */
	#recordUnsent(job, reason) {
		Object.assign(this.#addRecord(job), { error: reason, durationMs: 0 });
	}

	/** @param {DeliveryJob} job */
	#post(job) {
		const record = this.#addRecord(job);
		const started = Date.now();
		const { contentType, body } = encodePost(job);
		const url = new URL(job.automation.url);
		// agent: false gives each post a connection of its own, closed after the answer: one attempt,
		// and no pooled socket left open to the receiver, or keeping the process alive, afterwards.
		const request = (url.protocol === 'https:' ? https : http).request(url, {
			method: 'POST',
			agent: false,
			headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
		});
		/** @param {string | null} error */
		const complete = (error) => {
			// The first ending counts: cutting a post makes its request report an error afterwards.
			if (!this.#inFlight.delete(record)) return;
			clearTimeout(timer);
			record.error = error;
			record.durationMs = Date.now() - started;
			if (error !== null) request.destroy();
			this.#startQueued();
		};
		this.#inFlight.set(record, complete);
		// unref: a post waiting on a silent receiver must not keep a closed sandbox's process alive.
		const timer = setTimeout(complete, this.#timeoutMs, 'timeout').unref();
		request.on('response', (response) => {
			record.status = response.statusCode ?? null;
			response.on('end', () => complete(null));
			response.on('error', (error) => complete(describeError(error)));
			// Nothing in the answer but its status matters; it is read to the end only to finish it.
			response.resume();
		});
		request.on('error', (error) => complete(describeError(error)));
		request.end(body);
	}
}

module.exports = { Deliveries };
