'use strict';

const { SANDBOX_ACCOUNT, SANDBOX_PAGE_SIZE, CONTACT_FIELDS } = require('./seed');

/**
 * The `message` texts the sandbox answers with. Three are Platformly's own: `processed` from its
 * reference page for contact_event_fire, `contactNotFound` from what public clients (WP Fusion) check
 * for, and `actionNotProcessed` from what WP Fusion gets when update_contact matches no contact.
 * Platformly's other texts are not published, so the rest are the sandbox's best guess. The
 * `...NotFound` texts for tags, segments and custom fields and `unknownField` are answered with what
 * they name appended, e.g. "Tag Not Found: 999".
 */
const MESSAGES = Object.freeze({
	processed: 'The action has been processed',
	contactAdded: 'The contact has been added',
	eventCreated: 'The event has been created',
	customFieldCreated: 'The custom field has been created',
	invalidApiKey: 'Invalid API key',
	unknownAction: 'Unknown action',
	expectedForm: 'Expected application/x-www-form-urlencoded',
	invalidValue: 'Invalid value: not a JSON object',
	contactRequired: 'Contact ID or email is required',
	contactNotFound: 'Contact Not Found',
	contactExists: 'Contact already exists',
	actionNotProcessed: 'The action was not processed.',
	emailRequired: 'Email is required',
	projectRequired: 'Project ID is required',
	projectNotFound: 'Project Not Found',
	unknownField: 'Unknown field',
	customFieldNotFound: 'Custom Field Not Found',
	tagRequired: 'Tag is required',
	tagIdRequired: 'Tag ID is required',
	tagNotFound: 'Tag Not Found',
	segmentRequired: 'Segment is required',
	segmentNotFound: 'Segment Not Found',
	noteRequired: 'Note is required',
	eventRequired: 'Event ID is required',
	eventNotFound: 'Event Not Found',
	actionRequired: 'Action is required',
	descriptionRequired: 'Description is required',
	nameRequired: 'Name is required',
	nameOrDescriptionRequired: 'Name or description is required',
	nothingToUpdate: 'Nothing to update',
	invalidOptions: 'Invalid options: not a JSON object',
	invalidPage: 'Invalid page: not a whole number, 0 or more',
	simulatedFailure: 'Simulated failure',
});

/**
 * @typedef {import('./seed').Contact} Contact
 * @typedef {import('./seed').ContactField} ContactField
 * @typedef {import('./store').Store} Store
 *
 * @typedef {object} FiredEventInput
 * @property {Contact} contact
 * @property {number} event
 * @property {Record<string, unknown> | null} options
 *
 * @typedef {object} TagsAddedInput
 * @property {Contact} contact as it is once the action has changed it
 * @property {number[]} tags only those the contact did not have before; may be empty
 *
 * @typedef {object} ActionContext
 * @property {Store} store what this sandbox knows; actions read and change it
 * @property {string} at ISO time the request arrived, as in its record
 * @property {boolean} wrapPages the fault setting of that name, as it was when the request arrived
 * @property {(fired: FiredEventInput) => void} recordFiredEvent
 * @property {(added: TagsAddedInput) => void} recordTagsAdded the automations that start on a tag
 *   start on it being added, so every action that adds tags reports the ones it added
 *
 * Read actions answer the raw object or array, mutations a body with `status`.
 * @typedef {Record<string, unknown> | Record<string, unknown>[]} ActionAnswer
 *
 * An action gets the request's `value`, already parsed into an object, and returns the JSON body to
 * answer with. Platformly reports failures in the body, so a handler answers them instead of
 * throwing (inside, its checks throw ActionError; see answersFailuresInBody).
 * @callback ActionHandler
 * @param {Record<string, unknown>} value
 * @param {ActionContext} context
 * @returns {ActionAnswer}
 */

/** A failure Platformly reports in the answer's body, with `message` as its text. */
class ActionError extends Error {}

/**
 * @param {string} message
 * @returns {{ status: 'error', message: string }}
 */
function errorBody(message) {
	return { status: 'error', message };
}

