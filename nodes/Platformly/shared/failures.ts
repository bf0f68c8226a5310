import type { IDataObject } from 'n8n-workflow';

/**
 * Every way a Platformly call can fail, worded once. The transport classifies; the node turns a
 * failure into an n8n error for its item. Nothing here ever sees the API key: messages are built
 * from status codes, error codes, Platformly's own `message` and the Base URL as it may be shown
 * (no user info, no query), never from the request.
 */
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
	| 'cancelled';

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

const CHECK_BASE_URL =
	'Check the Base URL in the Platformly credential (normally https://api.platform.ly).';

/**
 * What the user should believe after a request was sent but no complete answer came: a read
 * changed nothing, anything else may already have happened in Platformly.
 */
function afterUncertainSend(readOnly: boolean): string {
	return readOnly
		? 'This operation only reads, so nothing was changed.'
		: 'Platformly may already have made the change (fired the event, added the note): check there before sending it again.';
}

/** Platformly's `status`, compared the way its clients do but without caring about case. */
export function isErrorStatus(answer: IDataObject): boolean {
	return typeof answer.status === 'string' && answer.status.trim().toLowerCase() === 'error';
}

export function platformlyReportedError(answer: IDataObject, action: string): PlatformlyFailure {
	const message =
		typeof answer.message === 'string' && answer.message.trim() !== ''
			? answer.message
			: 'Platformly reported an error without a message';
	return {
		kind: 'platformly',
		message,
		description: `Platformly answered {"status": "error"} to the "${action}" request.`,
	};
}

/** Retry-After is either a number of seconds or an HTTP date. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function httpStatusFailure(
	statusCode: number,
	headers: IDataObject = {},
	redirectHost?: string,
): PlatformlyFailure {
	const httpCode = statusCode;
	if (statusCode === 429) {
		return {
			kind: 'rate-limited',
			httpCode,
			retryAfterMs: parseRetryAfter(headers['retry-after']),
			message: 'Platformly is limiting the request rate (HTTP 429)',
			description:
				'Platformly asked to slow down. Send fewer requests at once, or try again later.',
		};
	}
	if (statusCode === 503) {
		return {
			kind: 'unavailable',
			httpCode,
			retryAfterMs: parseRetryAfter(headers['retry-after']),
			message: 'Platformly is temporarily unavailable (HTTP 503)',
			description: 'Platformly could not take the request. Try again in a moment.',
		};
	}
	if (statusCode >= 300 && statusCode < 400) {
		const pointsTo = redirectHost ? ` It points to ${redirectHost}.` : '';
		return {
			kind: 'redirect',
			httpCode,
			redirectHost,
			message: `Platformly answered with a redirect (HTTP ${statusCode})`,
			description: `The node does not follow redirects, so the API key in the request never goes to another address.${pointsTo} ${CHECK_BASE_URL}`,
		};
	}
	if (statusCode >= 500) {
		return {
			kind: 'server',
			httpCode,
			message: `Platformly had a server error (HTTP ${statusCode})`,
			description:
				'The request reached Platformly but failed there; it may or may not have been processed. Check in Platformly before sending it again.',
		};
	}
	if (statusCode === 401 || statusCode === 403) {
		return {
			kind: 'auth',
			httpCode,
			message: `Platformly refused the request (HTTP ${statusCode})`,
			description:
				'Check the API key in the Platformly credential, and any IP restriction set on that key in Platformly.',
		};
	}
	if (statusCode === 404) {
		return {
			kind: 'not-found',
			httpCode,
			message: 'Nothing answered at the Platformly Base URL (HTTP 404)',
			description: CHECK_BASE_URL,
		};
	}
	return {
		kind: 'http',
		httpCode,
		message: `Platformly answered with HTTP ${statusCode}`,
		description: CHECK_BASE_URL,
	};
}

export function notJsonFailure(statusCode: number, body: string): PlatformlyFailure {
	const flat = body.replace(/\s+/g, ' ').trim();
	const start = flat.length > 120 ? `${flat.slice(0, 120)}...` : flat;
	return {
		kind: 'not-json',
		httpCode: statusCode,
		message: `Platformly's answer is not JSON (HTTP ${statusCode})`,
		description: `The answer began with: ${start || '(an empty body)'}. A proxy or firewall may be answering instead of Platformly. ${CHECK_BASE_URL}`,
	};
}

/** A JSON answer of the wrong shape, e.g. an object where a list action should give a list. */
export function unexpectedAnswerFailure(action: string, expected: string): PlatformlyFailure {
	return {
		kind: 'unexpected-answer',
		message: `Platformly's answer to "${action}" is not ${expected}`,
		description: `The node expected ${expected} and cannot read this answer. ${CHECK_BASE_URL}`,
	};
}

