import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import {
	baseUrlError,
	cancelledFailure,
	connectionFailure,
	httpStatusFailure,
	notJsonFailure,
	platformlyReportedError,
	timeoutFailure,
	tooDeepFailure,
	tooLargeFailure,
} from '../errors';
import { exceedsDepth } from '../helpers/jsonBounds';
import type { Redactor } from '../helpers/redaction';
import { redactor } from '../helpers/redaction';
import type { Answer, Outcome, PlatformlyCall } from '../types';
import { READ_ONLY_ACTIONS } from './actions';
import { accountKey } from './accountGate';
import type { PlatformlyAddress } from './credential';
import type { PlatformlyFailure } from './failures';
import { connectionFailureKind, httpFailureKind } from './failures';
import {
	BASE_URL_FIELD_NAME,
	checkBaseUrl,
	PLATFORMLY_CREDENTIAL_TYPE,
	redirectHost,
	TRIGGER_SECRET_FIELD,
	withApiKey,
} from './credential';
import { withinDeadline } from './waits';

/** Sends one call, once; never throws: every failure comes back classified. */
export interface PlatformlyClient {
	/** `timeoutMs`, when given, replaces the client's Timeout for this call. */
	send(call: PlatformlyCall, timeoutMs?: number): Promise<Outcome<Answer>>;
}

/** A client for the credential's account, which `account` names without holding the key. */
export interface AccountClient extends PlatformlyClient {
	account: string;
}

/**
 * Bounds on an answer that no real Platformly answer comes near. Past them the node stops
 * reading: a server that streams without end cannot fill n8n's memory, and one that nests
 * without end cannot break n8n when it stores the item.
 */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
export const MAX_ANSWER_DEPTH = 64;

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

interface HttpResponse {
	statusCode: number;
	headers: IDataObject;
	/** A stream to read; n8n's helpers hand one back because the client asks for one. */
	body: unknown;
}

/**
 * Posts the form fields to the Base URL with the API key added, the connection given up after
 * `timeoutMs` without a byte; throws what n8n's helpers throw.
 */
type PostForm = (form: IDataObject, timeoutMs: number) => Promise<HttpResponse>;

type ClientContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions;

/** The credential's fields, as the code reads them; a stored one may lack any. */
type PlatformlyCredentials = { apiKey?: string; baseUrl?: string; triggerSecret?: string };

/**
 * The client for a run, a dropdown or the trigger's Fetch Contact. The credential's
 * `authenticate` adds `api_key` to each form body; this code reads the Base URL, checked once
 * here, and the key only to name the account by a digest (accountKey) and to hide it, with the
 * trigger's secret, from everything taken from an answer. The decrypted credential is fetched
 * once and handed back to n8n with each request, which otherwise decrypts it per request: the
 * largest part of the node's own cost per item.
 */
export async function createPlatformlyClient(
	context: ClientContext,
	timeoutMs: number,
): Promise<AccountClient> {
	const credentials = await context.getCredentials<PlatformlyCredentials>(
		PLATFORMLY_CREDENTIAL_TYPE,
	);
	const checked = checkBaseUrl(credentials.baseUrl);
	if (!checked.ok) throw baseUrlError(context.getNode(), BASE_URL_FIELD_NAME, checked.problem);
	const { address } = checked;
	const credentialOptions: IAdditionalCredentialOptions = {
		credentialsDecrypted: { id: '', name: '', type: PLATFORMLY_CREDENTIAL_TYPE, data: credentials },
	};
	const post: PostForm = async (form, callTimeoutMs) => {
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: address.url,
			headers: { 'Content-Type': FORM_CONTENT_TYPE, Accept: 'application/json' },
			body: form,
			// A stream, read here, so that a Timeout holds for the whole answer and a huge one is cut
			// off; every status is read here too, because Platformly signals errors in the body.
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: callTimeoutMs,
			// The API key is in the body: never carry it to another address.
			disableFollowRedirect: true,
		};
		return (await context.helpers.httpRequestWithAuthentication.call(
			context,
			PLATFORMLY_CREDENTIAL_TYPE,
			options,
			credentialOptions,
		)) as HttpResponse;
	};
	const cancelSignal =
		'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	const redact = redactor([credentials.apiKey, credentials[TRIGGER_SECRET_FIELD]]);
	return {
		...platformlyClient(address, post, timeoutMs, redact, cancelSignal),
		account: accountKey(address.normalized, credentials.apiKey),
	};
}

