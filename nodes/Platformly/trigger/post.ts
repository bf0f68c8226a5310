import type { IDataObject } from 'n8n-workflow';

import { triggerRefusals } from '../errors';
import { exceedsDepth } from '../helpers/jsonBounds';
import { checkPositiveInteger, isPlainObject, RESERVED_NAMES } from '../helpers/validation';

/**
 * The most a post may hold. A Platformly post is a few hundred bytes; n8n itself would take
 * 16 MiB, far more than a sender needs to start workflows at will.
 */
export const MAX_POST_BYTES = 1024 * 1024;

/** Deeper than any post of form fields or flat JSON, and far within what n8n can store. */
export const MAX_POST_DEPTH = 32;

/** What n8n hands the trigger of a request, having parsed JSON and form bodies already. */
export interface ReceivedRequest {
	method: string;
	/** The media type, lower case and without parameters, as n8n sets `req.contentType`. */
	contentType?: string;
	/** The body's bytes, as n8n read them; absent for a multipart body, which n8n parses itself. */
	rawBody?: Buffer;
	/** The Content-Encoding header, if the request had one. */
	contentEncoding?: string;
	body: unknown;
	query: IDataObject;
}

/** An HTTP answer that turns the request away, starting nothing. */
export interface Refusal {
	status: 400 | 401 | 403 | 413 | 415 | 500;
	message: string;
}

export type ReadPost =
	{ ok: true; fields: IDataObject; secret: unknown } | { ok: false; refusal: Refusal };

const ACCEPTED_BODIES: ReadonlySet<string> = new Set([
	'application/json',
	'application/x-www-form-urlencoded',
]);

/**
 * The encodings n8n takes a body in: none, or exactly "gzip" or "deflate", which it inflates
 * before parsing. It reads any other (br, a list, "GZIP") as it came, into garbage fields.
 */
function isDecodedByN8n(contentEncoding: string | undefined): boolean {
	if (contentEncoding === undefined) return true;
	const encoding = contentEncoding.trim();
	return (
		encoding === '' ||
		encoding.toLowerCase() === 'identity' ||
		encoding === 'gzip' ||
		encoding === 'deflate'
	);
}

/** The field that carries the trigger's secret; checked, never kept, wherever it comes. */
const SECRET_FIELD = 'secret';

const refuse = (status: Refusal['status'], message: string): ReadPost => ({
	ok: false,
	refusal: { status, message },
});

function hasBody(request: ReceivedRequest): boolean {
	if (request.rawBody) return request.rawBody.length > 0;
	return request.contentType !== undefined;
}

/**
 * The fields of a post: the query's and the body's (form or JSON), the body's winning where both
 * name one, as PHP's $_REQUEST merges them for Platformly's public receivers (WP Fusion). The
 * secret comes from the query; a `secret` field is kept out of the execution wherever it came.
 */
export function readPost(request: ReceivedRequest): ReadPost {
	const { [SECRET_FIELD]: secret, ...queryFields } = request.query;
	let bodyFields: IDataObject = {};
	if (request.method === 'POST' && hasBody(request)) {
		if ((request.rawBody?.length ?? 0) > MAX_POST_BYTES) {
			return refuse(413, triggerRefusals.tooLarge(MAX_POST_BYTES));
		}
		if (!isDecodedByN8n(request.contentEncoding)) {
			return refuse(415, triggerRefusals.unsupportedEncoding(request.contentEncoding!));
		}
		if (!request.contentType || !ACCEPTED_BODIES.has(request.contentType) || !request.rawBody) {
			return refuse(415, triggerRefusals.unsupportedBody(request.contentType));
		}
		if (!isPlainObject(request.body)) return refuse(400, triggerRefusals.notAnObject);
		bodyFields = request.body;
	}
	const fields: IDataObject = {};
	for (const [name, value] of [...Object.entries(queryFields), ...Object.entries(bodyFields)]) {
		if (RESERVED_NAMES.has(name)) return refuse(400, triggerRefusals.reservedName(name));
		if (name !== SECRET_FIELD) fields[name] = value;
	}
	if (exceedsDepth(fields, MAX_POST_DEPTH))
		return refuse(400, triggerRefusals.tooDeep(MAX_POST_DEPTH));
	return { ok: true, fields, secret };
}

/** The names a contact's ID may come under: Platformly's `contactID`, and the usual spellings. */
const CONTACT_ID_FIELDS = ['contactID', 'contact_id', 'contactId'] as const;

/**
 * The item a post becomes: every field as received, plus `contact_id` as a number (null when no
 * field holds a whole number) and `email` trimmed, when one came.
 */
export function itemOfPost(fields: IDataObject): IDataObject {
	const idField = CONTACT_ID_FIELDS.find((name) => fields[name] !== undefined);
	const contactId = idField === undefined ? undefined : checkPositiveInteger(fields[idField]);
	const item: IDataObject = { ...fields, contact_id: contactId?.ok ? contactId.value : null };
	if (typeof fields.email === 'string' && fields.email.trim() !== '')
		item.email = fields.email.trim();
	return item;
}
