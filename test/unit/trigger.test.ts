import { MAX_POST_BYTES } from '../../nodes/Platformly/trigger/post';
import { isUsableSecret, secretsMatch } from '../../nodes/Platformly/trigger/secret';
import { TEST_API_KEY } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork } from '../helpers/platformlyMock';
import type { TriggerRun } from '../helpers/triggerRuntime';
import { postToTrigger, TEST_SECRET } from '../helpers/triggerRuntime';

afterEach(resetNetwork);

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** What n8n answers for a post the trigger takes, once it has stored the execution. */
const STARTED = { message: 'Workflow was started' };

/** The trigger took the post: it answered nothing itself and handed n8n its answer and item. */
function expectStarted(run: TriggerRun) {
	expect(run.answer).toBeUndefined();
	expect(run.result.noWebhookResponse).toBeUndefined();
	expect(run.result.webhookResponse).toEqual(STARTED);
}

/** A form post as n8n hands it over: the bytes, and the fields it parsed from them. */
const formPost = (fields: Record<string, string>, query = {}) => ({
	contentType: FORM,
	rawBody: new URLSearchParams(fields).toString(),
	body: { ...fields },
	query,
});

const jsonPost = (body: unknown, query = {}) => ({
	contentType: JSON_TYPE,
	rawBody: JSON.stringify(body),
	body,
	query,
});

/** JSON nested `depth` objects deep, as text and as parsed: too deep for JSON.stringify to write. */
function deepJsonPost(depth: number) {
	const text = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
	return { contentType: JSON_TYPE, rawBody: text, body: JSON.parse(text) as unknown };
}

describe('a post becomes one item', () => {
	test('form fields, as received, with contact_id from contactID and the email trimmed', async () => {
		const run = await postToTrigger(
			formPost({ contactID: '12', email: ' Ann@Example.com ', plan: 'pro' }),
		);

		expectStarted(run);
		expect(run.result.workflowData).toEqual([
			[{ json: { contactID: '12', email: 'Ann@Example.com', plan: 'pro', contact_id: 12 } }],
		]);
	});

	test('a JSON body, with contact_id already a number', async () => {
		const run = await postToTrigger(
			jsonPost({ contact_id: 13, email: 'ben@example.com', tags: [1, 2] }),
		);

		expect(run.item).toEqual({ contact_id: 13, email: 'ben@example.com', tags: [1, 2] });
	});

	test('a GET with the fields in its query', async () => {
		const run = await postToTrigger({
			method: 'GET',
			query: { contactId: '14', email: 'cara@example.com' },
		});

		expectStarted(run);
		expect(run.item).toEqual({ contactId: '14', email: 'cara@example.com', contact_id: 14 });
	});

	test('query and body together, the body winning where both name a field', async () => {
		const run = await postToTrigger(
			formPost({ contactID: '12', source: 'body' }, { source: 'query', utm: 'x' }),
		);

		expect(run.item).toEqual({ source: 'body', utm: 'x', contactID: '12', contact_id: 12 });
	});

	test('a POST with nothing but its query', async () => {
		const run = await postToTrigger({ query: { contactID: '15' } });

		expect(run.item).toEqual({ contactID: '15', contact_id: 15 });
	});

	test.each([
		[{ contactID: 'abc' }, null],
		[{ contactID: '0' }, null],
		[{}, null],
	])('contact_id is null when %p names no whole number', async (fields, contactId) => {
		const run = await postToTrigger(formPost(fields));

		expect(run.item?.contact_id).toBe(contactId);
		expect(run.item).not.toHaveProperty('email');
	});
});

