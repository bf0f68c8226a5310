/**
 * What the node passes on of a text it did not write (a server's answer, a post to the trigger)
 * goes through here, and only here: every secret hidden, and a message cut to a bound, so that no
 * error, item or stored execution repeats the API key or grows with what a server sends.
 */

/** The most characters of a server's message that a message of the node repeats. */
export const MAX_MESSAGE_CHARS = 2_000;

/** What stands where a secret was. */
export const HIDDEN = '[hidden]';

export interface Redactor {
	/** A server's message fit to pass on: every secret hidden, at most MAX_MESSAGE_CHARS kept. */
	message(text: string): string;
	/** A copy of `value` with every secret hidden in its texts, names and values; nothing cut. */
	data<T>(value: T): T;
}

/**
 * A secret as it can come back: as sent, URL-encoded (as in a query, or a form body, which writes
 * a space as +), and escaped the way a JSON string writes it.
 */
function spellings(secret: string): string[] {
	const forms = [
		secret,
		encodeURIComponent(secret),
		new URLSearchParams({ s: secret }).toString().slice(2),
		JSON.stringify(secret).slice(1, -1),
	];
	// Longest first, so that no spelling is left half hidden by a shorter one inside it.
	return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** Cuts `text` to `maxChars` characters, saying how long it was; never inside a surrogate pair. */
export function cutText(text: string, maxChars: number, originalLength = text.length): string {
	if (text.length <= maxChars) return text;
	const end = /[\uD800-\uDBFF]/.test(text[maxChars - 1] ?? '') ? maxChars - 1 : maxChars;
	return `${text.slice(0, end)}… (cut: ${originalLength.toLocaleString('en-US')} characters in all)`;
}

/** A redactor for the given secrets; those that are not text, or are empty, hide nothing. */
export function redactor(secrets: readonly unknown[]): Redactor {
	const forms = [
		...new Set(
			secrets
				.filter((secret): secret is string => typeof secret === 'string' && secret !== '')
				.flatMap(spellings),
		),
	].sort((a, b) => b.length - a.length);

	const hide = (text: string): string =>
		forms.reduce(
			(hidden, form) => (hidden.includes(form) ? hidden.split(form).join(HIDDEN) : hidden),
			text,
		);

	function data<T>(value: T): T {
		if (typeof value === 'string') return hide(value) as T;
		if (Array.isArray(value)) return value.map(data) as T;
		if (typeof value === 'object' && value !== null) {
			const copy = {};
			for (const [name, entry] of Object.entries(value)) {
				// Defined, not assigned: a field named __proto__ stays a field.
				Object.defineProperty(copy, hide(name), {
					value: data(entry),
					enumerable: true,
					writable: true,
					configurable: true,
				});
			}
			return copy as T;
		}
		return value;
	}

	return {
		message: (text) => cutText(hide(text), MAX_MESSAGE_CHARS, text.length),
		data: forms.length === 0 ? (value) => value : data,
	};
}
