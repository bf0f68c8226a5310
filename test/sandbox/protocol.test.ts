// Platformly's protocol as the sandbox speaks it. Bodies are written out in full on purpose: they are
// the protocol, and a test that imported them from the sandbox would follow any change to them.
import {
	BULK_CONTACT_COUNT,
	BULK_CONTACT_ID_OFFSET,
	SANDBOX_CONTACTS,
	SANDBOX_EVENTS,
	bulkContactEmail,
	startSandbox,
} from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { apiFields, callPlatformly, fireEvent } from './http';

const SUCCESS = '{"status":"success","message":"The action has been processed"}';
const error = (message: string) => JSON.stringify({ status: 'error', message });

const [ann, ben] = SANDBOX_CONTACTS;
const zoe = SANDBOX_CONTACTS.find(({ email }) => email.includes('+'))!;
const [webinarJoined, paymentReceived] = SANDBOX_EVENTS;

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterEach(() => sandbox.reset());
afterAll(() => sandbox.close());

describe('contact_event_fire', () => {
	test.each([
		['contact_id as a number', { contact_id: ann.id, event: webinarJoined.id }, ann],
		[
			'contact_id and event as numeric strings',
			{ contact_id: String(ann.id), event: String(webinarJoined.id) },
			ann,
		],
		['email only', { email: ben.email, event: webinarJoined.id }, ben],
		[
			'email in another case, with spaces',
			{ email: ` ${ben.email.toUpperCase()} `, event: webinarJoined.id },
			ben,
		],
		['an email with "+"', { email: zoe.email, event: webinarJoined.id }, zoe],
		[
			'contact_id and email of the same contact',
			{ contact_id: ben.id, email: ben.email, event: webinarJoined.id },
			ben,
		],
	])('%s: answers success and records the event', async (_case, value, contact) => {
		const answer = await fireEvent(sandbox.url, value);
		expect(answer).toMatchObject({ status: 200, text: SUCCESS });
		expect(sandbox.fired()).toEqual([
			{
				seq: 1,
				at: expect.any(String),
				contactId: contact.id,
				email: contact.email,
				event: webinarJoined.id,
				options: null,
			},
		]);
	});

	test('options reach the record as sent', async () => {
		const options = { path: '/pricing', seats: 3, trial: false };
		await fireEvent(sandbox.url, { email: ann.email, event: paymentReceived.id, options });
		expect(sandbox.fired()[0]).toMatchObject({
			contactId: ann.id,
			event: paymentReceived.id,
			options,
		});
	});

	test('bulk contacts exist from the first to the last, and no further', async () => {
		for (const n of [1, BULK_CONTACT_COUNT]) {
			expect(
				(await fireEvent(sandbox.url, { email: bulkContactEmail(n), event: webinarJoined.id }))
					.text,
			).toBe(SUCCESS);
			expect(
				(
					await fireEvent(sandbox.url, {
						contact_id: BULK_CONTACT_ID_OFFSET + n,
						event: webinarJoined.id,
					})
				).text,
			).toBe(SUCCESS);
		}
		expect(sandbox.fired().map(({ contactId }) => contactId)).toEqual([
			BULK_CONTACT_ID_OFFSET + 1,
			BULK_CONTACT_ID_OFFSET + 1,
			BULK_CONTACT_ID_OFFSET + BULK_CONTACT_COUNT,
			BULK_CONTACT_ID_OFFSET + BULK_CONTACT_COUNT,
		]);
		for (const email of [
			bulkContactEmail(0),
			bulkContactEmail(BULK_CONTACT_COUNT + 1),
			'bulk-007@example.com',
		]) {
			expect((await fireEvent(sandbox.url, { email, event: webinarJoined.id })).text).toBe(
				error('Contact Not Found'),
			);
		}
	});

	test.each([
		['no contact', { event: webinarJoined.id }, 'Contact ID or email is required'],
		[
			'empty contact fields',
			{ contact_id: '', email: null, event: webinarJoined.id },
			'Contact ID or email is required',
		],
		['no event', { contact_id: ann.id }, 'Event ID is required'],
		['an unknown event', { contact_id: ann.id, event: 999 }, 'Event Not Found'],
		['a non-numeric event', { contact_id: ann.id, event: 'webinar_joined' }, 'Event Not Found'],
		[
			'an unknown contact_id',
			{ contact_id: 999999999, event: webinarJoined.id },
			'Contact Not Found',
		],
		[
			'an unknown email',
			{ email: 'nobody@example.com', event: webinarJoined.id },
			'Contact Not Found',
		],
		[
			'contact_id and email of different contacts',
			{ contact_id: ann.id, email: ben.email, event: webinarJoined.id },
			'Contact Not Found',
		],
		[
			'options that are not an object',
			{ contact_id: ann.id, event: webinarJoined.id, options: '{"path":"/"}' },
			'Invalid options: not a JSON object',
		],
	])('%s: answers the error with HTTP 200 and fires nothing', async (_case, value, message) => {
		const answer = await fireEvent(sandbox.url, value);
		expect(answer).toMatchObject({ status: 200, text: error(message) });
		expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		expect(sandbox.fired()).toEqual([]);
	});
});