/**
 * The client the credential's Test uses. n8n gives a credential test only its older `request`
 * helper and no authentication step, so the key is added here, by the same helper as for the
 * node's requests; the answer is then judged by the very code the node uses.
 */
export function createCredentialTestClient(
	context: ICredentialTestFunctions,
	credentials: ICredentialDataDecryptedObject,
	timeoutMs: number,
):
	| { ok: true; client: PlatformlyClient; address: PlatformlyAddress }
	| { ok: false; problem: string } {
	const checked = checkBaseUrl(credentials.baseUrl);
	if (!checked.ok) return checked;
	const { address } = checked;
	const post: PostForm = async (form, callTimeoutMs) => {
		const body = new URLSearchParams(
			withApiKey(form, credentials.apiKey) as Record<string, string>,
		);
		return (await context.helpers.request({
			method: 'POST',
			uri: address.url,
			headers: { 'Content-Type': FORM_CONTENT_TYPE, Accept: 'application/json' },
			body: body.toString(),
			useStream: true,
			json: false,
			simple: false,
			resolveWithFullResponse: true,
			timeout: callTimeoutMs,
			followRedirect: false,
			followAllRedirects: false,
		})) as HttpResponse;
	};
	const redact = redactor([credentials.apiKey, credentials[TRIGGER_SECRET_FIELD]]);
	return { ok: true, client: platformlyClient(address, post, timeoutMs, redact), address };
}

function platformlyClient(
	address: PlatformlyAddress,
	post: PostForm,
	timeoutMs: number,
	redact: Redactor,
	cancelSignal?: AbortSignal,
): PlatformlyClient {
	async function exchange(
		action: string,
		form: IDataObject,
		callTimeoutMs: number,
		expired: AbortSignal,
	): Promise<Outcome<Answer>> {
		const readOnly = READ_ONLY_ACTIONS.has(action);
		const fail = (failure: PlatformlyFailure): Outcome<Answer> => ({ ok: false, failure });
		const noAnswer = (code: string | undefined) =>
			fail(connectionFailure(connectionFailureKind(code), code, address.shown, readOnly));
		let response: HttpResponse;
		try {
			response = await post(form, callTimeoutMs);
		} catch (error) {
			if (cancelSignal?.aborted) return fail(cancelledFailure());
			return noAnswer(findErrorCode(error));
		}
		const body = await readBody(response.body, expired);
		if (!body.ok) {
			if (body.stopped === 'expired') return fail(timeoutFailure(callTimeoutMs, readOnly));
			if (body.stopped === 'too-large') return fail(tooLargeFailure(MAX_ANSWER_BYTES, readOnly));
			if (cancelSignal?.aborted) return fail(cancelledFailure());
			return noAnswer(body.code ?? 'ECONNRESET');
		}
		return interpretResponse(response, body.text, action, address, redact);
	}

	async function send(
		{ action, value }: PlatformlyCall,
		callTimeoutMs = timeoutMs,
	): Promise<Outcome<Answer>> {
		const form = { action, value: JSON.stringify(value) };
		const outcome = await withinDeadline(callTimeoutMs, (expired) =>
			exchange(action, form, callTimeoutMs, expired),
		);
		return (
			outcome ?? {
				ok: false,
				failure: timeoutFailure(callTimeoutMs, READ_ONLY_ACTIONS.has(action)),
			}
		);
	}

	return { send };
}

type ReadBody =
	| { ok: true; text: string }
	| { ok: false; stopped: 'expired' | 'too-large' | 'broken'; code?: string };

