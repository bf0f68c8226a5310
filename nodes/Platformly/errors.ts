import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { cutText } from './helpers/redaction';
import type {
	ConnectionFailureKind,
	HttpFailureKind,
	NotConnectedCode,
	PlatformlyFailure,
} from './transport/failures';
import { isNotConnectedCode } from './transport/failures';

/**
 * Every error message and description the node shows, worded here and nowhere else. Other code
 * finds out what went wrong and passes the facts in; what kind of failure an answer is, is decided
 * in transport/failures.ts, and worded here by kind. Nothing here ever sees the API key: API
 * failures are built from status codes, error codes, what the answer said with every secret hidden
 * and cut to a bound (helpers/redaction), and the Base URL as it may be shown (no user info, no
 * query), never from the request.
 */

// ─── Field problems: the part after the field's name, e.g. "Event ID must be …" ─────────────────

/** The most characters of a rejected value that a message repeats. */
const SHOWN_VALUE_CHARS = 60;

/**
 * A rejected value the way the user would recognise it, cut so that it cannot flood the message;
 * an expression that gave nothing says so.
 */
function shownValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	// JSON would show Infinity and NaN as null.
	const text = typeof value === 'number' ? String(value) : String(JSON.stringify(value));
	return cutText(text, SHOWN_VALUE_CHARS);
}

export const fieldProblems = {
	required: 'is required',
	notPositiveInteger: (value: unknown) =>
		`must be a positive whole number, got ${shownValue(value)}`,
	notEmail: (value: unknown) => `must be an email address, got ${shownValue(value)}`,
	invisibleInEmail: (value: unknown, codePoint: string, position: number) =>
		`must be an email address without invisible or control characters, got ${shownValue(value)}, which holds ${codePoint} at position ${position}`,
	notText: (value: unknown) => `must be text, got ${shownValue(value)}`,
	notCustomFieldKey: (value: unknown) =>
		`must be a custom field key like cf_favourite_colour_7, got ${shownValue(value)}`,
	notDate: (value: unknown) => `must be a date, got ${shownValue(value)}`,
	notIdList: (value: unknown) =>
		`must be IDs (positive whole numbers) separated by commas, got ${shownValue(value)}`,
	notJson: (reason: string) => `is not valid JSON (${reason})`,
	notJsonObject: (value: unknown) =>
		`must be a JSON object like {"path": "/home"}, got ${shownValue(value)}`,
	tooDeep: (maxDepth: number) => `must not nest more than ${maxDepth} levels deep`,
	tooLarge: (maxBytes: number, bytes?: number) =>
		`must be at most ${maxBytes} bytes as JSON${bytes === undefined ? '' : `, got ${bytes}`}`,
	notJsonValue: (type: string) =>
		`can only hold text, numbers, true, false, null, lists and objects, got ${type}`,
	reservedName: (name: string) => `must not use the name "${name}"`,
	duplicateKey: (key: string) => `names "${key}" twice in one object`,
	rowWithoutName: (row: number) => `row ${row} has no name`,
	rowWithReservedName: (row: number, name: string) =>
		`row ${row} is named "${name}", which cannot be an option's name`,
	rowsWithSameName: (earlier: number, row: number, name: string) =>
		`rows ${earlier} and ${row} are both named "${name}"`,
	noContact: 'is required: give at least one to identify the contact',
	noProject: 'is required: choose one from the list or give its ID',
	noIds: (noun: string) => `is required: choose at least one of the ${noun}`,
	emailForNewContact: (switchName: string) =>
		`is required when "${switchName}" is on: a new contact needs one`,
	nothingToChange: 'must name at least one thing to change',
	noNewTagText: 'must give a new name or description',
};

/**
 * The error for a field whose value cannot be sent. The message names the field as the editor
 * shows it and the item the way n8n numbers items, e.g. `Event ID must be ... [item 2]`.
 */
export function fieldError(node: INode, fieldName: string, problem: string, itemIndex: number) {
	return new NodeOperationError(node, `${fieldName} ${problem} [item ${itemIndex}]`, {
		itemIndex,
		description: 'Nothing was sent to Platformly for this item.',
	});
}

/** An error n8n raised while reading an item's fields (a failing expression), tied to the item. */
export function itemReadError(node: INode, error: Error, itemIndex: number) {
	return new NodeOperationError(node, error, { itemIndex });
}

// ─── The node's Options ───────────────────────────────────────────────────────────────────────────

