import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { PLATFORMLY_CREDENTIAL_TYPE, PLATFORMLY_DEFAULT_BASE_URL } from './actions';
import type { PlatformlyFailure } from './failures';
import {
	httpStatusFailure,
	networkFailure,
	notJsonFailure,
	platformlyReportedError,
} from './failures';

/** One call: a Platformly method and the parameters that go, JSON-encoded, into `value`. */
export interface PlatformlyRequest {
	action: string;
	value: IDataObject;
}

export type PlatformlyAnswer = IDataObject | IDataObject[];

export type PlatformlyOutcome =
	| { ok: true; answer: PlatformlyAnswer }
	| { ok: false; failure: PlatformlyFailure };

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export interface PlatformlyClient {
	baseUrl: string;
	send(request: PlatformlyRequest): Promise<PlatformlyOutcome>;
}

/**
 * The one place that talks to Platformly. The credential's `authenticate` adds `api_key` to each
 * form body; this code reads only the Base URL. The decrypted credential is fetched once per
 * execution and handed back to n8n with each request, which otherwise decrypts it per request:
 * the largest part of the node's own cost per item.
 */
export async function createPlatformlyClient(
	context: IExecuteFunctions | ILoadOptionsFunctions,
	timeoutMs: number,
): Promise<PlatformlyClient> {
	const credentials = await context.getCredentials<{ baseUrl?: string }>(PLATFORMLY_CREDENTIAL_TYPE);
	const baseUrl = (credentials.baseUrl || PLATFORMLY_DEFAULT_BASE_URL).trim();
	const credentialOptions: IAdditionalCredentialOptions = {
		credentialsDecrypted: { id: '', name: '', type: PLATFORMLY_CREDENTIAL_TYPE, data: credentials },
	};

	async function send({ action, value }: PlatformlyRequest): Promise<PlatformlyOutcome> {
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: baseUrl,
			headers: { 'Content-Type': FORM_CONTENT_TYPE, Accept: 'application/json' },
			body: { action, value: JSON.stringify(value) },
			// Read the raw text and every status ourselves: Platformly signals errors in the body,
			// and a proxy's HTML page must be reported as such rather than parsed or swallowed.
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
			// The API key is in the body: never carry it to another address.
			disableFollowRedirect: true,
		};
		let response: IN8nHttpFullResponse;
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				PLATFORMLY_CREDENTIAL_TYPE,
				options,
				credentialOptions,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			return { ok: false, failure: networkFailure(findErrorCode(error), baseUrl, timeoutMs) };
		}
		return interpretResponse(response, action);
	}

	return { baseUrl, send };
}

function interpretResponse(response: IN8nHttpFullResponse, action: string): PlatformlyOutcome {
	const { statusCode, body, headers } = response;
	if (statusCode < 200 || statusCode >= 300) {
		return { ok: false, failure: httpStatusFailure(statusCode, headers) };
	}
	let answer: unknown;
	try {
		answer = typeof body === 'string' ? JSON.parse(body) : body;
	} catch {
		return { ok: false, failure: notJsonFailure(statusCode, body) };
	}
	if (typeof answer !== 'object' || answer === null) {
		return { ok: false, failure: notJsonFailure(statusCode, body) };
	}
	if (!Array.isArray(answer) && (answer as IDataObject).status === 'error') {
		return { ok: false, failure: platformlyReportedError(answer as IDataObject, action) };
	}
	return { ok: true, answer: answer as PlatformlyAnswer };
}

/**
 * n8n wraps the socket or axios error, sometimes twice, and says what happened in its `code`.
 * n8n 1.x keeps only the code, in the wrapper's `httpCode` (e.g. "ECONNREFUSED").
 */
function findErrorCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; httpCode?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string') return current.code;
		if (typeof current.httpCode === 'string' && /^E[A-Z_]+$/.test(current.httpCode)) return current.httpCode;
		current = current.cause as typeof current;
	}
	return undefined;
}

/**
 * Built from the classified failure alone, so n8n stores and shows nothing of the request that
 * carried the key.
 */
export function failureToNodeError(node: INode, failure: PlatformlyFailure, itemIndex?: number): NodeApiError {
	return new NodeApiError(
		node,
		{ message: failure.message, kind: failure.kind },
		{
			message: failure.message,
			description: failure.description,
			httpCode: failure.httpCode === undefined ? undefined : String(failure.httpCode),
			itemIndex,
		},
	);
}
