import { SANDBOX_API_KEY } from '../../sandbox';

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
}

/** One request to the Platformly endpoint, form-encoded as Platformly's docs show. */
export async function callPlatformly(
	url: string,
	fields: Record<string, string>,
	init: RequestInit = {},
): Promise<Answer> {
	const response = await fetch(`${url}/`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields),
		...init,
	});
	return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The three form fields of a call with the sandbox's key, `value` given as an object. */
export function apiFields(action: string, value: object): Record<string, string> {
	return { api_key: SANDBOX_API_KEY, action, value: JSON.stringify(value) };
}

export function fireEvent(url: string, value: object, init?: RequestInit): Promise<Answer> {
	return callPlatformly(url, apiFields('contact_event_fire', value), init);
}

/** Calls one action with the sandbox's key and parses the answer: JSON, whatever the outcome. */
export async function callAction(url: string, action: string, value: object): Promise<unknown> {
	return JSON.parse((await callPlatformly(url, apiFields(action, value))).text);
}
