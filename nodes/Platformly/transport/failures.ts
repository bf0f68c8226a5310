/**
 * What kind of failure an answer, or its absence, is. Retries (retry.ts), the credential's Test and
 * Fire Event's Create Contact If Missing decide by the kind; errors.ts words each kind.
 */

/** How a Platformly call can fail. */
export type FailureKind =
	| 'platformly'
	| 'rate-limited'
	| 'unavailable'
	| 'server'
	| 'auth'
	| 'not-found'
	| 'redirect'
	| 'http'
	| 'not-json'
	| 'unexpected-answer'
	| 'too-large'
	| 'timeout'
	| 'refused'
	| 'network'
	| 'cut-off'
	| 'cancelled'
	| 'stopped'
	| 'late';

export interface PlatformlyFailure {
	kind: FailureKind;
	message: string;
	description: string;
	httpCode?: number;
	/** Wait the server asked for (Retry-After), in milliseconds. */
	retryAfterMs?: number;
	/** Where a redirect pointed, as a host name only. */
	redirectHost?: string;
}

/** The kinds an HTTP status other than 2xx can be. */
export type HttpFailureKind = Extract<
	FailureKind,
	'rate-limited' | 'unavailable' | 'redirect' | 'server' | 'auth' | 'not-found' | 'http'
>;

export function httpFailureKind(statusCode: number): HttpFailureKind {
	if (statusCode === 429) return 'rate-limited';
	if (statusCode === 503) return 'unavailable';
	if (statusCode >= 300 && statusCode < 400) return 'redirect';
	if (statusCode >= 500) return 'server';
	if (statusCode === 401 || statusCode === 403) return 'auth';
	if (statusCode === 404) return 'not-found';
	return 'http';
}

/** The kinds a request that got no answer can be. */
export type ConnectionFailureKind = Extract<
	FailureKind,
	'refused' | 'cancelled' | 'network' | 'cut-off'
>;

/** Codes of a connection that was never made: nothing reached Platformly. errors.ts words each. */
const NOT_CONNECTED_CODES = [
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
] as const;

export type NotConnectedCode = (typeof NOT_CONNECTED_CODES)[number];

export function isNotConnectedCode(code: string | undefined): code is NotConnectedCode {
	return (NOT_CONNECTED_CODES as readonly unknown[]).includes(code);
}

/** Certificate and TLS errors end the handshake, before anything is sent. */
const TLS_ERROR_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_)/;

/**
 * Error codes of Node's sockets and of axios, as n8n's HTTP helpers pass them on: refused and never
 * connected mean nothing was sent; any other (a reset, a socket closed mid-answer) may have come
 * after Platformly had the request.
 */
export function connectionFailureKind(code: string | undefined): ConnectionFailureKind {
	if (code === 'ECONNREFUSED') return 'refused';
	if (code === 'ERR_CANCELED') return 'cancelled';
	if (isNotConnectedCode(code) || (code !== undefined && TLS_ERROR_CODE.test(code))) {
		return 'network';
	}
	return 'cut-off';
}

/**
 * Platformly's answer when no contact matches, as public clients compare it (WP Fusion). The
 * node recognises it to offer "Create Contact If Missing" and a clearer "not found".
 */
const CONTACT_NOT_FOUND_MESSAGE = 'contact not found';

export function isContactNotFound(failure: PlatformlyFailure): boolean {
	return (
		failure.kind === 'platformly' &&
		failure.message.trim().toLowerCase() === CONTACT_NOT_FOUND_MESSAGE
	);
}