interface BodyStream extends AsyncIterable<Buffer | string> {
	destroy(): void;
}

function isStream(body: unknown): body is BodyStream {
	return (
		typeof body === 'object' &&
		body !== null &&
		Symbol.asyncIterator in body &&
		typeof (body as { destroy?: unknown }).destroy === 'function'
	);
}

/** Reads the answer's bytes until its end, the deadline or the size bound, whichever comes first. */
async function readBody(body: unknown, expired: AbortSignal): Promise<ReadBody> {
	if (!isStream(body)) {
		return { ok: true, text: body === undefined || body === null ? '' : String(body) };
	}
	const stop = () => body.destroy();
	if (expired.aborted) {
		stop();
		return { ok: false, stopped: 'expired' };
	}
	expired.addEventListener('abort', stop, { once: true });
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of body) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += bytes.length;
			if (size > MAX_ANSWER_BYTES) {
				stop();
				return { ok: false, stopped: 'too-large' };
			}
			chunks.push(bytes);
		}
	} catch (error) {
		if (expired.aborted) return { ok: false, stopped: 'expired' };
		return { ok: false, stopped: 'broken', code: findErrorCode(error) };
	} finally {
		expired.removeEventListener('abort', stop);
	}
	// A stream destroyed at the deadline may end quietly rather than with an error.
	if (expired.aborted) return { ok: false, stopped: 'expired' };
	return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

/** Retry-After is either a number of seconds or an HTTP date. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	if (typeof header !== 'string' || header.trim() === '') return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Platformly's `status`, compared the way its clients do but without caring about case. */
function isErrorStatus(answer: IDataObject): boolean {
	return typeof answer.status === 'string' && answer.status.trim().toLowerCase() === 'error';
}

/**
 * What an answer means. Everything taken from it (a message, a redirect's host, the body of an
 * answer that is not JSON, the answer itself) goes through `redact` first.
 */
function interpretResponse(
	response: HttpResponse,
	text: string,
	action: string,
	address: PlatformlyAddress,
	redact: Redactor,
): Outcome<Answer> {
	const { statusCode, headers } = response;
	if (statusCode < 200 || statusCode >= 300) {
		const retryAfterMs = parseRetryAfter(headers['retry-after']);
		const host = redirectHost(headers.location, address);
		const failure = httpStatusFailure(
			httpFailureKind(statusCode),
			statusCode,
			retryAfterMs,
			host === undefined ? undefined : redact.message(host),
		);
		return { ok: false, failure };
	}
	let answer: unknown;
	try {
		answer = JSON.parse(text);
	} catch {
		return { ok: false, failure: notJsonFailure(statusCode, redact.message(text), text.length) };
	}
	if (typeof answer !== 'object' || answer === null) {
		return { ok: false, failure: notJsonFailure(statusCode, redact.message(text), text.length) };
	}
	if (exceedsDepth(answer, MAX_ANSWER_DEPTH)) {
		return { ok: false, failure: tooDeepFailure(action, MAX_ANSWER_DEPTH) };
	}
	if (!Array.isArray(answer) && isErrorStatus(answer as IDataObject)) {
		const { message } = answer as IDataObject;
		const shown =
			typeof message === 'string' && message.trim() !== '' ? redact.message(message) : undefined;
		return { ok: false, failure: platformlyReportedError(shown, action) };
	}
	return { ok: true, value: redact.data(answer as Answer) };
}

/**
 * n8n wraps the socket or axios error, sometimes twice, and says what happened in its `code`.
 * n8n 1.x keeps only the code, in the wrapper's `httpCode` (e.g. "ECONNREFUSED").
 */
function findErrorCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; httpCode?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string') return current.code;
		if (typeof current.httpCode === 'string' && /^E[A-Z_]+$/.test(current.httpCode)) {
			return current.httpCode;
		}
		current = current.cause as typeof current;
	}
	return undefined;
}