describe('every action', () => {
	test('profile answers the flat account object, without a status key', async () => {
		const answer = await callPlatformly(sandbox.url, apiFields('profile', {}));
		expect(JSON.parse(answer.text)).toEqual({
			account_id: 4242,
			first_name: 'Sandbox',
			last_name: 'Account',
			email: 'owner@sandbox.example',
			company: 'Sandbox Inc.',
		});
	});

	test.each([
		[
			'a wrong key',
			{ ...apiFields('profile', {}), api_key: 'wrongKey0123456789abcdefABCDEF12' },
			'Invalid API key',
		],
		['no key', { action: 'profile', value: '{}' }, 'Invalid API key'],
		['an unknown action', apiFields('fetch_everything', {}), 'Unknown action'],
		['an action named like an Object property', apiFields('toString', {}), 'Unknown action'],
		[
			'a value that is not JSON',
			{ ...apiFields('profile', {}), value: '{event: 101}' },
			'Invalid value: not a JSON object',
		],
		[
			'a value that is a JSON array',
			{ ...apiFields('profile', {}), value: '[]' },
			'Invalid value: not a JSON object',
		],
		[
			'no value',
			{ api_key: apiFields('profile', {}).api_key, action: 'profile' },
			'Invalid value: not a JSON object',
		],
	])('%s: answers the error with HTTP 200', async (_case, fields, message) => {
		expect(await callPlatformly(sandbox.url, fields)).toMatchObject({
			status: 200,
			text: error(message),
		});
	});

	test('a JSON body is refused Platformly-style: HTTP 200 with an error', async () => {
		const answer = await callPlatformly(
			sandbox.url,
			{},
			{
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(apiFields('profile', {})),
			},
		);
		expect(answer).toMatchObject({
			status: 200,
			text: error('Expected application/x-www-form-urlencoded'),
		});
	});

	test('a charset parameter on the form content type is fine', async () => {
		const answer = await callPlatformly(sandbox.url, apiFields('profile', {}), {
			headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
		});
		expect(JSON.parse(answer.text)).toHaveProperty('account_id');
	});
});

describe('records', () => {
	test('requests() lists every API request with its outcome, and never the API key', async () => {
		const wrongKey = 'wrongKey0123456789abcdefABCDEF12';
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
		await fireEvent(sandbox.url, { contact_id: ann.id, event: 999 });
		await callPlatformly(sandbox.url, { ...apiFields('profile', {}), api_key: wrongKey });

		const requests = sandbox.requests();
		expect(requests).toEqual([
			{
				seq: 1,
				at: expect.any(String),
				action: 'contact_event_fire',
				email: null,
				apiKeyValid: true,
				outcome: 'success',
			},
			{
				seq: 2,
				at: expect.any(String),
				action: 'contact_event_fire',
				email: null,
				apiKeyValid: true,
				outcome: 'error:Event Not Found',
			},
			{
				seq: 3,
				at: expect.any(String),
				action: 'profile',
				email: null,
				apiKeyValid: false,
				outcome: 'error:Invalid API key',
			},
		]);
		expect(new Date(requests[0].at).toISOString()).toBe(requests[0].at);
		const recorded = JSON.stringify([requests, sandbox.fired()]);
		expect(recorded).not.toContain(sandbox.apiKey);
		expect(recorded).not.toContain(wrongKey);
	});

	test("each record shows the request's value.email exactly as sent, or null", async () => {
		await fireEvent(sandbox.url, {
			email: ` ${ben.email.toUpperCase()} `,
			event: webinarJoined.id,
		});
		await fireEvent(sandbox.url, { email: 'nobody@example.com', event: webinarJoined.id });
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
		await fireEvent(sandbox.url, { email: 13, event: webinarJoined.id });
		// Not form encoded, so the sandbox reads no value at all.
		await callPlatformly(
			sandbox.url,
			{},
			{
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(apiFields('fetch_contact', { email: ann.email })),
			},
		);
		expect(sandbox.requests().map(({ email }) => email)).toEqual([
			` ${ben.email.toUpperCase()} `,
			'nobody@example.com',
			null,
			null,
			null,
		]);
	});

	test('fired() keeps arrival order and names the firing request by seq', async () => {
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
		await fireEvent(sandbox.url, { contact_id: 999999999, event: webinarJoined.id });
		await fireEvent(sandbox.url, { email: ben.email, event: paymentReceived.id });
		expect(sandbox.fired().map(({ seq, email }) => [seq, email])).toEqual([
			[1, ann.email],
			[3, ben.email],
		]);
	});

	test('reset() forgets the records and restarts seq', async () => {
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
		sandbox.reset();
		expect(sandbox.fired()).toEqual([]);
		expect(sandbox.requests()).toEqual([]);
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
		expect(sandbox.requests()[0].seq).toBe(1);
	});

	test('the caller gets copies of the record lists', async () => {
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
		sandbox.fired().pop();
		sandbox.requests().pop();
		expect(sandbox.fired()).toHaveLength(1);
		expect(sandbox.requests()).toHaveLength(1);
	});
});

test('the sandbox expects the key it was started with', async () => {
	const ownKey = 'ownKey0123456789abcdefABCDEF1234';
	const other = await startSandbox({ apiKey: ownKey });
	try {
		expect(other.apiKey).toBe(ownKey);
		expect(other.url).toBe(`http://127.0.0.1:${other.port}`);
		expect((await callPlatformly(other.url, apiFields('profile', {}))).text).toBe(
			error('Invalid API key'),
		);
		expect(
			JSON.parse(
				(await callPlatformly(other.url, { ...apiFields('profile', {}), api_key: ownKey })).text,
			),
		).toHaveProperty('account_id');
	} finally {
		await other.close();
	}
});
