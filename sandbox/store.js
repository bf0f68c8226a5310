'use strict';

/**
 * What one running sandbox knows: its own changeable copy of the frozen seed, which the actions
 * read and change. startSandbox makes one and reset() replaces it with a fresh one, so no test or
 * sandbox sees another's changes.
 */

const {
	SANDBOX_PROJECTS,
	SANDBOX_CONTACTS,
	SANDBOX_TAGS,
	SANDBOX_SEGMENTS,
	SANDBOX_CUSTOM_FIELDS,
	SANDBOX_EVENTS,
	findBulkContactById,
	findBulkContactByEmail,
} = require('./seed');

/**
 * @typedef {import('./seed').Project} Project
 * @typedef {import('./seed').Contact} Contact
 * @typedef {import('./seed').Tag} Tag
 * @typedef {import('./seed').Segment} Segment
 * @typedef {import('./seed').CustomField} CustomField
 * @typedef {import('./seed').SandboxEvent} SandboxEvent
 */

/**
 * Everything a sandbox knows now, each list in id order. `contacts` holds the seeded contacts and
 * those created or changed since; the other bulk contacts are left out. New ids count up from 1000
 * for contacts and from 900 for events and custom fields (FIRST_NEW_IDS).
 * @typedef {object} SandboxState
 * @property {Project[]} projects
 * @property {Contact[]} contacts
 * @property {Tag[]} tags
 * @property {Segment[]} segments
 * @property {CustomField[]} customFields
 * @property {SandboxEvent[]} events
 */

/**
 * Where each kind's new ids start counting, clear of the seeded ids. New contacts stay far below the
 * bulk contacts' ids (from BULK_CONTACT_ID_OFFSET + 1) for any run a test or benchmark makes.
 */
const FIRST_NEW_IDS = Object.freeze({ contact: 1000, event: 900, customField: 900 });

/**
 * @template {{ id: number }} T
 * @param {ReadonlyArray<Readonly<T>>} seeded
 * @returns {Map<number, T>}
 */
function copiesById(seeded) {
	return new Map(seeded.map((item) => [item.id, /** @type {T} */ (structuredClone(item))]));
}

/**
 * Copies, in id order, so that what a caller does with them cannot reach the store.
 * @template {{ id: number }} T
 * @param {Iterable<T>} items
 * @returns {T[]}
 */
function sortedCopies(items) {
	return structuredClone([...items].sort((a, b) => a.id - b.id));
}

/**
 * Emails match without regard to case or surrounding spaces, as mail addresses do in practice.
 * @param {string} email
 */
function normalizeEmail(email) {
	return email.trim().toLowerCase();
}

class Store {
	/** Nothing changes projects; they are here so that every lookup goes to one place. */
	projects = copiesById(SANDBOX_PROJECTS);
	tags = copiesById(SANDBOX_TAGS);
	segments = copiesById(SANDBOX_SEGMENTS);
	customFields = copiesById(SANDBOX_CUSTOM_FIELDS);
	events = copiesById(SANDBOX_EVENTS);
	/** Only the stored contacts; bulk contacts join on their first change (see materialise). */
	#contacts = /** @type {Map<number, Contact>} */ (copiesById(SANDBOX_CONTACTS));
	/** @type {Map<string, number>} normalised email -> id, for the stored contacts */
	#contactIdsByEmail = new Map(
		[...this.#contacts.values()].map((contact) => [normalizeEmail(contact.email), contact.id]),
	);
	#nextIds = { ...FIRST_NEW_IDS };

	/**
	 * @param {number} id
	 * @returns {Contact | undefined}
	 */
	findContactById(id) {
		return this.#contacts.get(id) ?? this.#unstoredBulkContact(findBulkContactById(id));
	}

	/**
	 * @param {string} email
	 * @returns {Contact | undefined}
	 */
	findContactByEmail(email) {
		const normalized = normalizeEmail(email);
		const storedId = this.#contactIdsByEmail.get(normalized);
		if (storedId !== undefined) return this.#contacts.get(storedId);
		return this.#unstoredBulkContact(findBulkContactByEmail(normalized));
	}

	/**
	 * A bulk contact the store holds is found only as stored: its email may have changed since.
	 * @param {Contact | undefined} bulk
	 * @returns {Contact | undefined}
	 */
	#unstoredBulkContact(bulk) {
		return bulk && !this.#contacts.has(bulk.id) ? bulk : undefined;
	}

	/**
	 * A found bulk contact is made up afresh on each lookup, so a change to it would be lost. Actions
	 * call this on a contact just before changing it, and change what it returns.
	 * @param {Contact} contact
	 * @returns {Contact}
	 */
	materialise(contact) {
		const stored = this.#contacts.get(contact.id);
		if (stored) return stored;
		this.#keepContact(contact);
		return contact;
	}

	/**
	 * @param {number} projectId
	 * @param {string} email
	 * @returns {Contact} the stored new contact, in no tag or segment yet
	 */
	addContact(projectId, email) {
		/** @type {Contact} */
		const contact = {
			id: this.#nextIds.contact++,
			project_id: projectId,
			email,
			tags: [],
			segments: [],
			notes: [],
			custom_fields: {},
		};
		this.#keepContact(contact);
		return contact;
	}

	/**
	 * @param {Contact} contact a stored contact, as materialise returns it
	 * @param {string} email
	 */
	changeEmail(contact, email) {
		this.#contactIdsByEmail.delete(normalizeEmail(contact.email));
		contact.email = email;
		this.#contactIdsByEmail.set(normalizeEmail(email), contact.id);
	}

	/** @param {Contact} contact */
	#keepContact(contact) {
		this.#contacts.set(contact.id, contact);
		this.#contactIdsByEmail.set(normalizeEmail(contact.email), contact.id);
	}

	/**
	 * @param {Omit<SandboxEvent, 'id'>} fields
	 * @returns {SandboxEvent}
	 */
	addEvent(fields) {
		const event = { id: this.#nextIds.event++, ...fields };
		this.events.set(event.id, event);
		return event;
	}

	/**
	 * @param {Omit<CustomField, 'id'>} fields
	 * @returns {CustomField}
	 */
	addCustomField(fields) {
		const field = { id: this.#nextIds.customField++, ...fields };
		this.customFields.set(field.id, field);
		return field;
	}

	/** @returns {SandboxState} */
	state() {
		return {
			projects: sortedCopies(this.projects.values()),
			contacts: sortedCopies(this.#contacts.values()),
			tags: sortedCopies(this.tags.values()),
			segments: sortedCopies(this.segments.values()),
			customFields: sortedCopies(this.customFields.values()),
			events: sortedCopies(this.events.values()),
		};
	}
}

module.exports = { Store };
