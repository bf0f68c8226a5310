// Hostile answers: a redirect, an answer that trickles in or is cut off half way, an empty body, a
// capitalised "Error", and list pages that wrap around. Each is checked on the wire with node:http,
// which, unlike fetch, follows no redirect and shows exactly which bytes came and how the connection
// ended.
import http from 'node:http';

import {
	FAULT_NAMES,
	MESSAGES,
	SANDBOX_CONTACTS,
	SANDBOX_EVENTS,
	startSandbox,
} from '../../sandbox';
import type { FaultName, FaultSettings, Sandbox } from '../../sandbox';
import { ACTIONS } from '../../sandbox/actions';
import { Store } from '../../sandbox/store';
import { apiFields, callAction } from './http';
import { useSandboxPerTest } from '../helpers/sandboxPerTest';
import { expectEventually } from '../helpers/eventually';

const [ann] = SANDBOX_CONTACTS;
const [webinarJoined] = SANDBOX_EVENTS;
const FIRE_FOR_ANN = apiFields('contact_event_fire', {
	contact_id: ann.id,
	event: webinarJoined.id,
});
const PROCESSED = '{"status":"success","message":"The action has been processed"}';
const NEW_CONTACT = apiFields('add_contact', { project_id: 1, email: 'new@example.com' });

const sandbox = useSandboxPerTest();

interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** The body's pieces as they arrived. */
	chunks: Buffer[];
	body: Buffer;
	/** Whether the whole body came before the connection ended. */
	complete: boolean;
	/** What the client saw go wrong while reading the body, if anything. */
	error?: NodeJS.ErrnoException;
	/** Milliseconds from sending the request to the headers, and to each piece of the body. */
	headersAfterMs: number;
	chunksAfterMs: number[];
}

/**
 * One form-encoded POST on a connection of its own, read to the end of the connection, whatever
 * that end is. With `hangUpAfterBytes`, the client hangs up once that much of the body has come.
 */
function post(
	target: Sandbox,
	fields: Record<string, string>,
	{ hangUpAfterBytes }: { hangUpAfterBytes?: number } = {},
): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const request = http.request(
			`${target.url}/`,
			{
				method: 'POST',
				agent: false,
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			},
			(response) => {
				const headersAfterMs = Date.now() - started;
				const chunks: Buffer[] = [];
				const chunksAfterMs: number[] = [];
				let error: NodeJS.ErrnoException | undefined;
				response.on('data', (chunk: Buffer) => {
					chunks.push(chunk);
					chunksAfterMs.push(Date.now() - started);
					if (hangUpAfterBytes !== undefined && Buffer.concat(chunks).length >= hangUpAfterBytes)
						request.destroy();
				});
				response.on('error', (thrown) => {
					error = thrown;
				});
				response.on('close', () => {
					const { statusCode = 0, headers, complete } = response;
					resolve({
						status: statusCode,
						headers,
						chunks,
						body: Buffer.concat(chunks),
						complete,
						error,
						headersAfterMs,
						chunksAfterMs,
					});
				});
			},
		);
		request.on('error', reject);
		request.end(new URLSearchParams(fields).toString());
	});
}

const outcomes = () =>
	sandbox()
		.requests()
		.map(({ outcome }) => outcome);

describe('redirect', () => {
	test('answers 307 to redirectTo, http://127.0.0.1:9/ unless set, with an empty body, and fires nothing', async () => {
		sandbox().setFaults({ queue: ['redirect'] });
		const answer = await post(sandbox(), FIRE_FOR_ANN);
		expect(answer).toMatchObject({ status: 307, complete: true });
		expect(answer.headers).toMatchObject({
			location: 'http://127.0.0.1:9/',
			'content-length': '0',
		});
		expect(answer.body).toEqual(Buffer.alloc(0));
		expect(sandbox().fired()).toEqual([]);
		expect(outcomes()).toEqual(['fault:redirect']);
	});

	test('points where redirectTo says', async () => {
		sandbox().setFaults({
			queue: ['redirect'],
			redirectTo: 'https://elsewhere.example/?token=abc',
		});
		expect((await post(sandbox(), FIRE_FOR_ANN)).headers.location).toBe(
			'https://elsewhere.example/?token=abc',
		);
	});
});