/**
 * @param {string} message
 * @param {Record<string, unknown>} [data] what was created, for the actions that create something
 * @returns {Record<string, unknown>}
 */
function success(message, data) {
	return data === undefined ? { status: 'success', message } : { status: 'success', message, data };
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
 * How an id that names nothing appears in a "... Not Found: <id>" message: as the client wrote it.
 * @param {unknown} raw
 */
function describeId(raw) {
	return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

/**
 * @param {unknown} raw
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
 * A text field counts as sent only when it is a string with more than spaces in it; it is kept as
 * sent.
 * @param {Record<string, unknown>} value
 * @param {string} key
 * @returns {string | undefined}
 */
function readText(value, key) {
	const raw = value[key];
	return typeof raw === 'string' && raw.trim() !== '' ? raw : undefined;
}

/**
 * @param {Record<string, unknown>} value
 * @param {string} key
 * @param {string} message the error when it is missing
 */
function requireText(value, key, message) {
	const text = readText(value, key);
	if (text === undefined) throw new ActionError(message);
	return text;
}

/**
 * `options` may be left out, but when sent it must be an object: contact_event_fire passes it on as
 * it is, and add_event and update_event store it as the event's options.
 * @param {Record<string, unknown>} value
 * @returns {Record<string, unknown> | undefined}
 */
function readOptions(value) {
	if (value.options === undefined) return undefined;
	if (!isPlainObject(value.options)) throw new ActionError(MESSAGES.invalidOptions);
	return value.options;
}

/**
 * The changes an update action was sent, without those it was not, ready for Object.assign.
 * @template {Record<string, unknown>} T
 * @param {T} changes
 * @returns {Partial<T>}
 */
function sentOnly(changes) {
	return /** @type {Partial<T>} */ (
		Object.fromEntries(Object.entries(changes).filter(([, change]) => change !== undefined))
	);
}

/**
 * @template T
 * @param {ReadonlyMap<number, T>} items
 * @param {unknown} rawId
 * @returns {T | undefined}
 */
function findById(items, rawId) {
	const id = parseId(rawId);
	return id === undefined ? undefined : items.get(id);
}

/**
 * Tags, segments and custom fields are a project's own; one of another project is not found.
 * @template {{ project_id: number }} T
 * @param {ReadonlyMap<number, T>} items
 * @param {number} projectId
 * @param {unknown} rawId
 * @returns {T | undefined}
 */
function findInProject(items, projectId, rawId) {
	const item = findById(items, rawId);
	return item?.project_id === projectId ? item : undefined;
}

/**
 * @template {{ project_id: number }} T
 * @param {ReadonlyMap<number, T>} items
 * @param {number} projectId
 * @returns {T[]} in id order, as the seed and the store's counters add them
 */
function itemsOfProject(items, projectId) {
	return [...items.values()].filter((item) => item.project_id === projectId);
}

/**
 * @param {Store} store
 * @param {Record<string, unknown>} value
 * @returns {import('./seed').Project}
 */
function requireProject(store, value) {
	if (isAbsent(value.project_id)) throw new ActionError(MESSAGES.projectRequired);
	const project = findById(store.projects, value.project_id);
	if (!project) throw new ActionError(MESSAGES.projectNotFound);
	return project;
}

/**
 * Pages are 0-based, as the `"page": "0"` in Platformly's examples suggests; a page past the end is
 * empty, which is how a client knows it has seen everything. With `wrap` it is not: page p is page
 * p mod the page count, so a client that waits for an empty page never gets one.
 * @template T
 * @param {T[]} items
 * @param {unknown} rawPage
 * @param {boolean} wrap
 * @returns {T[]}
 */
function pageOf(items, rawPage, wrap) {
	const page = isAbsent(rawPage) ? 0 : parseId(rawPage);
	if (page === undefined) throw new ActionError(MESSAGES.invalidPage);
	const pageCount = Math.ceil(items.length / SANDBOX_PAGE_SIZE);
	// No items make no pages to wrap round to; the empty page stays empty.
	const answered = wrap && pageCount > 0 ? page % pageCount : page;
	return items.slice(answered * SANDBOX_PAGE_SIZE, (answered + 1) * SANDBOX_PAGE_SIZE);
}

/**
 * @param {Record<string, unknown>} value
 */
function hasContactIdentity(value) {
	return !isAbsent(value.contact_id) || !isAbsent(value.email);
}

/**
 * @param {Store} store
 * @param {unknown} rawId
 * @returns {Contact | undefined}
 */
function contactWithId(store, rawId) {
	const id = parseId(rawId);
	return id === undefined ? undefined : store.findContactById(id);
}

/**
 * @param {Store} store
 * @param {unknown} rawEmail
 * @returns {Contact | undefined}
 */
function contactWithEmail(store, rawEmail) {
	return typeof rawEmail === 'string' ? store.findContactByEmail(rawEmail) : undefined;
}

/**
 * contact_id wins when both identifiers are sent; if the email then names someone else, the pair
 * cannot be one contact, and acting on either would hide a bug in the caller.
 * @param {Store} store
 * @param {Record<string, unknown>} value
 * @returns {Contact | undefined}
 */
function resolveContact(store, value) {
	if (isAbsent(value.contact_id)) return contactWithEmail(store, value.email);
	const byId = contactWithId(store, value.contact_id);
	if (isAbsent(value.email)) return byId;
	return byId && contactWithEmail(store, value.email)?.id === byId.id ? byId : undefined;
}

/**
 * @param {Store} store
 * @param {Record<string, unknown>} value
 * @returns {Contact}
 */
function requireContact(store, value) {
	if (!hasContactIdentity(value)) throw new ActionError(MESSAGES.contactRequired);
	const contact = resolveContact(store, value);
	if (!contact) throw new ActionError(MESSAGES.contactNotFound);
	return contact;
}

/**
 * The address a contact is to have: one with an "@" that no other contact has. Matching ignores
 * case and surrounding spaces (see the store), so the spaces are not kept either.
 * @param {Store} store
 * @param {unknown} rawEmail
 * @param {Contact} [owner] the contact it is for, if it exists already
 */
function requireFreeEmail(store, rawEmail, owner) {
	const email = typeof rawEmail === 'string' ? rawEmail.trim() : '';
	if (!email.includes('@')) throw new ActionError(MESSAGES.emailRequired);
	const holder = store.findContactByEmail(email);
	if (holder && holder.id !== owner?.id) throw new ActionError(MESSAGES.contactExists);
	return email;
}

/**
 * Tags and segments are both sets of ids on a contact, sent as a multi-ID field; they differ only
 * in names and messages.
 * @typedef {object} MembershipKind
 * @property {'tag' | 'segment'} field the multi-ID field in `value`
 * @property {'tags' | 'segments'} collection the Store map and the Contact array that hold them
 * @property {string} required
 * @property {string} notFound
 */

/** @type {Readonly<MembershipKind>} */
const TAG_MEMBERSHIP = Object.freeze({
	field: 'tag',
	collection: 'tags',
	required: MESSAGES.tagRequired,
	notFound: MESSAGES.tagNotFound,
});
/** @type {Readonly<MembershipKind>} */
const SEGMENT_MEMBERSHIP = Object.freeze({
	field: 'segment',
	collection: 'segments',
	required: MESSAGES.segmentRequired,
	notFound: MESSAGES.segmentNotFound,
});

/**
 * Multi-ID fields are comma-separated ids ("201,202"); a single id may also come as a number.
 * Anything else is one id that cannot name anything.
 * @param {unknown} raw
 * @returns {unknown[]}
 */
function splitIdList(raw) {
	return typeof raw === 'string' ? raw.split(',').map((piece) => piece.trim()) : [raw];
}

/**
 * @param {Readonly<MembershipKind>} kind
 * @param {Store} store
 * @param {number} projectId the project the tags or segments must be in
 * @param {Record<string, unknown>} value
 * @returns {number[]} empty when the field was not sent
 */
function readMemberships(kind, store, projectId, value) {
	const raw = value[kind.field];
	if (isAbsent(raw)) return [];
	return splitIdList(raw).map((rawId) => {
		const item = findInProject(store[kind.collection], projectId, rawId);
		if (!item) throw new ActionError(`${kind.notFound}: ${describeId(rawId)}`);
		return item.id;
	});
}

/**
 * @param {Readonly<MembershipKind>} kind
 * @param {Store} store
 * @param {number} projectId
 * @param {Record<string, unknown>} value
 * @returns {number[]}
 */
function requireMemberships(kind, store, projectId, value) {
	if (isAbsent(value[kind.field])) throw new ActionError(kind.required);
	return readMemberships(kind, store, projectId, value);
}

/**
 * @param {number[]} ids changed in place
 * @param {number[]} added
 * @returns {number[]} those of `added` that `ids` did not hold before
 */
function addIds(ids, added) {
	/** @type {number[]} */
	const newIds = [];
	for (const id of added) {
		if (!ids.includes(id)) {
			ids.push(id);
			newIds.push(id);
		}
	}
	return newIds;
}

const CUSTOM_FIELD_KEY = /^cf_(.*)_(\d+)$/;

/**
 * @param {import('./seed').CustomField} field
 */
function customFieldKey(field) {
	return `cf_${field.alias}_${field.id}`;
}

/**
 * A `cf_<alias>_<id>` key must name a custom field of the project by both its alias and its id,
 * as Platformly's custom-field guide builds the key from both.
 * @param {Store} store
 * @param {number} projectId
 * @param {string} key
 */
function checkCustomFieldKey(store, projectId, key) {
	const [, alias, rawId] = CUSTOM_FIELD_KEY.exec(key) ?? [];
	const field = findInProject(store.customFields, projectId, rawId);
	if (!field || field.alias !== alias)
		throw new ActionError(`${MESSAGES.customFieldNotFound}: ${key}`);
}

/**
 * @param {string} key
 * @returns {key is ContactField}
 */
function isContactField(key) {
	return /** @type {readonly string[]} */ (CONTACT_FIELDS).includes(key);
}

/**
 * What add_contact and update_contact were asked to write, checked in full before either writes.
 * @typedef {object} ContactChanges
 * @property {Partial<Record<ContactField, unknown>>} fields
 * @property {Record<string, unknown>} customFields by `cf_<alias>_<id>` key
 * @property {number[]} tags
 * @property {number[]} segments
 */

/**
 * Every key of `value` must be one the action reads itself (`ownKeys`), a standard contact field, a
 * custom field key of the project, `tag` or `segment`; a misspelt key is refused rather than lost.
 * @param {Store} store
 * @param {number} projectId
 * @param {Record<string, unknown>} value
 * @param {readonly string[]} ownKeys
 * @returns {ContactChanges}
 */
function checkContactChanges(store, projectId, value, ownKeys) {
	/** @type {ContactChanges['fields']} */
	const fields = {};
	/** @type {ContactChanges['customFields']} */
	const customFields = {};
	/** @type {readonly string[]} */
	const keysReadElsewhere = [...ownKeys, TAG_MEMBERSHIP.field, SEGMENT_MEMBERSHIP.field];
	for (const [key, raw] of Object.entries(value)) {
		if (keysReadElsewhere.includes(key)) continue;
		if (isContactField(key)) {
			fields[key] = raw;
		} else if (key.startsWith('cf_')) {
			checkCustomFieldKey(store, projectId, key);
			customFields[key] = raw;
		} else {
			throw new ActionError(`${MESSAGES.unknownField}: ${key}`);
		}
	}
	return {
		fields,
		customFields,
		tags: readMemberships(TAG_MEMBERSHIP, store, projectId, value),
		segments: readMemberships(SEGMENT_MEMBERSHIP, store, projectId, value),
	};
}

/**
 * Fields and custom fields are overwritten as sent; tags and segments are added to what the contact
 * has, as Platformly's update_contact does.
 * @param {Contact} contact a stored contact, as Store#materialise returns it
 * @param {ContactChanges} changes
 * @returns {number[]} the tags the contact did not have before
 */
function applyContactChanges(contact, changes) {
	Object.assign(contact, changes.fields);
	Object.assign(contact.custom_fields, changes.customFields);
	addIds(contact.segments, changes.segments);
	return addIds(contact.tags, changes.tags);
}

/**
 * The fields fetch_contact always answers, '' when the contact has none: the names and the postal
 * address, at the top level of the contact, as public client tests show them.
 * @type {readonly ContactField[]}
 */
const ALWAYS_DESCRIBED_FIELDS = Object.freeze([
	'first_name',
	'last_name',
	'address',
	'address2',
	'city',
	'state',
	'zip',
]);

/**
 * Platformly's shape as public clients (WP Fusion and others) read it: flat, custom fields under
 * their names, and the tags and segments per project. The names and the address fields are always
 * there ('' when unset), the other fields once set; which of those an unset value leaves out is not
 * known. Tags are objects with their id and name, segments objects with their id, each in the order
 * the contact holds them.
 * @param {Store} store
 * @param {Contact} contact
 * @returns {Record<string, unknown>}
 */
function describeContact(store, contact) {
	/** @type {Record<string, unknown>} */
	const described = { id: contact.id, email: contact.email };
	for (const field of ALWAYS_DESCRIBED_FIELDS) described[field] = contact[field] ?? '';
	for (const field of CONTACT_FIELDS) {
		if (contact[field] !== undefined) described[field] = contact[field];
	}
	for (const field of itemsOfProject(store.customFields, contact.project_id)) {
		const key = customFieldKey(field);
		if (Object.hasOwn(contact.custom_fields, key))
			described[field.name] = contact.custom_fields[key];
	}
	described.project = [
		{
			id: contact.project_id,
			data: {
				segments: contact.segments.map((id) => ({ id })),
				// A contact holds only tags that exist, and no action deletes a tag.
				tags: contact.tags.map((id) => ({ id, name: store.tags.get(id)?.name ?? '' })),
			},
		},
	];
	return described;
}

/** @type {ActionHandler} */
function fetchContact(value, { store }) {
	return describeContact(store, requireContact(store, value));
}

const ADD_CONTACT_KEYS = Object.freeze(['project_id', 'email']);

/** @type {ActionHandler} */
function addContact(value, { store, recordTagsAdded }) {
	const project = requireProject(store, value);
	const email = requireFreeEmail(store, value.email);
	const changes = checkContactChanges(store, project.id, value, ADD_CONTACT_KEYS);
	const contact = store.addContact(project.id, email);
	recordTagsAdded({ contact, tags: applyContactChanges(contact, changes) });
	return success(MESSAGES.contactAdded, { cc_id: contact.id });
}

const UPDATE_CONTACT_KEYS = Object.freeze(['project_id', 'contact_id', 'email']);

/**
 * update_contact, unlike the other contact actions, matches by contact_id alone when it is sent, so
 * that an email beside it can be the contact's new address.
 * @param {Store} store
 * @param {Record<string, unknown>} value
 * @returns {Contact | undefined}
 */
function contactToUpdate(store, value) {
	return isAbsent(value.contact_id)
		? contactWithEmail(store, value.email)
		: contactWithId(store, value.contact_id);
}

/** @type {ActionHandler} */
function updateContact(value, { store, recordTagsAdded }) {
	const project = requireProject(store, value);
	if (!hasContactIdentity(value)) throw new ActionError(MESSAGES.contactRequired);
	const changes = checkContactChanges(store, project.id, value, UPDATE_CONTACT_KEYS);
	const contact = contactToUpdate(store, value);
	// A contact of another project is not one this project's update can match.
	if (!contact || contact.project_id !== project.id)
		throw new ActionError(MESSAGES.actionNotProcessed);
	const newEmail =
		isAbsent(value.contact_id) || isAbsent(value.email)
			? undefined
			: requireFreeEmail(store, value.email, contact);

	const stored = store.materialise(contact);
	if (newEmail !== undefined) store.changeEmail(stored, newEmail);
	recordTagsAdded({ contact: stored, tags: applyContactChanges(stored, changes) });
	return success(MESSAGES.processed);
}

/** @type {ActionHandler} */
function contactAddNote(value, { store, at }) {
	const contact = requireContact(store, value);
	const note = requireText(value, 'note', MESSAGES.noteRequired);
	store.materialise(contact).notes.push({ note, at });
	return success(MESSAGES.processed);
}

/**
 * The tags or segments sent must be of the contact's project. Only tags start automations.
 * @param {Readonly<MembershipKind>} kind
 * @returns {ActionHandler}
 */
function addMemberships(kind) {
	return (value, { store, recordTagsAdded }) => {
		const contact = requireContact(store, value);
		const added = requireMemberships(kind, store, contact.project_id, value);
		const stored = store.materialise(contact);
		const newIds = addIds(stored[kind.collection], added);
		if (kind === TAG_MEMBERSHIP) recordTagsAdded({ contact: stored, tags: newIds });
		return success(MESSAGES.processed);
	};
}

/**
 * @param {Readonly<MembershipKind>} kind
 * @returns {ActionHandler}
 */
function removeAllMemberships(kind) {
	return (value, { store }) => {
		const contact = requireContact(store, value);
		store.materialise(contact)[kind.collection] = [];
		return success(MESSAGES.processed);
	};
}

/**
 * Removing a tag the contact does not have is fine; one that does not exist is not.
 * @type {ActionHandler}
 */
function contactTagRemove(value, { store }) {
	const contact = requireContact(store, value);
	const removed = requireMemberships(TAG_MEMBERSHIP, store, contact.project_id, value);
	const stored = store.materialise(contact);
	stored.tags = stored.tags.filter((id) => !removed.includes(id));
	return success(MESSAGES.processed);
}

/** @type {ActionHandler} */
function contactEventFire(value, { store, recordFiredEvent }) {
	if (!hasContactIdentity(value)) throw new ActionError(MESSAGES.contactRequired);
	if (isAbsent(value.event)) throw new ActionError(MESSAGES.eventRequired);
	const options = readOptions(value);
	const event = findById(store.events, value.event);
	if (!event) throw new ActionError(MESSAGES.eventNotFound);
	const contact = resolveContact(store, value);
	if (!contact) throw new ActionError(MESSAGES.contactNotFound);

	recordFiredEvent({ contact, event: event.id, options: options ?? null });
	return success(MESSAGES.processed);
}

/** @type {ActionHandler} */
function addEvent(value, { store }) {
	const project = requireProject(store, value);
	const action = requireText(value, 'action', MESSAGES.actionRequired);
	const desc = requireText(value, 'desc', MESSAGES.descriptionRequired);
	const options = readOptions(value) ?? {};
	const event = store.addEvent({ project_id: project.id, action, desc, options });
	return success(MESSAGES.eventCreated, { id: event.id });
}

/** @type {ActionHandler} */
function updateEvent(value, { store }) {
	if (isAbsent(value.event)) throw new ActionError(MESSAGES.eventRequired);
	const changes = sentOnly({
		action: readText(value, 'action'),
		desc: readText(value, 'desc'),
		options: readOptions(value),
	});
	if (Object.keys(changes).length === 0) throw new ActionError(MESSAGES.nothingToUpdate);
	const event = findById(store.events, value.event);
	if (!event) throw new ActionError(MESSAGES.eventNotFound);
	Object.assign(event, changes);
	return success(MESSAGES.processed);
}

/** @type {ActionHandler} */
function updateTag(value, { store }) {
	if (isAbsent(value.tag)) throw new ActionError(MESSAGES.tagIdRequired);
	const changes = sentOnly({ name: readText(value, 'name'), desc: readText(value, 'desc') });
	if (Object.keys(changes).length === 0) throw new ActionError(MESSAGES.nameOrDescriptionRequired);
	const tag = findById(store.tags, value.tag);
	if (!tag) throw new ActionError(`${MESSAGES.tagNotFound}: ${describeId(value.tag)}`);
	Object.assign(tag, changes);
	return success(MESSAGES.processed);
}

/**
 * The key part of `cf_<alias>_<id>`: the name in lower case, each run of other characters than
 * a-z and 0-9 made one '_', with none at either end ("Favourite colour" -> "favourite_colour").
 * @param {string} name
 */
function aliasOf(name) {
	return name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '');
}

/**
 * Platformly's add_custom_field makes text fields only.
 * @type {ActionHandler}
 */
function addCustomField(value, { store }) {
	const project = requireProject(store, value);
	const name = requireText(value, 'name', MESSAGES.nameRequired);
	const field = store.addCustomField({
		project_id: project.id,
		name,
		alias: aliasOf(name),
		type: 'text',
		...sentOnly({ desc: readText(value, 'desc') }),
	});
	return success(MESSAGES.customFieldCreated, { id: field.id, alias: field.alias });
}

/**
 * All of them: accounts have few projects, and no client was seen sending a page.
 * @type {ActionHandler}
 */
function listProjects(_value, { store }) {
	return [...store.projects.values()].map(({ id, name }) => ({ id, name }));
}

/**
 * list_tags, list_segments and list_custom_fields each answer one project's items, showing what
 * Platformly's list shows of them.
 * @template {{ project_id: number }} T
 * @param {(store: Store) => ReadonlyMap<number, T>} itemsIn
 * @param {(item: T) => Record<string, unknown>} listed
 * @param {{ paged: boolean }} paging
 * @returns {ActionHandler}
 */
function projectList(itemsIn, listed, { paged }) {
	return (value, { store, wrapPages }) => {
		const project = requireProject(store, value);
		const items = itemsOfProject(itemsIn(store), project.id);
		return (paged ? pageOf(items, value.page, wrapPages) : items).map(listed);
	};
}

/**
 * Handlers throw ActionError from checks several calls deep; this answers it as Platformly does,
 * in the body, so that no check has to pass its failure back up by hand. Anything else thrown is a
 * sandbox bug and goes on to the server's HTTP 500.
 * @param {ActionHandler} handler
 * @returns {ActionHandler}
 */
function answersFailuresInBody(handler) {
	return (value, context) => {
		try {
			return handler(value, context);
		} catch (error) {
			if (error instanceof ActionError) return errorBody(error.message);
			throw error;
		}
	};
}

/**
 * Every action the sandbox understands, by Platformly's name. Adding one means adding a handler
 * here; the server's dispatch does not change.
 * @type {Readonly<Record<string, ActionHandler>>}
 */
const ACTIONS = Object.freeze(
	Object.fromEntries(
		Object.entries({
			profile: () => SANDBOX_ACCOUNT,
			contact_event_fire: contactEventFire,
			fetch_contact: fetchContact,
			add_contact: addContact,
			update_contact: updateContact,
			contact_add_note: contactAddNote,
			contact_tag_add: addMemberships(TAG_MEMBERSHIP),
			contact_tag_remove: contactTagRemove,
			contact_tag_removeall: removeAllMemberships(TAG_MEMBERSHIP),
			contact_segment_add: addMemberships(SEGMENT_MEMBERSHIP),
			contact_segment_removeall: removeAllMemberships(SEGMENT_MEMBERSHIP),
			add_event: addEvent,
			update_event: updateEvent,
			list_projects: listProjects,
			list_tags: projectList(
				(store) => store.tags,
				({ id, name, desc }) => ({ id, name, desc }),
				{ paged: true },
			),
			update_tag: updateTag,
			list_segments: projectList(
				(store) => store.segments,
				({ id, name }) => ({ id, name }),
				{ paged: true },
			),
			list_custom_fields: projectList(
				(store) => store.customFields,
				({ id, name, alias, type }) => ({ id, name, alias, type }),
				{
					paged: false,
				},
			),
			add_custom_field: addCustomField,
		}).map(([name, handler]) => [name, answersFailuresInBody(handler)]),
	),
);

module.exports = { ACTIONS, MESSAGES, errorBody, isPlainObject };
