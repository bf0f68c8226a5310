'use strict';

/**
 * The data a fresh sandbox knows about. Tests and scripts import these rather than repeating the
 * literals, so changing a seeded id or email here cannot leave a stale copy behind.
 */

/**
 * @typedef {import('./index').Contact} Contact
 * @typedef {import('./index').SandboxEvent} SandboxEvent
 */

/** A public key that only this sandbox accepts; 32 alphanumerics like a real Platformly key. */
const SANDBOX_API_KEY = 'sandboxKey0123456789abcdefABCDEF';

/** What `profile` answers: a flat object without a `status` key, as Platformly's read actions do. */
const SANDBOX_ACCOUNT = deepFreeze({
	account_id: 4242,
	first_name: 'Sandbox',
	last_name: 'Account',
	email: 'owner@sandbox.example',
	company: 'Sandbox Inc.',
});

const SANDBOX_PROJECTS = deepFreeze([{ id: 1, name: 'Main project' }]);

/**
 * Hand-picked contacts. Zoë's address carries a `+`, which form encoding turns into a space unless
 * the client escapes it, and her name is not ASCII: both are common ways for a client to go wrong.
 */
const SANDBOX_CONTACTS = deepFreeze(/** @type {Contact[]} */ ([
	{ id: 12, email: 'ann@example.com', first_name: 'Ann', last_name: 'Archer' },
	{ id: 13, email: 'ben@example.com', first_name: 'Ben', last_name: 'Okafor' },
	{ id: 14, email: 'cara@example.com', first_name: 'Cara', last_name: 'Lindqvist' },
	{ id: 15, email: 'dan@example.com', first_name: 'Dan', last_name: 'Moreno' },
	{ id: 16, email: 'zoe.lee+vip@example.com', first_name: 'Zoë', last_name: 'Lee' },
]));

const SANDBOX_EVENTS = deepFreeze(/** @type {SandboxEvent[]} */ ([
	{ id: 101, project_id: 1, action: 'webinar_joined', desc: 'Joined the webinar', options: { path: '/webinar' } },
	{ id: 102, project_id: 1, action: 'payment_received', desc: 'Payment received', options: {} },
	{ id: 103, project_id: 1, action: 'form_submitted', desc: 'Submitted the contact form', options: { path: '/contact' } },
]));

/**
 * Benchmarks need far more contacts than anyone wants to list, so `bulk-<n>@example.com` for
 * n = 1..BULK_CONTACT_COUNT is a known contact with id BULK_CONTACT_ID_OFFSET + n, worked out on
 * lookup instead of being stored.
 */
const BULK_CONTACT_COUNT = 100000;
const BULK_CONTACT_ID_OFFSET = 100000;
const BULK_EMAIL_PATTERN = /^bulk-([1-9]\d*)@example\.com$/;

/**
 * @param {number} n 1..BULK_CONTACT_COUNT
 * @returns {string}
 */
function bulkContactEmail(n) {
	return `bulk-${n}@example.com`;
}

/**
 * @param {number} n
 * @returns {Contact | undefined}
 */
function bulkContact(n) {
	if (!Number.isInteger(n) || n < 1 || n > BULK_CONTACT_COUNT) return undefined;
	return {
		id: BULK_CONTACT_ID_OFFSET + n,
		email: bulkContactEmail(n),
		first_name: 'Bulk',
		last_name: `Contact ${n}`,
	};
}

const contactsById = new Map(SANDBOX_CONTACTS.map((contact) => [contact.id, contact]));
const contactsByEmail = new Map(SANDBOX_CONTACTS.map((contact) => [contact.email, contact]));
const eventsById = new Map(SANDBOX_EVENTS.map((event) => [event.id, event]));

/**
 * @param {number} id
 * @returns {Contact | undefined}
 */
function findContactById(id) {
	return contactsById.get(id) ?? bulkContact(id - BULK_CONTACT_ID_OFFSET);
}

/**
 * Emails match without regard to case or surrounding spaces, as mail addresses do in practice.
 * @param {string} email
 * @returns {Contact | undefined}
 */
function findContactByEmail(email) {
	const normalized = email.trim().toLowerCase();
	const bulkMatch = BULK_EMAIL_PATTERN.exec(normalized);
	return contactsByEmail.get(normalized) ?? (bulkMatch ? bulkContact(Number(bulkMatch[1])) : undefined);
}

/**
 * @param {number} id
 * @returns {SandboxEvent | undefined}
 */
function findEventById(id) {
	return eventsById.get(id);
}

/**
 * Freezing keeps one test from changing the seed under another that shares the process.
 * @template T
 * @param {T} value
 * @returns {Readonly<T>}
 */
function deepFreeze(value) {
	if (value !== null && typeof value === 'object') {
		Object.values(value).forEach(deepFreeze);
		Object.freeze(value);
	}
	return value;
}

module.exports = {
	SANDBOX_API_KEY,
	SANDBOX_ACCOUNT,
	SANDBOX_PROJECTS,
	SANDBOX_CONTACTS,
	SANDBOX_EVENTS,
	BULK_CONTACT_COUNT,
	BULK_CONTACT_ID_OFFSET,
	bulkContactEmail,
	findContactById,
	findContactByEmail,
	findEventById,
};