describe('posts turned away, starting nothing', () => {
	test.each<[string, Parameters<typeof postToTrigger>[0], number, string]>([
		[
			'a multipart body',
			{ contentType: 'multipart/form-data', body: { contactID: '12' } },
			415,
			"The post's body must be form fields (application/x-www-form-urlencoded) or JSON, not multipart/form-data.",
		],
		[
			'plain text',
			{ contentType: 'text/plain', rawBody: 'contactID=12', body: 'contactID=12' },
			415,
			"The post's body must be form fields (application/x-www-form-urlencoded) or JSON, not text/plain.",
		],
		[
			'bytes without a content type',
			{ rawBody: 'contactID=12' },
			415,
			"The post's body must be form fields (application/x-www-form-urlencoded) or JSON, not a body without a content type.",
		],
		[
			'a JSON list',
			jsonPost([{ contactID: 12 }]),
			400,
			"The post's JSON body must be an object of fields.",
		],
		[
			'a field named __proto__',
			jsonPost(JSON.parse('{"__proto__": {"admin": true}}')),
			400,
			'The post may not hold a field named "__proto__".',
		],
		[
			'a query field named constructor',
			{ method: 'GET', query: { constructor: 'x' } },
			400,
			'The post may not hold a field named "constructor".',
		],
		[
			'fields nested thousands of levels deep',
			deepJsonPost(5_000),
			400,
			'The post nests its fields more than 32 levels deep.',
		],
		[
			`a body over ${MAX_POST_BYTES} bytes`,
			jsonPost({ note: 'x'.repeat(MAX_POST_BYTES) }),
			413,
			'The post is larger than 1 MB; a Platformly post is a few hundred bytes.',
		],
	])('%s', async (_case, request, status, message) => {
		const run = await postToTrigger(request);

		expect(run.answer).toEqual({ status, body: { message } });
		expect(run.result).toEqual({ noWebhookResponse: true });
	});
});

describe('Content-Encoding', () => {
	test.each(['br', 'GZIP', 'gzip, br', 'compress'])(
		'%s, which n8n does not decode, gets 415 and starts nothing',
		async (encoding) => {
			const run = await postToTrigger({
				...formPost({ contactID: '12' }),
				contentEncoding: encoding,
			});

			expect(run.answer).toEqual({
				status: 415,
				body: {
					message: `The post's body must come as it is, gzip or deflate, not ${JSON.stringify(encoding)} (Content-Encoding).`,
				},
			});
			expect(run.result).toEqual({ noWebhookResponse: true });
		},
	);

	// n8n inflates gzip and deflate before the trigger sees the body; identity changes nothing.
	test.each(['gzip', 'deflate', 'identity', 'Identity'])('%s is taken', async (encoding) => {
		const run = await postToTrigger({
			...formPost({ contactID: '12' }),
			contentEncoding: encoding,
		});

		expectStarted(run);
		expect(run.item).toEqual({ contactID: '12', contact_id: 12 });
	});

	test('a GET has no body to decode: its encoding does not matter', async () => {
		const run = await postToTrigger({
			method: 'GET',
			query: { contactID: '12' },
			contentEncoding: 'br',
		});

		expectStarted(run);
	});
});

