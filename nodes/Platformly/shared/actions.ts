/**
 * Platformly's method names, sent in the `action` form field. One place for them, so the node,
 * the credential test and the tests cannot drift apart.
 */
export const PLATFORMLY_ACTIONS = {
	profile: 'profile',
	contactEventFire: 'contact_event_fire',
} as const;

export const PLATFORMLY_DEFAULT_BASE_URL = 'https://api.platform.ly';

export const PLATFORMLY_CREDENTIAL_TYPE = 'platformlyApi';
