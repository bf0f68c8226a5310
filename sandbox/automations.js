'use strict';

/**
 * The automations whose Platformly side the sandbox plays: each starts when an event is fired for a
 * contact or a tag is added to one, and its one step is an "HTTP post" to a URL. This module checks
 * them; server.js starts them and deliveries.js makes the posts.
 */

const { isPlainObject } = require('./actions');
const { isAbsoluteHttpUrl } = require('./faults');

/** @typedef {import('./store').Store} Store */

/**
 * What starts an automation: the event fired for a contact, or the tag newly added to one.
 * @typedef {{ event: number } | { tag: number }} AutomationTrigger
 */

/**
 * An automation whose one step is an "HTTP post" of the contact, as Platformly's automations can
 * have. What `POST /__sandbox/automations` and addAutomation() take: every field is required, and
 * any other is refused.
 * @typedef {object} AutomationSpec
 * @property {AutomationTrigger} when `event` must be the id of an event the sandbox has, `tag` of a
 *   tag it has.
 * @property {string} url An absolute http: or https: URL; a query in it (e.g. `?secret=…`) is sent as
 *   it stands.
 * @property {'form' | 'json'} format 'form': `Content-Type: application/x-www-form-urlencoded`, body
 *   `contactID=<id>&email=<email>`. 'json': `Content-Type: application/json`, body
 *   `{"contactID":<id>,"email":"<email>"}`.
 */

/**
 * An AutomationSpec as registered, with its `id`, which counts from 1.
 * @typedef {{ id: number } & AutomationSpec} Automation
 */

/** Carries the offending field apart from the reason, so a list's checks can say which item it is. */
class AutomationError extends Error {
	/**
	 * @param {string} field where in the automation, e.g. 'url' or 'when.event'; '' for the whole
	 * @param {string} reason
	 */
	constructor(field, reason) {
		super(`${field || 'an automation'} ${reason}`);
		this.name = 'AutomationError';
		this.field = field;
		this.reason = reason;
	}
}

const AUTOMATION_FIELDS = Object.freeze(['when', 'url', 'format']);

/**
 * @param {unknown} raw
 * @returns {string} as the message quotes it; a field left out reads "got nothing"
 */
function describe(raw) {
	return raw === undefined ? 'nothing' : JSON.stringify(raw);
}

/**
 * Platformly's editor only offers the events and tags that exist, so an id naming none is a slip,
 * refused here rather than leaving an automation that never starts.
 * @param {string} field
 * @param {unknown} raw
 * @param {ReadonlyMap<number, unknown>} items
 * @param {'events' | 'tags'} kind
 */
function checkId(field, raw, items, kind) {
	if (typeof raw === 'number' && items.has(raw)) return raw;
	throw new AutomationError(
		field,
		`must be the id of one of the sandbox's ${kind}, got ${describe(raw)}`,
	);
}

/**
 * @param {unknown} raw
 * @param {Store} store
 * @returns {AutomationTrigger}
 */
function checkWhen(raw, store) {
	if (isPlainObject(raw) && Object.keys(raw).length === 1) {
		if (Object.hasOwn(raw, 'event'))
			return { event: checkId('when.event', raw.event, store.events, 'events') };
		if (Object.hasOwn(raw, 'tag')) return { tag: checkId('when.tag', raw.tag, store.tags, 'tags') };
	}
	throw new AutomationError(
		'when',
		`must be {"event": <event id>} or {"tag": <tag id>}, got ${describe(raw)}`,
	);
}

/**
 * A misspelt field is refused rather than lost, as with the fault settings.
 * @param {unknown} spec
 * @param {number} id
 * @param {Store} store the events and tags that `when` may name
 * @returns {Automation} a copy of what was sent, not sharing anything with it
 * @throws {AutomationError}
 */
function checkAutomation(spec, id, store) {
	if (!isPlainObject(spec))
		throw new AutomationError('', `must be a JSON object, got ${describe(spec)}`);
	for (const key of Object.keys(spec)) {
		if (!AUTOMATION_FIELDS.includes(key))
			throw new AutomationError(
				key,
				`is not an automation field (known: ${AUTOMATION_FIELDS.join(', ')})`,
			);
	}
	const when = checkWhen(spec.when, store);
	const { url, format } = spec;
	if (!isAbsoluteHttpUrl(url))
		throw new AutomationError(
			'url',
			`must be an absolute http: or https: URL, got ${describe(url)}`,
		);
	if (format !== 'form' && format !== 'json')
		throw new AutomationError('format', `must be "form" or "json", got ${describe(format)}`);
	return { id, when, url, format };
}

/**
 * The `automations` option of startSandbox, given ids from 1 in its order. An error names the
 * automation at fault by its place in the list.
 * @param {readonly unknown[]} specs
 * @param {Store} store
 * @returns {Automation[]}
 * @throws {AutomationError}
 */
function checkAutomationList(specs, store) {
	return specs.map((spec, index) => {
		try {
			return checkAutomation(spec, index + 1, store);
		} catch (error) {
			if (!(error instanceof AutomationError)) throw error;
			const place = `automations[${index}]`;
			throw new AutomationError(error.field ? `${place}.${error.field}` : place, error.reason);
		}
	});
}

module.exports = { AutomationError, checkAutomation, checkAutomationList };
