'use strict';

const { SANDBOX_ACCOUNT, findContactById, findContactByEmail, findEventById } = require('./seed');

/**
 * The `message` texts the sandbox answers with. The success text is from Platformly's reference
 * page for contact_event_fire, and "Contact Not Found" is what public clients (WP Fusion) check for.
 * Platformly's other texts are not published, so the rest are the sandbox's best guess.
 */
const MESSAGES = Object.freeze({
	processed: 'The action has been processed',
	invalidApiKey: 'Invalid API key',
	unknownAction: 'Unknown action',
	expectedForm: 'Expected application/x-www-form-urlencoded',
	invalidValue: 'Invalid value: not a JSON object',
	contactRequired: 'Contact ID or email is required',
	contactNotFound: 'Contact Not Found',
	eventRequired: 'Event ID is required',
	eventNotFound: 'Event Not Found',
	invalidOptions: 'Invalid options: not a JSON object',
	simulatedFailure: 'Simulated failure',
});

/**
 * @typedef {import('./index').Contact} Contact
 *
 * @typedef {object} FiredEventInput
 * @property {Contact} contact
 * @property {number} event
 * @property {Record<string, unknown> | null} options
 *
 * @typedef {object} ActionContext
 * @property {(fired: FiredEventInput) => void} recordFiredEvent
 *
 * An action gets the request's `value`, already parsed into an object, and returns the JSON body to
 * answer with. Platformly reports failures in the body, so handlers return errors instead of
 * throwing.
 * @callback ActionHandler
 * @param {Record<string, unknown>} value
 * @param {ActionContext} context
 * @returns {Record<string, unknown>}
 */

/**
 * @param {string} message
 * @returns {{ status: 'error', message: string }}
 */
function errorBody(message) {
	return { status: 'error', message };
}

/**
 * Platformly's docs show ids as JSON numbers, but its own curl examples send them as strings.
 * @param {unknown} raw
 * @returns {number | undefined}
 */
function parseId(raw) {
	if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
	if (typeof raw === 'string' && /^\d+$/.test(raw)) return Number(raw);
	return undefined;
}

/**
 * @param {unknown} raw
 * @returns {boolean}
 */
function isAbsent(raw) {
	return raw === undefined || raw === null || raw === '';
}

/**
 * @param {unknown} raw
 * @returns {raw is Record<string, unknown>}
 */
function isPlainObject(raw) {
	return raw !== null && typeof raw === 'object' && !Array.isArray(raw);
}

/**
 * contact_id wins when both identifiers are sent; if the email then names someone else, the pair
 * cannot be one contact, and firing for either would hide a bug in the caller.
 * @param {Record<string, unknown>} value
 * @returns {Contact | undefined}
 */
function resolveContact(value) {
	const { contact_id: rawId, email } = value;
	const id = parseId(rawId);
	const byId = id === undefined ? undefined : findContactById(id);
	const byEmail = typeof email === 'string' ? findContactByEmail(email) : undefined;
	if (isAbsent(rawId)) return byEmail;
	if (isAbsent(email)) return byId;
	return byId && byEmail?.id === byId.id ? byId : undefined;
}

/** @type {ActionHandler} */
function contactEventFire(value, { recordFiredEvent }) {
	if (isAbsent(value.contact_id) && isAbsent(value.email)) return errorBody(MESSAGES.contactRequired);
	if (isAbsent(value.event)) return errorBody(MESSAGES.eventRequired);
	if (value.options !== undefined && !isPlainObject(value.options)) return errorBody(MESSAGES.invalidOptions);

	const eventId = parseId(value.event);
	const event = eventId === undefined ? undefined : findEventById(eventId);
	if (!event) return errorBody(MESSAGES.eventNotFound);
	const contact = resolveContact(value);
	if (!contact) return errorBody(MESSAGES.contactNotFound);

	recordFiredEvent({ contact, event: event.id, options: value.options ?? null });
	return { status: 'success', message: MESSAGES.processed };
}

/**
 * Every action the sandbox understands. Adding one (fetch_contact, add_contact, list_projects, ...)
 * means adding a handler here; the server's dispatch does not change.
 * @type {Readonly<Record<string, ActionHandler>>}
 */
const ACTIONS = Object.freeze({
	profile: () => SANDBOX_ACCOUNT,
	contact_event_fire: contactEventFire,
});

module.exports = { ACTIONS, MESSAGES, errorBody, isPlainObject };