describe('trickle', () => {
	test('runs the action, then sends the headers at once and the answer a byte at a time, chunked', async () => {
		const trickleMs = 10;
		sandbox().setFaults({ queue: ['trickle'], trickleMs });
		const answer = await post(sandbox(), FIRE_FOR_ANN);

		expect(answer).toMatchObject({ status: 200, complete: true, error: undefined });
		expect(answer.headers).toMatchObject({
			'content-type': 'application/json; charset=utf-8',
			'transfer-encoding': 'chunked',
		});
		expect(answer.headers).not.toHaveProperty('content-length');
		expect(answer.body.toString()).toBe(PROCESSED);
		expect(answer.chunks.map((chunk) => chunk.length)).toEqual(Array(PROCESSED.length).fill(1));
		// The headers did not wait for the body, and the bytes came a trickleMs apart or more (Node's
		// timers may fire up to 1 ms early; a busy machine only makes them later).
		const [firstByteAfterMs] = answer.chunksAfterMs;
		expect(firstByteAfterMs).toBeGreaterThanOrEqual(answer.headersAfterMs);
		expect(answer.chunksAfterMs.at(-1)! - firstByteAfterMs).toBeGreaterThanOrEqual(
			(PROCESSED.length - 1) * (trickleMs - 1),
		);

		expect(sandbox().fired()).toEqual([
			expect.objectContaining({ seq: 1, contactId: ann.id, event: webinarJoined.id }),
		]);
		await expectEventually(() => outcomes()[0], 'fault:trickle:complete');
	});

	test('stops when the client hangs up, and records that it did', async () => {
		sandbox().setFaults({ queue: ['trickle'], trickleMs: 20 });
		const answer = await post(sandbox(), FIRE_FOR_ANN, { hangUpAfterBytes: 3 });
		expect(answer).toMatchObject({ status: 200, complete: false });
		expect(answer.body.toString()).toBe(PROCESSED.slice(0, 3));
		expect(outcomes()).toEqual(['fault:trickle']);
		// Well before the 60 bytes left would have taken.
		await expectEventually(() => outcomes()[0], 'fault:trickle:client-hung-up', 500);
		expect(sandbox().fired()).toHaveLength(1);
	});

	test('close() cuts a trickle at the default 400 ms a byte and returns promptly', async () => {
		const own = await startSandbox({ faults: { queue: ['trickle'] } });
		const answered = post(own, FIRE_FOR_ANN);
		while (own.requests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

		const started = Date.now();
		await own.close();
		expect(Date.now() - started).toBeLessThan(500);
		const answer = await answered;
		expect(answer).toMatchObject({ status: 200, complete: false });
		expect(answer.body.length).toBeLessThan(PROCESSED.length);
		await expectEventually(() => own.requests()[0].outcome, 'fault:trickle:client-hung-up');
	});
});

describe('cut-off', () => {
	test('runs the action, promises the whole answer, sends the first half, then drops the connection', async () => {
		sandbox().setFaults({ queue: ['cut-off'] });
		const answer = await post(sandbox(), FIRE_FOR_ANN);

		expect(answer.status).toBe(200);
		expect(answer.headers).toMatchObject({
			'content-type': 'application/json; charset=utf-8',
			'content-length': String(PROCESSED.length),
		});
		expect(answer.body.toString()).toBe(PROCESSED.slice(0, Math.floor(PROCESSED.length / 2)));
		expect(answer.complete).toBe(false);
		expect(answer.error).toMatchObject({ code: 'ECONNRESET', message: 'aborted' });

		expect(sandbox().fired()).toEqual([
			expect.objectContaining({ seq: 1, contactId: ann.id, event: webinarJoined.id }),
		]);
		expect(outcomes()).toEqual(['fault:cut-off']);
	});
});

test.each([
	['empty', 'application/json; charset=utf-8', ''],
	[
		'error-capitalised',
		'application/json; charset=utf-8',
		`{"status":"Error","message":"${MESSAGES.simulatedFailure}"}`,
	],
] as const)(
	'%s: answers HTTP 200 with exactly this body, and fires nothing',
	async (fault, contentType, text) => {
		sandbox().setFaults({ queue: [fault] });
		const answer = await post(sandbox(), FIRE_FOR_ANN);
		expect(answer).toMatchObject({ status: 200, complete: true });
		expect(answer.headers).toMatchObject({
			'content-type': contentType,
			'content-length': String(text.length),
		});
		expect(answer.body.toString()).toBe(text);
		expect(sandbox().fired()).toEqual([]);
		expect(outcomes()).toEqual([`fault:${fault}`]);
	},
);

test('echo-key: quotes the API key it was sent, as sent and form-encoded, and fires nothing', async () => {
	sandbox().setFaults({ queue: ['echo-key'] });
	const answer = await post(sandbox(), { ...FIRE_FOR_ANN, api_key: 'key with space+plus' });
	expect(answer.status).toBe(200);
	expect(JSON.parse(answer.body.toString())).toEqual({
		status: 'error',
		message: 'Invalid API key: key with space+plus (sent as api_key=key+with+space%2Bplus)',
	});
	expect(sandbox().fired()).toEqual([]);
	expect(outcomes()).toEqual(['fault:echo-key']);
});

test('huge-message: an error whose message is 8 MiB long', async () => {
	sandbox().setFaults({ queue: ['huge-message'] });
	const answer = await post(sandbox(), FIRE_FOR_ANN);
	const { status, message } = JSON.parse(answer.body.toString());
	expect(status).toBe('error');
	expect(message).toBe('x'.repeat(8 * 1024 * 1024));
	expect(sandbox().fired()).toEqual([]);
});

describe('what the action did', () => {
	test.each(['trickle', 'cut-off'] satisfies FaultName[])(
		'%s: the event and the change are recorded as for a success',
		async (fault) => {
			await post(sandbox(), FIRE_FOR_ANN);
			await post(sandbox(), NEW_CONTACT);
			const [fired, state] = [sandbox().fired(), sandbox().state()];
			sandbox().reset();

			sandbox().setFaults({ queue: [fault, fault], trickleMs: 1 });
			await post(sandbox(), FIRE_FOR_ANN);
			await post(sandbox(), NEW_CONTACT);
			expect(sandbox().fired()).toEqual(
				fired.map((event) => ({ ...event, at: expect.any(String) })),
			);
			expect(sandbox().state()).toEqual(state);
		},
	);

	test.each(['redirect', 'empty', 'error-capitalised'] satisfies FaultName[])(
		'%s: the action does not run',
		async (fault) => {
			const before = sandbox().state();
			sandbox().setFaults({ queue: [fault] });
			await post(sandbox(), NEW_CONTACT);
			expect(sandbox().state()).toEqual(before);
		},
	);
});

describe('wrapPages', () => {
	const listTags = (page: number) =>
		callAction(sandbox().url, 'list_tags', { project_id: 1, page });
	const listSegments = (page: number) =>
		callAction(sandbox().url, 'list_segments', { project_id: 1, page });

	test('off by default: the page past the end is empty', async () => {
		expect(await listTags(2)).toEqual([]);
	});

	test('page 2 of the 12 tags is page 0 again, page 3 is page 1; no page is empty', async () => {
		sandbox().setFaults({ wrapPages: true });
		const [page0, page1] = [await listTags(0), await listTags(1)];
		expect(page0).toHaveLength(10);
		expect(page1).toHaveLength(2);
		expect(await listTags(2)).toEqual(page0);
		expect(await listTags(3)).toEqual(page1);
	});

	test('list_segments wraps too: its 3 segments fill one page, so every page is page 0', async () => {
		sandbox().setFaults({ wrapPages: true });
		const page0 = await listSegments(0);
		expect(page0).toHaveLength(3);
		expect(await listSegments(1)).toEqual(page0);
		expect(await listSegments(7)).toEqual(page0);
	});

	test('a page that is not a whole number is still refused', async () => {
		sandbox().setFaults({ wrapPages: true });
		expect(await callAction(sandbox().url, 'list_tags', { project_id: 1, page: 'next' })).toEqual({
			status: 'error',
			message: MESSAGES.invalidPage,
		});
	});

	test('a project with no items still answers [] for every page', () => {
		// Every seeded project has tags and segments, and no action deletes them, so this empties a store
		// of its own and calls the actions directly.
		const store = new Store();
		store.tags.clear();
		store.segments.clear();
		const context = {
			store,
			at: new Date().toISOString(),
			wrapPages: true,
			recordFiredEvent: () => undefined,
			recordTagsAdded: () => undefined,
		};
		for (const page of [0, 1, 2]) {
			expect(ACTIONS.list_tags({ project_id: 1, page }, context)).toEqual([]);
			expect(ACTIONS.list_segments({ project_id: 1, page }, context)).toEqual([]);
		}
	});
});

describe('the new settings are checked', () => {
	test.each([
		[
			{ redirectTo: 'ftp://example.com/' },
			'redirectTo must be an absolute http: or https: URL, got "ftp://example.com/"',
		],
		[
			{ redirectTo: '/elsewhere' },
			'redirectTo must be an absolute http: or https: URL, got "/elsewhere"',
		],
		[{ redirectTo: 9 }, 'redirectTo must be an absolute http: or https: URL, got 9'],
		[{ trickleMs: 0 }, 'trickleMs must be a number of milliseconds, 1 or more, got 0'],
		[{ trickleMs: '20' }, 'trickleMs must be a number of milliseconds, 1 or more, got "20"'],
		[{ wrapPages: 'true' }, 'wrapPages must be true or false, got "true"'],
		[{ wrapPages: 1 }, 'wrapPages must be true or false, got 1'],
	])('%j is refused', (faults, message) => {
		expect(() => sandbox().setFaults(faults as Partial<FaultSettings>)).toThrow(message);
	});

	test('POST /__sandbox/faults answers 400 with the reason', async () => {
		const response = await fetch(`${sandbox().url}/__sandbox/faults`, {
			method: 'POST',
			body: JSON.stringify({ trickleMs: -5 }),
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			status: 'error',
			message: 'trickleMs must be a number of milliseconds, 1 or more, got -5',
		});
	});

	test('the new faults can be queued, and are listed in FAULT_NAMES', () => {
		const hostile = [
			'redirect',
			'trickle',
			'cut-off',
			'empty',
			'error-capitalised',
			'echo-key',
			'huge-message',
		] satisfies FaultName[];
		expect(FAULT_NAMES).toEqual(expect.arrayContaining(hostile));
		expect(() => sandbox().setFaults({ queue: hostile })).not.toThrow();
	});
});
