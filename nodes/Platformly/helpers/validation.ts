import type { IDataObject } from 'n8n-workflow';

import { fieldProblems as problems } from '../errors';
import { exceedsDepth, findDuplicateKey } from './jsonBounds';

/**
 * Plain checks of what a user typed or an expression produced. Each returns the value to send or
 * what is wrong with it, worded by errors.ts; the caller adds the field's name and the item.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
const reject = (problem: string): Checked<never> => ({ ok: false, problem });

/** Empty strings, null and undefined all mean the user left the field blank. */
export function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
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
		return reject(problems.notPositiveInteger(value));
	}
	return accept(number);
}

// Deliberately loose: Platformly is the judge of deliverability; this only catches values that
// cannot be an address at all (a name, an ID, a missing domain) before they cost a request.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Control codes, format characters (zero-width spaces and joiners, bidirectional marks) and other
// characters that display as nothing: an address holding one looks right and never matches.
const INVISIBLE_CHARACTER = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

function codePointName(char: string): string {
	return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function checkEmail(value: unknown): Checked<string> {
	const email = typeof value === 'string' ? value.trim() : value;
	if (typeof email !== 'string' || !EMAIL_PATTERN.test(email)) {
		return reject(problems.notEmail(value));
	}
	const invisible = INVISIBLE_CHARACTER.exec(email);
	if (invisible) {
		return reject(
			problems.invisibleInEmail(value, codePointName(invisible[0]), invisible.index + 1),
		);
	}
	return accept(email);
}

/** A JSON object: not null, not a list. */
export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Bounds on an event's options that no real event comes near (Platformly's own example is
 * {"path": "/home"}): they keep a value built by a runaway expression from failing the run
 * halfway, when it is serialised, instead of before anything is sent.
 */
export const EVENT_OPTIONS_LIMITS = { maxDepth: 10, maxBytes: 16_384 } as const;

/**
 * Names that would change an object itself rather than add a field to it: an event's options, the
 * fields of a trigger's post.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
	'__proto__',
	'constructor',
	'prototype',
]);

function isJsonScalar(value: unknown): boolean {
	return (
		value === null ||
		typeof value === 'string' ||
		typeof value === 'boolean' ||
		(typeof value === 'number' && Number.isFinite(value))
	);
}

/** Checks an options object for sending: JSON values only, no reserved names, within the bounds. */
function checkEventOptionsValue(options: IDataObject): Checked<IDataObject> {
	const { maxDepth, maxBytes } = EVENT_OPTIONS_LIMITS;
	if (exceedsDepth(options, maxDepth)) return reject(problems.tooDeep(maxDepth));
	const tooLarge = reject(problems.tooLarge(maxBytes));
	const pending: unknown[] = [options];
	// Every value takes at least a byte of JSON, so counting them bounds the walk by the size limit.
	for (let visited = 0; pending.length > 0; visited++) {
		if (visited > maxBytes) return tooLarge;
		const node = pending.pop();
		if (isJsonScalar(node)) continue;
		if (typeof node !== 'object') return reject(problems.notJsonValue(typeof node));
		const entries = Array.isArray(node)
			? node.map((child) => ['', child] as const)
			: Object.entries(node as IDataObject);
		for (const [name, child] of entries) {
			if (RESERVED_NAMES.has(name)) return reject(problems.reservedName(name));
			pending.push(child);
		}
	}
	const bytes = Buffer.byteLength(JSON.stringify(options));
	return bytes > maxBytes ? reject(problems.tooLarge(maxBytes, bytes)) : accept(options);
}

/** Event options as JSON text (the editor's JSON field) or already parsed (an expression). */
export function checkEventOptionsJson(value: unknown): Checked<IDataObject> {
	if (isBlank(value)) return accept({});
	let parsed: unknown = value;
	if (typeof value === 'string') {
		const bytes = Buffer.byteLength(value);
		if (bytes > EVENT_OPTIONS_LIMITS.maxBytes) {
			return reject(problems.tooLarge(EVENT_OPTIONS_LIMITS.maxBytes, bytes));
		}
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			return reject(problems.notJson((error as Error).message));
		}
		const duplicate = findDuplicateKey(value);
		if (duplicate !== undefined) return reject(problems.duplicateKey(duplicate));
	}
	if (!isPlainObject(parsed)) {
		return reject(problems.notJsonObject(parsed));
	}
	return checkEventOptionsValue(parsed);
}

export interface NameValuePair {
	name?: unknown;
	value?: unknown;
}

/** Turns the editor's list of name/value rows into one object; every row needs its own name. */
export function checkEventOptionRows(pairs: NameValuePair[]): Checked<IDataObject> {
	const result: IDataObject = {};
	const rowOfName = new Map<string, number>();
	for (const [index, pair] of pairs.entries()) {
		const row = index + 1;
		if (isBlank(pair.name) || typeof pair.name !== 'string')
			return reject(problems.rowWithoutName(row));
		const name = pair.name.trim();
		if (RESERVED_NAMES.has(name)) return reject(problems.rowWithReservedName(row, name));
		const earlier = rowOfName.get(name);
		if (earlier !== undefined) return reject(problems.rowsWithSameName(earlier, row, name));
		rowOfName.set(name, row);
		result[name] = (pair.value ?? '') as IDataObject[string];
	}
	return checkEventOptionsValue(result);
}

/**
 * Platformly takes several IDs as one comma-separated string ("201,202"). The editor's dropdowns
 * give an array, expressions often a single number or a comma-separated string; all are accepted.
 * An empty list is accepted here; the field decides whether it may be empty.
 */
export function checkIdList(value: unknown): Checked<string> {
	if (isBlank(value)) return accept('');
	const parts = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: [value];
	const ids: number[] = [];
	for (const part of parts) {
		if (isBlank(part)) continue;
		const id = checkPositiveInteger(part);
		if (!id.ok) return reject(problems.notIdList(value));
		ids.push(id.value);
	}
	return accept([...new Set(ids)].join(','));
}

/** Text Platformly needs to see, such as a note or a name: blank is not allowed. */
export function checkRequiredText(value: unknown): Checked<string> {
	if (isBlank(value)) return reject(problems.required);
	if (typeof value !== 'string' && typeof value !== 'number')
		return reject(problems.notText(value));
	return accept(String(value));
}

// Platformly's key for a custom field is `cf_<alias>_<id>` (its "Custom Fields Explained" page).
const CUSTOM_FIELD_KEY_PATTERN = /^cf_\w+_\d+$/;

export function checkCustomFieldKey(value: unknown): Checked<string> {
	const key = typeof value === 'string' ? value.trim() : value;
	if (typeof key !== 'string' || !CUSTOM_FIELD_KEY_PATTERN.test(key)) {
		return reject(problems.notCustomFieldKey(value));
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
	if (Number.isNaN(milliseconds)) return reject(problems.notDate(value));
	return accept(Math.floor(milliseconds / 1000));
}