/** No Platformly answer is nested this deep; n8n could not even store one that is. */
export function tooDeepFailure(action: string, maxDepth: number): PlatformlyFailure {
	return {
		kind: 'unexpected-answer',
		message: `Platformly's answer to "${action}" is nested more than ${maxDepth} levels deep`,
		description: `The node does not read answers like this one. ${CHECK_BASE_URL}`,
	};
}

export function tooLargeFailure(maxBytes: number, readOnly: boolean): PlatformlyFailure {
	return {
		kind: 'too-large',
		message: `Platformly's answer is larger than ${maxBytes / 1024 / 1024} MB`,
		description: `The node stopped reading it. ${afterUncertainSend(readOnly)} ${CHECK_BASE_URL}`,
	};
}

/**
 * A list that kept bringing new entries page after page: either a very large account or a server
 * that pages in circles. Either way the node stops rather than read forever.
 */
export function tooManyPagesFailure(action: string, maxPages: number): PlatformlyFailure {
	return {
		kind: 'unexpected-answer',
		message: `Platformly's "${action}" list still had new entries after ${maxPages} pages`,
		description: `The node reads at most ${maxPages} pages of a list. Turn off Return All and set a Limit to read part of it.`,
	};
}

export function timeoutFailure(timeoutMs: number, readOnly: boolean): PlatformlyFailure {
	return {
		kind: 'timeout',
		message: `Platformly sent no complete answer within the timeout of ${timeoutMs / 1000} s`,
		description: `The request was sent. ${afterUncertainSend(readOnly)} Raise the Timeout option if Platformly is slow.`,
	};
}

export function cancelledFailure(): PlatformlyFailure {
	return {
		kind: 'cancelled',
		message: 'The request to Platformly was cancelled',
		description: 'The execution was stopped while the request was in flight.',
	};
}

/** Error codes of a connection that could not be made: nothing reached Platformly. */
const NOT_CONNECTED: Record<string, string> = {
	ENOTFOUND: 'the host name did not resolve',
	EAI_AGAIN: 'the host name did not resolve',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EADDRNOTAVAIL: 'the address is not available',
};

/** Certificate and TLS errors end the handshake, before anything is sent. */
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_)/;

function whyNotConnected(code: string | undefined): string | undefined {
	if (code === undefined) return undefined;
	if (TLS_CODE.test(code)) return `the secure connection failed (${code})`;
	return NOT_CONNECTED[code];
}

/**
 * Error codes of Node's sockets and of axios, as n8n's HTTP helpers pass them on. `shownUrl` is
 * the Base URL as messages may show it.
 */
export function networkFailure(
	code: string | undefined,
	shownUrl: string,
	readOnly: boolean,
): PlatformlyFailure {
	if (code === 'ECONNREFUSED') {
		return {
			kind: 'refused',
			message: `Could not connect to Platformly at ${shownUrl}: connection refused`,
			description: `Nothing accepted the connection. ${CHECK_BASE_URL}`,
		};
	}
	if (code === 'ERR_CANCELED') return cancelledFailure();
	const notConnected = whyNotConnected(code);
	if (notConnected) {
		return {
			kind: 'network',
			message: `Could not connect to Platformly at ${shownUrl}: ${notConnected}`,
			description: `Nothing was sent. ${CHECK_BASE_URL}`,
		};
	}
	return {
		kind: 'cut-off',
		message: `The connection to Platformly at ${shownUrl} broke before a complete answer came${code ? ` (${code})` : ''}`,
		description: afterUncertainSend(readOnly),
	};
}

/**
 * The credential's Test has one line to say what to fix, so each failure is put the way that
 * helps there: the key, the address, or the connection.
 */
export function credentialTestMessage(failure: PlatformlyFailure, shownUrl: string): string {
	switch (failure.kind) {
		case 'platformly':
			return `Platformly rejected the API key: ${failure.message}. Check that the key is copied whole and still active.`;
		case 'auth':
			return `Platformly refused the API key (HTTP ${failure.httpCode}). Check the key, and any IP restriction set on it in Platformly.`;
		case 'redirect':
			return `The Base URL answered with a redirect${failure.redirectHost ? ` to ${failure.redirectHost}` : ''}, which was refused: the API key is never sent to another address. Enter the address that answers itself (normally https://api.platform.ly).`;
		case 'rate-limited':
		case 'unavailable':
		case 'server':
			return `Platformly could not take the test request (HTTP ${failure.httpCode}). Try again in a moment.`;
		case 'timeout':
		case 'refused':
		case 'network':
		case 'cut-off':
		case 'cancelled':
			return `${failure.message}. Check the Base URL, and that n8n can reach ${shownUrl}.`;
		default:
			return `${shownUrl} is not a Platformly address: ${failure.message}. Check the Base URL (normally https://api.platform.ly).`;
	}
}

/** The profile answer Platformly's clients accept as proof of a working key (Fluent Forms). */
export function notAProfileFailure(): PlatformlyFailure {
	return unexpectedAnswerFailure('profile', 'an account profile with an account_id');
}
