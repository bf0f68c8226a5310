import type { IDataObject } from 'n8n-workflow';

/**
 * Plain checks of what a user typed or an expression produced. Each returns the value to send or
 * a sentence saying what is wrong; the node adds the field's name and the item.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
const reject = (problem: string): Checked<never> => ({ ok: false, problem });

/** Shows a rejected value the way the user would recognise it, without flooding the message. */
function describeValue(value: unknown): string {
	const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Empty strings, null and undefined all mean the user left the field blank. */
export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Platformly IDs are positive integers sent as JSON numbers. Numeric strings are accepted because
 * expressions and text fields usually produce them.
 */
export function checkPositiveInteger(value: unknown): Checked<number> {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\s*\d+\s*$/.test(value)
				? Number(value)
				: Number.NaN;
	if (!Number.isSafeInteger(number) || number < 1) {
		return reject(`must be a positive whole number, got ${describeValue(value)}`);
	}
	return accept(number);
}

// Deliberately loose: Platformly is the judge of deliverability; this only catches values that
// cannot be an address at all (a name, an ID, a missing domain) before they cost a request.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(value: unknown): Checked<string> {
	const email = typeof value === 'string' ? value.trim() : value;
	if (typeof email !== 'string' || !EMAIL_PATTERN.test(email)) {
		return reject(`must be an email address, got ${describeValue(value)}`);
	}
	return accept(email);
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts a JSON object as text (the editor's JSON field) or already parsed (an expression). */
export function checkJsonObject(value: unknown): Checked<IDataObject> {
	if (isBlank(value)) return accept({});
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			return reject(`is not valid JSON (${(error as Error).message})`);
		}
	}
	if (!isPlainObject(parsed)) {
		return reject(`must be a JSON object like {"path": "/home"}, got ${describeValue(parsed)}`);
	}
	return accept(parsed);
}

export interface NameValuePair {
	name?: unknown;
	value?: unknown;
}

/** Turns the editor's list of name/value rows into one object; every row needs a name. */
export function checkNameValuePairs(pairs: NameValuePair[]): Checked<IDataObject> {
	const result: IDataObject = {};
	for (const [index, pair] of pairs.entries()) {
		if (isBlank(pair.name) || typeof pair.name !== 'string') {
			return reject(`row ${index + 1} has no name`);
		}
		result[pair.name.trim()] = (pair.value ?? '') as IDataObject[string];
	}
	return accept(result);
}

/**
 * Platformly takes several IDs as one comma-separated string ("201,202"). The editor's dropdowns
 * give an array, expressions often a single number or a comma-separated string; all are accepted.
 * An empty list is accepted here; the field decides whether it may be empty.
 */
export function checkIdList(value: unknown): Checked<string> {
	if (isBlank(value)) return accept('');
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	const ids: number[] = [];
	for (const part of parts) {
		if (isBlank(part)) continue;
		const id = checkPositiveInteger(part);
		if (!id.ok) return reject(`must be IDs (positive whole numbers) separated by commas, got ${describeValue(value)}`);
		ids.push(id.value);
	}
	return accept([...new Set(ids)].join(','));
}

/** Text Platformly needs to see, such as a note or a name: blank is not allowed. */
export function checkRequiredText(value: unknown): Checked<string> {
	if (isBlank(value)) return reject('is required');
	if (typeof value !== 'string' && typeof value !== 'number') return reject(`must be text, got ${describeValue(value)}`);
	return accept(String(value));
}

// Platformly's key for a custom field is `cf_<alias>_<id>` (its "Custom Fields Explained" page).
const CUSTOM_FIELD_KEY_PATTERN = /^cf_\w+_\d+$/;

export function checkCustomFieldKey(value: unknown): Checked<string> {
	const key = typeof value === 'string' ? value.trim() : value;
	if (typeof key !== 'string' || !CUSTOM_FIELD_KEY_PATTERN.test(key)) {
		return reject(`must be a custom field key like cf_favourite_colour_7, got ${describeValue(value)}`);
	}
	return accept(key);
}

/**
 * Platformly takes dates as Unix timestamps in seconds. The editor's date picker gives an ISO
 * string; expressions may give a Luxon DateTime's ISO text or the timestamp itself.
 */
export function checkUnixTimestamp(value: unknown): Checked<number> {
	if (typeof value === 'number' && Number.isFinite(value)) return accept(Math.floor(value));
	if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return accept(Number(value));
	const milliseconds = typeof value === 'string' ? Date.parse(value) : Number.NaN;
	if (Number.isNaN(milliseconds)) return reject(`must be a date, got ${describeValue(value)}`);
	return accept(Math.floor(milliseconds / 1000));
}
