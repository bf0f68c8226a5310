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