export const optionExpectations = {
	number: (whole: boolean, min: string, max: string) =>
		`${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`,
	boolean: 'true or false',
};

/** A setting that cannot be used; `where` is where the user finds it in the node's panel. */
export function optionError(
	node: INode,
	optionName: string,
	expected: string,
	value: unknown,
	where = "the node's Options",
) {
	return new NodeOperationError(
		node,
		`${optionName} must be ${expected}, got ${shownValue(value)}`,
		{
			description: `Correct it in ${where}. Nothing was sent to Platformly.`,
		},
	);
}

export function optionsNotACollection(node: INode, value: unknown) {
	return new NodeOperationError(
		node,
		`Options must be a collection of options, got ${shownValue(value)}`,
	);
}

// ─── The credential's Base URL ────────────────────────────────────────────────────────────────────

/** What is wrong with a Base URL; the value itself is never repeated, it may hold a secret. */
export const baseUrlProblems = {
	notAUrl: (example: string) => `is not a web address; enter one like ${example}`,
	notHttp: (protocol: string) =>
		`must start with https:// (or http:// for a local test server), not ${protocol}//`,
	userInfo:
		'must not hold a user name or password (user:password@): the API key is all Platformly needs',
};

export function baseUrlError(node: INode, fieldName: string, problem: string) {
	return new NodeOperationError(node, `The ${fieldName} in the Platformly credential ${problem}`, {
		description: `Open the Platformly credential and correct its ${fieldName}. Nothing was sent.`,
	});
}

// ─── Everything else the node or the editor stops for ────────────────────────────────────────────

export function unsupportedOperation(node: INode, resource: string, operation: string) {
	return new NodeOperationError(
		node,
		`The operation "${operation}" of "${resource}" is not supported`,
	);
}

/** Something the node's own code did not expect; it stops the run rather than drop an item. */
export function defect(node: INode, error: Error) {
	return new NodeOperationError(node, error);
}

export function cancelledRun(node: INode) {
	return new NodeOperationError(node, 'The execution was cancelled before every item was sent');
}

export function projectFirst(node: INode) {
	return new NodeOperationError(
		node,
		'Choose the project first: custom fields belong to a project',
	);
}

// ─── A Platformly call that failed ───────────────────────────────────────────────────────────────

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

/** `message` is Platformly's own, its secrets already hidden (helpers/redaction). */
export function platformlyReportedError(
	message: string | undefined,
	action: string,
): PlatformlyFailure {
	return {
		kind: 'platformly',
		message: message ?? 'Platformly reported an error without a message',
		description: `Platformly answered {"status": "error"} to the "${action}" request.`,
	};
}

/** An HTTP status other than 2xx, worded by its kind (transport/failures.ts decides the kind). */
export function httpStatusFailure(
	kind: HttpFailureKind,
	statusCode: number,
	retryAfterMs: number | undefined,
	redirectHost: string | undefined,
): PlatformlyFailure {
	const httpCode = statusCode;
	switch (kind) {
		case 'rate-limited':
			return {
				kind,
				httpCode,
				retryAfterMs,
				message: 'Platformly is limiting the request rate (HTTP 429)',
				description:
					'Platformly asked to slow down. Send fewer requests at once, or try again later.',
			};
		case 'unavailable':
			return {
				kind,
				httpCode,
				retryAfterMs,
				message: `Platformly is temporarily unavailable (HTTP ${statusCode})`,
				description: 'Platformly could not take the request. Try again in a moment.',
			};
		case 'redirect': {
			const pointsTo = redirectHost ? ` It points to ${redirectHost}.` : '';
			return {
				kind,
				httpCode,
				redirectHost,
				message: `Platformly answered with a redirect (HTTP ${statusCode})`,
				description: `The node does not follow redirects, so the API key in the request never goes to another address.${pointsTo} ${CHECK_BASE_URL}`,
			};
		}
		case 'server':
			return {
				kind,
				httpCode,
				message: `Platformly had a server error (HTTP ${statusCode})`,
				description:
					'The request reached Platformly but failed there; it may or may not have been processed. Check in Platformly before sending it again.',
			};
		case 'auth':
			return {
				kind,
				httpCode,
				message: `Platformly refused the request (HTTP ${statusCode})`,
				description:
					'Check the API key in the Platformly credential, and any IP restriction set on that key in Platformly.',
			};
		case 'not-found':
			return {
				kind,
				httpCode,
				message: `Nothing answered at the Platformly Base URL (HTTP ${statusCode})`,
				description: CHECK_BASE_URL,
			};
		case 'http':
			return {
				kind,
				httpCode,
				message: `Platformly answered with HTTP ${statusCode}`,
				description: CHECK_BASE_URL,
			};
	}
}

