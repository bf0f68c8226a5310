import type { IDataObject } from 'n8n-workflow';

/**
 * Every way a Platformly call can fail, worded once. The transport classifies; the node turns a
 * failure into an n8n error for its item. Nothing here ever sees the API key: messages are built
 * from status codes, error codes and Platformly's own `message`, never from the request.
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
	| 'timeout'
	| 'refused'
	| 'network'
	| 'cancelled';

export interface PlatformlyFailure {
	kind: FailureKind;
	message: string;
	description: string;
	httpCode?: number;
	/** Wait the server asked for (Retry-After), in milliseconds. */
	retryAfterMs?: number;
}

const CHECK_BASE_URL = 'Check the Base URL in the Platformly credential (normally https://api.platform.ly).';

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

export function httpStatusFailure(statusCode: number, headers: IDataObject = {}): PlatformlyFailure {
	const httpCode = statusCode;
	if (statusCode === 429) {
		return {
			kind: 'rate-limited',
			httpCode,
			retryAfterMs: parseRetryAfter(headers['retry-after']),
			message: 'Platformly is limiting the request rate (HTTP 429)',
			description: 'Platformly asked to slow down. Send fewer requests at once, or try again later.',
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
		const location = typeof headers.location === 'string' ? ` It points to ${headers.location}.` : '';
		return {
			kind: 'redirect',
			httpCode,
			message: `Platformly answered with a redirect (HTTP ${statusCode})`,
			description: `The node does not follow redirects, so the API key in the request never goes to another address.${location} ${CHECK_BASE_URL}`,
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

export function notJsonFailure(statusCode: number, body: unknown): PlatformlyFailure {
	const text = typeof body === 'string' ? body : String(body);
	const flat = text.replace(/\s+/g, ' ').trim();
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

/** Error codes of Node's sockets and of axios, as n8n's HTTP helpers pass them on. */
export function networkFailure(code: string | undefined, baseUrl: string, timeoutMs: number): PlatformlyFailure {
	switch (code) {
		case 'ECONNABORTED':
		case 'ETIMEDOUT':
			return {
				kind: 'timeout',
				message: `Platformly did not answer within ${timeoutMs / 1000} s`,
				description:
					'The request was sent but no answer came in time; it may or may not have been processed. Check in Platformly before sending it again, or raise the timeout.',
			};
		case 'ECONNREFUSED':
			return {
				kind: 'refused',
				message: `Could not connect to Platformly at ${baseUrl}: connection refused`,
				description: `Nothing accepted the connection. ${CHECK_BASE_URL}`,
			};
		case 'ERR_CANCELED':
			return {
				kind: 'cancelled',
				message: 'The request to Platformly was cancelled',
				description: 'The execution was stopped while the request was in flight.',
			};
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return {
				kind: 'network',
				message: `Could not find the host of ${baseUrl}`,
				description: `The host name did not resolve. ${CHECK_BASE_URL}`,
			};
		default:
			return {
				kind: 'network',
				message: `Could not reach Platformly at ${baseUrl}${code ? ` (${code})` : ''}`,
				description: `The connection failed before an answer came. ${CHECK_BASE_URL}`,
			};
	}
}
