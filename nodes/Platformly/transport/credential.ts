import type { IDataObject } from 'n8n-workflow';

import { baseUrlProblems } from '../errors';

export const PLATFORMLY_CREDENTIAL_TYPE = 'platformlyApi';

/**
 * The credential field holding the secret the Platformly Trigger checks in a post's URL; empty
 * when the trigger lets every post in.
 */
export const TRIGGER_SECRET_FIELD = 'triggerSecret';

/** The credential field as the credential's form shows it. */
export const TRIGGER_SECRET_FIELD_NAME = 'Trigger Secret';

export const PLATFORMLY_DEFAULT_BASE_URL = 'https://api.platform.ly';

/** The credential field as the credential's form shows it; errors about it name it so. */
export const BASE_URL_FIELD_NAME = 'Base URL';

/**
 * Platformly reads the key from the form body, not from a header. The one place that puts it
 * there: the credential's `authenticate` for the node's requests, and the credential's Test.
 */
export function withApiKey(body: IDataObject, apiKey: unknown): IDataObject {
	return { ...body, api_key: apiKey as string };
}

/**
 * A Base URL fit to send the API key to, and the form of it that messages may show: no user
 * name, no password, no query string and no fragment, since any of them can hold a secret.
 */
export interface PlatformlyAddress {
	url: string;
	shown: string;
	/**
	 * The address as an account is known by, the same for every spelling of it: scheme and host
	 * in lower case, no default port, no trailing slash.
	 */
	normalized: string;
}

export type CheckedBaseUrl =
	{ ok: true; address: PlatformlyAddress } | { ok: false; problem: string };

function normalized(url: URL): string {
	return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
}

/** Scheme, host, port and path; a query is marked, never shown. */
function showable(url: URL): string {
	const path = url.pathname === '/' ? '' : url.pathname;
	return `${url.protocol}//${url.host}${path}${url.search ? '?…' : ''}`;
}

/**
 * Checks the credential's Base URL. The value itself is never repeated in a problem: a user who
 * pasted the API key into this field would otherwise see it in the error, and n8n would store it.
 */
export function checkBaseUrl(raw: unknown): CheckedBaseUrl {
	const text =
		typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : PLATFORMLY_DEFAULT_BASE_URL;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { ok: false, problem: baseUrlProblems.notAUrl(PLATFORMLY_DEFAULT_BASE_URL) };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return { ok: false, problem: baseUrlProblems.notHttp(url.protocol) };
	}
	if (url.username !== '' || url.password !== '') {
		return { ok: false, problem: baseUrlProblems.userInfo };
	}
	return { ok: true, address: { url: text, shown: showable(url), normalized: normalized(url) } };
}

/** The host a redirect's Location points to, resolved against the address that sent it. */
export function redirectHost(location: unknown, from: PlatformlyAddress): string | undefined {
	if (typeof location !== 'string' || location.trim() === '') return undefined;
	try {
		return new URL(location.trim(), from.url).host || undefined;
	} catch {
		return undefined;
	}
}
