/** Platformly's method names, sent in the `action` form field. */
export const PLATFORMLY_ACTIONS = {
	profile: 'profile',
	contactEventFire: 'contact_event_fire',
	fetchContact: 'fetch_contact',
	addContact: 'add_contact',
	updateContact: 'update_contact',
	contactAddNote: 'contact_add_note',
	contactTagAdd: 'contact_tag_add',
	contactTagRemove: 'contact_tag_remove',
	contactTagRemoveAll: 'contact_tag_removeall',
	contactSegmentAdd: 'contact_segment_add',
	contactSegmentRemoveAll: 'contact_segment_removeall',
	addEvent: 'add_event',
	updateEvent: 'update_event',
	listProjects: 'list_projects',
	listTags: 'list_tags',
	updateTag: 'update_tag',
	listSegments: 'list_segments',
	listCustomFields: 'list_custom_fields',
	addCustomField: 'add_custom_field',
} as const;

/**
 * Actions that only read. Sending one again can do no harm, so failures after which a change
 * might have been made are retried for these whatever the Retry Uncertain Failures option says,
 * and their errors say that nothing was changed.
 */
export const READ_ONLY_ACTIONS: ReadonlySet<string> = new Set([
	PLATFORMLY_ACTIONS.profile,
	PLATFORMLY_ACTIONS.fetchContact,
	PLATFORMLY_ACTIONS.listProjects,
	PLATFORMLY_ACTIONS.listTags,
	PLATFORMLY_ACTIONS.listSegments,
	PLATFORMLY_ACTIONS.listCustomFields,
]);