describe('the shared secret', () => {
	test.each<[string, unknown, number, string]>([
		['no secret', undefined, 401, 'This URL needs its secret: add ?secret=<the secret> to it.'],
		['an empty secret', '', 401, 'This URL needs its secret: add ?secret=<the secret> to it.'],
		[
			'a wrong secret',
			'unitTestSecret-5b1e7c9b',
			403,
			"The secret in the URL is not this trigger's.",
		],
		[
			'the secret twice',
			[TEST_SECRET, TEST_SECRET],
			403,
			"The secret in the URL is not this trigger's.",
		],
		[
			'a prefix of it',
			TEST_SECRET.slice(0, -1),
			403,
			"The secret in the URL is not this trigger's.",
		],
	])('%s: refused, nothing started', async (_case, given, status, message) => {
		const query = given === undefined ? {} : { secret: given };
		const run = await postToTrigger(formPost({ contactID: '12' }, query as never), {
			secret: TEST_SECRET,
		});

		expect(run.answer).toEqual({ status, body: { message } });
		expect(run.result.workflowData).toBeUndefined();
	});

	test('the right secret starts the execution, and the item does not hold it', async () => {
		const run = await postToTrigger(formPost({ contactID: '12' }, { secret: TEST_SECRET }), {
			secret: TEST_SECRET,
		});

		expectStarted(run);
		expect(run.item).toEqual({ contactID: '12', contact_id: 12 });
		expect(JSON.stringify(run.result)).not.toContain(TEST_SECRET);
	});

	test('a secret field in the body is not kept either, right or wrong', async () => {
		for (const bodySecret of [TEST_SECRET, 'another-secret-value']) {
			const run = await postToTrigger(
				formPost({ contactID: '12', secret: bodySecret }, { secret: TEST_SECRET }),
				{ secret: TEST_SECRET },
			);

			expect(run.item).toEqual({ contactID: '12', contact_id: 12 });
		}
	});

	test('the secret repeated in another field is hidden there, as sent and URL-encoded', async () => {
		const run = await postToTrigger(
			jsonPost(
				{ contactID: '12', note: `key ${TEST_SECRET}`, [TEST_SECRET]: 'as a name' },
				{ secret: TEST_SECRET },
			),
			{ secret: TEST_SECRET },
		);

		expect(run.item).toEqual({
			contactID: '12',
			contact_id: 12,
			note: 'key [hidden]',
			'[hidden]': 'as a name',
		});
	});

	test('without the credential, posts are let in and a secret in the query is still not kept', async () => {
		const run = await postToTrigger(
			formPost({ contactID: '12' }, { secret: 'anything-at-all-here' }),
		);

		expect(run.item).toEqual({ contactID: '12', contact_id: 12 });
	});

	test('without a credential at all, posts are let in too', async () => {
		const run = await postToTrigger(
			formPost({ contactID: '12' }, { secret: 'anything-at-all-here' }),
			{
				platformly: null,
			},
		);

		expect(run.item).toEqual({ contactID: '12', contact_id: 12 });
	});

	test('a credential whose secret is not usable refuses every post, saying so', async () => {
		const run = await postToTrigger(formPost({ contactID: '12' }, { secret: 'short' }), {
			secret: 'short',
		});

		expect(run.answer).toEqual({
			status: 500,
			body: {
				message:
					"The trigger's secret is not usable; open its Platformly API credential and run the Test.",
			},
		});
		expect(run.result.workflowData).toBeUndefined();
	});

	test('secretsMatch compares whole secrets', () => {
		expect(secretsMatch(TEST_SECRET, TEST_SECRET)).toBe(true);
		expect(secretsMatch(`${TEST_SECRET}x`, TEST_SECRET)).toBe(false);
		expect(secretsMatch(TEST_SECRET.slice(1), TEST_SECRET)).toBe(false);
		expect(secretsMatch('', TEST_SECRET)).toBe(false);
	});

	test.each([
		['a'.repeat(16), true],
		['Ab0._~-Ab0._~-Ab0', true],
		['a'.repeat(15), false],
		['a'.repeat(257), false],
		['with space in it!!', false],
		['has&ampersand-and-more', false],
		[undefined, false],
	])('isUsableSecret(%p) is %p', (secret, usable) => {
		expect(isUsableSecret(secret)).toBe(usable);
	});
});

