'use strict';

/**
 * The data a fresh sandbox knows about. Tests and scripts import these rather than repeating the
 * literals, so changing a seeded id or email here cannot leave a stale copy behind. All of it is
 * frozen: a fresh sandbox, or one just reset, starts from a copy of its own (see store.js).
 */

/**
 * @typedef {object} Project
 * @property {number} id
 * @property {string} name
 */

/**
 * The standard contact fields of add_contact and update_contact, as CONTACT_FIELDS lists them.
 * @typedef {(typeof CONTACT_FIELDS)[number]} ContactField
 */

/**
 * @typedef {object} ContactNote
 * @property {string} note
 * @property {string} at ISO time the request that added it arrived.
 */

/**
 * The fields every contact has, whatever was sent for it.
 * @typedef {object} ContactBase
 * @property {number} id
 * @property {number} project_id
 * @property {string} email
 * @property {number[]} tags Tag ids, in the order they were added.
 * @property {number[]} segments Segment ids, in the order they were added.
 * @property {ContactNote[]} notes
 * @property {Record<string, unknown>} custom_fields Values as sent, by `cf_<alias>_<id>` key.
 */

/**
 * A contact as the sandbox stores it. Standard fields appear once set, with the value as sent.
 * @typedef {ContactBase & Partial<Record<ContactField, unknown>>} Contact
 */

/**
 * Seeded and bulk contacts all have names.
 * @typedef {Contact & { first_name: string, last_name: string }} SeedContact
 */

/**
 * @typedef {object} Tag
 * @property {number} id
 * @property {number} project_id
 * @property {string} name
 * @property {string} desc
 */

/**
 * @typedef {object} Segment
 * @property {number} id
 * @property {number} project_id
 * @property {string} name
 */

/**
 * A contact holds its value under the key `cf_<alias>_<id>`.
 * @typedef {object} CustomField
 * @property {number} id
 * @property {number} project_id
 * @property {string} name
 * @property {string} alias
 * @property {'text'} type add_custom_field makes text fields only.
 * @property {string} [desc] Only when add_custom_field was sent one.
 */

/**
 * Shaped like the `project_id`, `action`, `desc` and `options` that Platformly's add_event takes.
 * @typedef {object} SandboxEvent
 * @property {number} id
 * @property {number} project_id
 * @property {string} action
 * @property {string} desc
 * @property {Record<string, unknown>} options
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

/** Every contact, seeded or bulk, belongs to the main project; the webinars project has none. */
const MAIN_PROJECT_ID = 1;
const WEBINARS_PROJECT_ID = 2;

/** @type {ReadonlyArray<Readonly<Project>>} */
const SANDBOX_PROJECTS = deepFreeze([
	{ id: MAIN_PROJECT_ID, name: 'Main project' },
	{ id: WEBINARS_PROJECT_ID, name: 'Webinars' },
]);

/** How many items one page of list_tags or list_segments holds. */
const SANDBOX_PAGE_SIZE = 10;

/**
 * The main project has more tags than fit on one page, so a client that does not page through
 * list_tags misses some; the interest-<n> tags are there only to make that happen.
 */
/** @type {ReadonlyArray<Readonly<Tag>>} */
const SANDBOX_TAGS = deepFreeze([
	{ id: 201, project_id: MAIN_PROJECT_ID, name: 'customer', desc: 'Has bought something' },
	{ id: 202, project_id: MAIN_PROJECT_ID, name: 'lead', desc: 'Interested, has not bought yet' },
	{ id: 203, project_id: MAIN_PROJECT_ID, name: 'vip', desc: 'Gets a personal answer' },
	{ id: 204, project_id: MAIN_PROJECT_ID, name: 'interest-1', desc: 'Interested in topic 1' },
	{ id: 205, project_id: MAIN_PROJECT_ID, name: 'interest-2', desc: 'Interested in topic 2' },
	{ id: 206, project_id: MAIN_PROJECT_ID, name: 'interest-3', desc: 'Interested in topic 3' },
	{ id: 207, project_id: MAIN_PROJECT_ID, name: 'interest-4', desc: 'Interested in topic 4' },
	{ id: 208, project_id: MAIN_PROJECT_ID, name: 'interest-5', desc: 'Interested in topic 5' },
	{ id: 209, project_id: MAIN_PROJECT_ID, name: 'interest-6', desc: 'Interested in topic 6' },
	{ id: 210, project_id: MAIN_PROJECT_ID, name: 'interest-7', desc: 'Interested in topic 7' },
	{ id: 211, project_id: MAIN_PROJECT_ID, name: 'interest-8', desc: 'Interested in topic 8' },
	{ id: 212, project_id: MAIN_PROJECT_ID, name: 'interest-9', desc: 'Interested in topic 9' },
	{ id: 221, project_id: WEBINARS_PROJECT_ID, name: 'attended', desc: 'Attended a webinar' },
	{
		id: 222,
		project_id: WEBINARS_PROJECT_ID,
		name: 'no-show',
		desc: 'Registered for a webinar, did not attend',
	},
]);

/** @type {ReadonlyArray<Readonly<Segment>>} */
const SANDBOX_SEGMENTS = deepFreeze([
	{ id: 301, project_id: MAIN_PROJECT_ID, name: 'Newsletter' },
	{ id: 302, project_id: MAIN_PROJECT_ID, name: 'Customers' },
	{ id: 303, project_id: MAIN_PROJECT_ID, name: 'Trial users' },
	{ id: 311, project_id: WEBINARS_PROJECT_ID, name: 'Webinar registrants' },
]);

