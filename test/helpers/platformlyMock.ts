import nock from 'nock';

import { TEST_BASE_URL } from './n8nRuntime';

// nock puts itself into Node's http module as soon as it is loaded; it stays out until a test
// asks for it, so that the tests talking to real local servers get real sockets.
nock.restore();

export const SUCCESS_ANSWER = { status: 'success', message: 'The action has been processed' };

export interface RecordedRequest {
	/** The body exactly as it went over the wire. */
	rawBody: string;
	contentType: string | undefined;
	fields: Record<string, string>;
	/** The `value` field, parsed. */
	value: unknown;
}

/** Status, body, headers, and how long to hold the answer back (default: not at all). */
type Reply = [number, string | object, Record<string, string>?, number?];

/**
 * A stand-in for api.platform.ly that records every request as raw bytes and answers each one from
 * `answer` (default: Platformly's success body). No other host can be reached while it is active.
 */
export function mockPlatformly(
	answer: (request: RecordedRequest, index: number) => Reply = () => [200, SUCCESS_ANSWER],
) {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
	const requests: RecordedRequest[] = [];
	const scope = nock(TEST_BASE_URL)
		.persist()
		.post('/')
		.reply(function (_uri, body, callback) {
			const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
			const fields = Object.fromEntries(new URLSearchParams(rawBody));
			const request: RecordedRequest = {
				rawBody,
				contentType: this.req.headers['content-type'] as string | undefined,
				fields,
				value: fields.value === undefined ? undefined : JSON.parse(fields.value),
			};
			requests.push(request);
			const [status, reply, headers, delayMs] = answer(request, requests.length - 1);
			const send = () => callback(null, [status, reply, headers ?? {}]);
			// Unreferenced: an answer held past the end of its test keeps no test file running.
			if (delayMs) setTimeout(send, delayMs).unref();
			else send();
		});
	return { requests, scope };
}

/**
 * Takes nock out of Node's http module again. Jest gives each test file its own modules but one
 * http module per worker, so a nock left active would sit between the next file's real requests
 * and their sockets: a response destroyed there would leave its connection open.
 */
export function resetNetwork(): void {
	nock.cleanAll();
	nock.enableNetConnect();
	nock.restore();
}