describe('Fetch Contact', () => {
	const fetching = { parameters: { fetchContact: true } };
	/** Fetch Contact with a Fetch Contact Timeout of 1 s, for the tests that run into it. */
	const fetchingWithin1s = { parameters: { fetchContact: true, fetchTimeout: 1_000 } };
	const ann = { id: 12, email: 'ann@example.com', first_name: 'Ann' };

	test('reads the contact by its ID and adds it as contact', async () => {
		const { requests } = mockPlatformly(() => [200, ann]);

		const run = await postToTrigger(
			formPost({ contactID: '12', email: 'ann@example.com' }),
			fetching,
		);

		expect(requests.map(({ rawBody }) => rawBody)).toEqual([
			`action=fetch_contact&value=%7B%22contact_id%22%3A12%7D&api_key=${TEST_API_KEY}`,
		]);
		expectStarted(run);
		expect(run.item).toEqual({
			contactID: '12',
			email: 'ann@example.com',
			contact_id: 12,
			contact: ann,
		});
	});

	test('reads it by email when the post has no contact ID', async () => {
		const { requests } = mockPlatformly(() => [200, ann]);

		await postToTrigger(jsonPost({ email: 'ann@example.com' }), fetching);

		expect(requests.map(({ value }) => value)).toEqual([{ email: 'ann@example.com' }]);
	});

	test("an unknown contact: the item still goes out, with contact null and Platformly's message", async () => {
		mockPlatformly(() => [200, { status: 'error', message: 'Contact Not Found' }]);

		const run = await postToTrigger(formPost({ contactID: '999' }), fetching);

		expectStarted(run);
		expect(run.item).toEqual({
			contactID: '999',
			contact_id: 999,
			contact: null,
			contact_error: 'Contact Not Found',
		});
	});

	test('a failure to ask Platformly is kept in contact_error too', async () => {
		mockPlatformly(() => [404, 'Not Found']);

		const run = await postToTrigger(formPost({ contactID: '12' }), fetching);

		expect(run.item).toMatchObject({
			contact: null,
			contact_error: 'Nothing answered at the Platformly Base URL (HTTP 404)',
		});
	});

	test('is retried as any read is: a 500, then the contact', async () => {
		const { requests } = mockPlatformly((_request, index) =>
			index === 0 ? [500, 'oops'] : [200, ann],
		);

		const run = await postToTrigger(formPost({ contactID: '12' }), fetching);

		expect(requests).toHaveLength(2);
		expect(run.item).toMatchObject({ contact: ann });
	});

	test('ends at Fetch Contact Timeout, retries and all, with the reason in contact_error', async () => {
		const { requests } = mockPlatformly(() => [503, 'busy']);

		const started = Date.now();
		const run = await postToTrigger(formPost({ contactID: '12' }), fetchingWithin1s);

		expect(Date.now() - started).toBeLessThan(2_000);
		expect(requests.length).toBeGreaterThanOrEqual(2);
		expect(run.item).toMatchObject({
			contact: null,
			contact_error: 'Platformly is temporarily unavailable (HTTP 503)',
		});
	});

	test('a retry the deadline cuts short leaves the earlier failure as the reason', async () => {
		// The second answer comes long after Fetch Contact Timeout: that request ends at the deadline.
		const { requests } = mockPlatformly((_request, index) =>
			index === 0 ? [503, 'busy'] : [200, ann, {}, 10_000],
		);

		const run = await postToTrigger(formPost({ contactID: '12' }), fetchingWithin1s);

		expect(requests).toHaveLength(2);
		expect(run.item).toMatchObject({
			contact: null,
			contact_error: 'Platformly is temporarily unavailable (HTTP 503)',
		});
	});

	test('a first request unanswered at Fetch Contact Timeout says so, naming the setting', async () => {
		const { requests } = mockPlatformly(() => [200, ann, {}, 10_000]);

		const run = await postToTrigger(formPost({ contactID: '12' }), fetchingWithin1s);

		expect(requests).toHaveLength(1);
		expect(run.item).toMatchObject({
			contact: null,
			contact_error: 'Platformly sent no complete answer within Fetch Contact Timeout (1 s)',
		});
	});

	test.each([
		['text', 'soon', '"soon"'],
		['0', 0, '0'],
		['more than 600,000', 600_001, '600001'],
	])(
		'a Fetch Contact Timeout of %s fails the execution, naming the field',
		async (_case, value, shown) => {
			const { requests } = mockPlatformly();

			const run = postToTrigger(formPost({ contactID: '12' }), {
				parameters: { fetchContact: true, fetchTimeout: value },
			});

			await expect(run).rejects.toThrow(
				`Fetch Contact Timeout must be a whole number from 1 to 600,000, got ${shown}`,
			);
			await run.catch((error: Error & { description?: string }) =>
				expect(error.description).toBe(
					"Correct it in the trigger's settings. Nothing was sent to Platformly.",
				),
			);
			expect(requests).toEqual([]);
		},
	);

	test('without a credential, the item goes on saying Fetch Contact needs one', async () => {
		const { requests } = mockPlatformly();

		const run = await postToTrigger(formPost({ contactID: '12' }), {
			...fetching,
			platformly: null,
		});

		expect(requests).toEqual([]);
		expect(run.item).toEqual({
			contactID: '12',
			contact_id: 12,
			contact: null,
			contact_error:
				'Fetch Contact needs a Platformly API credential: choose one in the trigger, as for the Platformly node.',
		});
	});

	test('a post naming no contact asks Platformly nothing', async () => {
		const { requests } = mockPlatformly();

		const run = await postToTrigger(formPost({ plan: 'pro' }), fetching);

		expect(requests).toEqual([]);
		expect(run.item).toEqual({
			plan: 'pro',
			contact_id: null,
			contact: null,
			contact_error:
				'The post named no contact: it held no contactID (or contact_id) and no email.',
		});
	});

	test('a Base URL the node refuses is kept in contact_error, without its password', async () => {
		const run = await postToTrigger(formPost({ contactID: '12' }), {
			...fetching,
			platformly: { apiKey: TEST_API_KEY, baseUrl: 'https://me:s3cret-pw@api.platform.ly' },
		});

		expect(run.item?.contact_error).toBe(
			'The Base URL in the Platformly credential must not hold a user name or password (user:password@): the API key is all Platformly needs',
		);
		expect(JSON.stringify(run.item)).not.toContain('s3cret');
	});
});