/** A contact holds a custom field's value under the key `cf_<alias>_<id>`, e.g. cf_favourite_colour_7. */
/** @type {ReadonlyArray<Readonly<CustomField>>} */
const SANDBOX_CUSTOM_FIELDS = deepFreeze([
	{
		id: 7,
		project_id: MAIN_PROJECT_ID,
		name: 'Favourite colour',
		alias: 'favourite_colour',
		type: 'text',
	},
	{ id: 8, project_id: MAIN_PROJECT_ID, name: 'Plan', alias: 'plan', type: 'text' },
]);

/**
 * The standard fields add_contact and update_contact take, as listed on update_contact's reference
 * page; ContactField is the type of each.
 */
const CONTACT_FIELDS = deepFreeze(
	/** @type {const} */ ([
		'first_name',
		'last_name',
		'organization',
		'address',
		'address2',
		'city',
		'state',
		'zip',
		'country',
		'phone',
		'fax',
		'sms_number',
		'birthday',
		'website',
		'date',
		'ip',
		'timezone',
		'facebook_profile',
		'twitter',
		'linked_in',
		'instagram',
		'pinterest',
		'skype',
		'role',
	]),
);

/**
 * Seeded and bulk contacts start out alike: in the main project, without notes or custom field
 * values, and in no tag or segment unless given.
 * @param {{ id: number, email: string, first_name: string, last_name: string }} identity
 * @param {{ tags?: number[], segments?: number[] }} [memberships]
 * @returns {SeedContact}
 */
function mainProjectContact(
	{ id, email, first_name, last_name },
	{ tags = [], segments = [] } = {},
) {
	return {
		id,
		project_id: MAIN_PROJECT_ID,
		email,
		first_name,
		last_name,
		tags,
		segments,
		notes: [],
		custom_fields: {},
	};
}

/**
 * Hand-picked contacts. Zoë's address carries a `+`, which form encoding turns into a space unless
 * the client escapes it, and her name is not ASCII: both are common ways for a client to go wrong.
 * @type {ReadonlyArray<Readonly<SeedContact>>}
 */
const SANDBOX_CONTACTS = deepFreeze([
	mainProjectContact(
		{ id: 12, email: 'ann@example.com', first_name: 'Ann', last_name: 'Archer' },
		{ tags: [201], segments: [301] },
	),
	mainProjectContact({ id: 13, email: 'ben@example.com', first_name: 'Ben', last_name: 'Okafor' }),
	mainProjectContact({
		id: 14,
		email: 'cara@example.com',
		first_name: 'Cara',
		last_name: 'Lindqvist',
	}),
	mainProjectContact({ id: 15, email: 'dan@example.com', first_name: 'Dan', last_name: 'Moreno' }),
	mainProjectContact({
		id: 16,
		email: 'zoe.lee+vip@example.com',
		first_name: 'Zoë',
		last_name: 'Lee',
	}),
]);

/** @type {ReadonlyArray<Readonly<SandboxEvent>>} */
const SANDBOX_EVENTS = deepFreeze([
	{
		id: 101,
		project_id: 1,
		action: 'webinar_joined',
		desc: 'Joined the webinar',
		options: { path: '/webinar' },
	},
	{ id: 102, project_id: 1, action: 'payment_received', desc: 'Payment received', options: {} },
	{
		id: 103,
		project_id: 1,
		action: 'form_submitted',
		desc: 'Submitted the contact form',
		options: { path: '/contact' },
	},
]);

/**
 * Benchmarks need far more contacts than anyone wants to list, so `bulk-<n>@example.com` for
 * n = 1..BULK_CONTACT_COUNT is a known contact with id BULK_CONTACT_ID_OFFSET + n, worked out on
 * lookup instead of being stored. A sandbox stores one only when an action first changes it.
 */
const BULK_CONTACT_COUNT = 100000;
const BULK_CONTACT_ID_OFFSET = 100000;
const BULK_EMAIL_PATTERN = /^bulk-([1-9]\d*)@example\.com$/;

/**
 * @param {number} n 1..BULK_CONTACT_COUNT
 */
function bulkContactEmail(n) {
	return `bulk-${n}@example.com`;
}

/**
 * A fresh copy each time, so a caller may change it without changing the next lookup's.
 * @param {number} n
 * @returns {SeedContact | undefined}
 */
function bulkContact(n) {
	if (!Number.isInteger(n) || n < 1 || n > BULK_CONTACT_COUNT) return undefined;
	return mainProjectContact({
		id: BULK_CONTACT_ID_OFFSET + n,
		email: bulkContactEmail(n),
		first_name: 'Bulk',
		last_name: `Contact ${n}`,
	});
}

/**
 * A bulk contact as seeded, a fresh copy each call; a sandbox's own may have changed since.
 * @param {number} id
 * @returns {SeedContact | undefined}
 */
function findBulkContactById(id) {
	return bulkContact(id - BULK_CONTACT_ID_OFFSET);
}

/**
 * Matches the address exactly as bulkContactEmail writes it; callers that accept other spellings
 * (case, spaces) normalise first.
 * @param {string} email
 * @returns {SeedContact | undefined}
 */
function findBulkContactByEmail(email) {
	const match = BULK_EMAIL_PATTERN.exec(email);
	return match ? bulkContact(Number(match[1])) : undefined;
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
	SANDBOX_PAGE_SIZE,
	SANDBOX_TAGS,
	SANDBOX_SEGMENTS,
	SANDBOX_CUSTOM_FIELDS,
	CONTACT_FIELDS,
	SANDBOX_CONTACTS,
	SANDBOX_EVENTS,
	BULK_CONTACT_COUNT,
	BULK_CONTACT_ID_OFFSET,
	bulkContactEmail,
	findBulkContactById,
	findBulkContactByEmail,
};