/** `body` is the answer's text, its secrets already hidden; `bodyLength` what it was before. */
export function notJsonFailure(
	statusCode: number,
	body: string,
	bodyLength: number,
): PlatformlyFailure {
	const start = cutText(body.replace(/\s+/g, ' ').trim(), 120, bodyLength);
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

/** The run ended (another item failed, or the execution was cancelled) before this call was sent. */
export function runStoppedFailure(): PlatformlyFailure {
	return {
		kind: 'stopped',
		message: 'The run stopped before this request was sent',
		description: 'Another item failed, or the execution was cancelled.',
	};
}

/** Why a connection could not be made, by error code (the codes transport/failures.ts knows). */
const NOT_CONNECTED_REASONS: Record<NotConnectedCode, string> = {
	ENOTFOUND: 'the host name did not resolve',
	EAI_AGAIN: 'the host name did not resolve',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
	EADDRNOTAVAIL: 'the address is not available',
};

/**
 * A request that got no answer, worded by its kind (transport/failures.ts decides it from the
 * error code). `shownUrl` is the Base URL as messages may show it.
 */
export function connectionFailure(
	kind: ConnectionFailureKind,
	code: string | undefined,
	shownUrl: string,
	readOnly: boolean,
): PlatformlyFailure {
	switch (kind) {
		case 'refused':
			return {
				kind,
				message: `Could not connect to Platformly at ${shownUrl}: connection refused`,
				description: `Nothing accepted the connection. ${CHECK_BASE_URL}`,
			};
		case 'cancelled':
			return cancelledFailure();
		case 'network': {
			// The other connections never made are those a TLS error ended.
			const reason = isNotConnectedCode(code)
				? NOT_CONNECTED_REASONS[code]
				: `the secure connection failed (${code})`;
			return {
				kind,
				message: `Could not connect to Platformly at ${shownUrl}: ${reason}`,
				description: `Nothing was sent. ${CHECK_BASE_URL}`,
			};
		}
		case 'cut-off':
			return {
				kind,
				message: `The connection to Platformly at ${shownUrl} broke before a complete answer came${code ? ` (${code})` : ''}`,
				description: afterUncertainSend(readOnly),
			};
	}
}

/**
 * Says which contact was looked for, which Platformly's bare "Contact Not Found" does not: in the
 * message, because an error item keeps only the message, e.g.
 * `Contact Not Found: contact ID 12 and email "ann@example.com"`.
 */
export function missingContact(
	failure: PlatformlyFailure,
	identity: IDataObject,
): PlatformlyFailure {
	const looked = [
		identity.contact_id === undefined ? '' : `contact ID ${identity.contact_id}`,
		identity.email === undefined ? '' : `email ${JSON.stringify(identity.email)}`,
	]
		.filter(Boolean)
		.join(' and ');
	return {
		...failure,
		message: `${failure.message}: ${looked}`,
		description: `Platformly has no contact with ${looked}.`,
	};
}

/** Fire Event's Create Contact If Missing: the contact was missing and could not be created. */
export function contactNotCreated(failure: PlatformlyFailure): PlatformlyFailure {
	return {
		...failure,
		description: `The contact was not found, and creating it failed. ${failure.description}`,
	};
}

/** The most an item may wait, and the setting it comes from, as messages name it. */
export interface WaitLimit {
	name: string;
	ms: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * An item that would have to sit through a pause of the account past its wait limit: nothing is
 * sent for it. The pause may have been asked for by this run's request or another's.
 */
export function pausePastWaitLimitFailure(
	pauseRemainingMs: number,
	waitLimit: WaitLimit,
): PlatformlyFailure {
	return {
		kind: 'rate-limited',
		message: `Platformly asked this account to pause for ${seconds(pauseRemainingMs)} more (HTTP 429), past ${waitLimit.name} (${waitLimit.ms / 1000} s)`,
		description:
			'A request of this account, from this run or another in this n8n process, was answered 429 with Retry-After, and every request of the account waits it out.',
	};
}

/** An item with a deadline whose request could not go out before it (the trigger's Timeout). */
export function notSentInTimeFailure(waitLimit: WaitLimit): PlatformlyFailure {
	return {
		kind: 'late',
		message: `The request to Platformly could not be sent within ${waitLimit.name} (${waitLimit.ms / 1000} s)`,
		description:
			"The account's other requests in this n8n process held every slot (Concurrency per Process) until then.",
	};
}

/**
 * An item with a deadline whose request went out but was not answered before it: the request's
 * own timeout had been shortened to the deadline.
 */
export function answerPastDeadlineFailure(
	waitLimit: WaitLimit,
	readOnly: boolean,
): PlatformlyFailure {
	return {
		kind: 'timeout',
		message: `Platformly sent no complete answer within ${waitLimit.name} (${waitLimit.ms / 1000} s)`,
		description: `The request was sent. ${afterUncertainSend(readOnly)} Raise ${waitLimit.name} if Platformly is slow.`,
	};
}

/**
 * Tells the user, in the error they see, that the failure was not for want of trying, and how
 * long the item waited, its pauses included.
 */
export function withAttempts(
	failure: PlatformlyFailure,
	attempts: number,
	waitedMs: number,
	stoppedBy?: WaitLimit,
): PlatformlyFailure {
	const pastLimit =
		stoppedBy === undefined
			? ''
			: ` Another wait would have passed ${stoppedBy.name} (${stoppedBy.ms / 1000} s).`;
	if (attempts === 0) {
		return {
			...failure,
			description: `${failure.description} Nothing was sent for this item; it waited ${seconds(waitedMs)} in all.${pastLimit}`,
		};
	}
	if (attempts < 2 && pastLimit === '') return failure;
	return {
		...failure,
		description: `${failure.description} Tried ${attempts} time${attempts === 1 ? '' : 's'}, waiting ${seconds(waitedMs)} in all.${pastLimit}`,
	};
}

/**
 * The n8n error for a failed call. The message is set again after construction: n8n's error
 * class swaps any message that mentions a network error code (ECONNRESET, …) for generic wording
 * of its own.
 */
export function failureToNodeError(node: INode, failure: PlatformlyFailure, itemIndex?: number) {
	const error = new NodeApiError(
		node,
		{ message: failure.message, kind: failure.kind },
		{
			message: failure.message,
			description: failure.description,
			httpCode: failure.httpCode === undefined ? undefined : String(failure.httpCode),
			itemIndex,
		},
	);
	error.message = failure.message;
	return error;
}

// ─── The credential's Test ───────────────────────────────────────────────────────────────────────

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

export const credentialTestResults = {
	noApiKey: 'Enter the API key: Platformly shows it under "API Docs & Keys".',
	unusableTriggerSecret: (fieldName: string) =>
		`The ${fieldName} must be empty, or 16 to 256 letters, digits or the characters . _ ~ - (they pass through a URL as they are), e.g. 24 random letters and digits.`,
	badBaseUrl: (fieldName: string, problem: string) => `The ${fieldName} ${problem}.`,
	/** The profile answer Platformly's clients accept as proof of a working key (Fluent Forms). */
	notAProfile: () => unexpectedAnswerFailure('profile', 'an account profile with an account_id'),
};

// ─── Platformly Trigger ──────────────────────────────────────────────────────────────────────────

/** Why the trigger turns a request away, in the answer the sender gets; nothing is started. */
export const triggerRefusals = {
	tooLarge: (maxBytes: number) =>
		`The post is larger than ${maxBytes / 1024 / 1024} MB; a Platformly post is a few hundred bytes.`,
	unsupportedBody: (contentType: string | undefined) =>
		`The post's body must be form fields (application/x-www-form-urlencoded) or JSON, not ${contentType ?? 'a body without a content type'}.`,
	unsupportedEncoding: (contentEncoding: string) =>
		`The post's body must come as it is, gzip or deflate, not ${JSON.stringify(contentEncoding)} (Content-Encoding).`,
	notAnObject: "The post's JSON body must be an object of fields.",
	reservedName: (name: string) => `The post may not hold a field named "${name}".`,
	tooDeep: (maxDepth: number) => `The post nests its fields more than ${maxDepth} levels deep.`,
	noSecret: 'This URL needs its secret: add ?secret=<the secret> to it.',
	wrongSecret: "The secret in the URL is not this trigger's.",
	unusableSecret:
		"The trigger's secret is not usable; open its Platformly API credential and run the Test.",
};

/** Why Fetch Contact found no contact; the item is still emitted, with `contact: null`. */
export const fetchContactProblems = {
	noContact: 'The post named no contact: it held no contactID (or contact_id) and no email.',
	noCredential:
		'Fetch Contact needs a Platformly API credential: choose one in the trigger, as for the Platformly node.',
};
