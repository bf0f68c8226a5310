import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import { HIDDEN, MAX_MESSAGE_CHARS, redactor } from '../../nodes/Platformly/helpers/redaction';
import { runCredentialTest } from '../helpers/credentialTest';
import { runPlatformly, TEST_BASE_URL } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork } from '../helpers/platformlyMock';
import { postToTrigger, TEST_SECRET } from '../helpers/triggerRuntime';

/**
 * Every secret, planted in every kind of answer a server can give: none comes back in what the
 * node passes on (outputs, errors, the trigger's items, the credential Test), and no text taken
 * from an answer grows past its bound.
 */
afterEach(resetNetwork);

/** A key with characters that every encoding writes differently. */
const API_KEY = 'Key/with+plus&amp=1 é"q';

/** How a server may write a secret back: as sent, URL-encoded, form-encoded, JSON-escaped. */
const spellings = (secret: string) => ({
	'as sent': secret,
	'URL-encoded': encodeURIComponent(secret),
	'form-encoded': new URLSearchParams({ s: secret }).toString().slice(2),
	'JSON-escaped': JSON.stringify(secret).slice(1, -1),
});

/** Everything of a run the user, n8n or an AI model can see: outputs, errors and their texts. */
function seen(outcome: { output?: INodeExecutionData[]; error?: unknown }): string {
	const error = outcome.error as NodeApiError | undefined;
	return JSON.stringify({
		output: outcome.output?.map(({ json, error: itemError }) => ({
			json,
			message: itemError?.message,
			description: (itemError as NodeApiError | undefined)?.description,
		})),
		message: error?.message,
		description: error?.description,
	});
}

async function fireWithAnswer(
	reply: Parameters<typeof mockPlatformly>[0],
	onError: 'stopWorkflow' | 'continueRegularOutput' = 'stopWorkflow',
) {
	mockPlatformly(reply);
	try {
		const output = await runPlatformly({
			parameters: {
				resource: 'contact',
				operation: 'fireEvent',
				email: 'ann@example.com',
				eventId: 101,
				options: { maxRetries: 0 },
			},
			credentials: { apiKey: API_KEY, baseUrl: TEST_BASE_URL },
			onError,
		});
		return { output };
	} catch (error) {
		return { error };
	}
}

function expectNoSecret(text: string, secret = API_KEY) {
	for (const spelling of Object.values(spellings(secret))) expect(text).not.toContain(spelling);
	expect(text).toContain(HIDDEN);
}

describe.each(Object.entries(spellings(API_KEY)))('the API key %s', (_spelling, planted) => {
	test("in Platformly's error message: hidden in the run's error", async () => {
		const outcome = await fireWithAnswer(() => [
			200,
			{ status: 'error', message: `Invalid API key: ${planted}` },
		]);
		expect((outcome.error as Error).message).toBe(`Invalid API key: ${HIDDEN}`);
		expectNoSecret(seen(outcome));
	});

	test("in Platformly's error message: hidden in the error item", async () => {
		const outcome = await fireWithAnswer(
			() => [200, { status: 'error', message: `Invalid API key: ${planted}` }],
			'continueRegularOutput',
		);
		expect(outcome.output?.[0].json).toEqual({ error: `Invalid API key: ${HIDDEN}` });
		expectNoSecret(seen(outcome));
	});

	test('in an answer that is not JSON: hidden in the error that quotes it', async () => {
		const outcome = await fireWithAnswer(() => [200, `<html>denied for ${planted}</html>`]);
		expect((outcome.error as NodeApiError).description).toContain(
			`The answer began with: <html>denied for ${HIDDEN}</html>.`,
		);
		expectNoSecret(seen(outcome));
	});

	test('in a successful answer, as a value and as a name: hidden in the output', async () => {
		const outcome = await fireWithAnswer(() => [
			200,
			{ status: 'success', message: `done for ${planted}`, [planted]: { echo: [planted] } },
		]);
		expect(outcome.output?.[0].json).toEqual({
			status: 'success',
			message: `done for ${HIDDEN}`,
			[HIDDEN]: { echo: [HIDDEN] },
		});
		expectNoSecret(seen(outcome));
	});

	test("in the credential Test's answer: hidden in the Test's message", async () => {
		mockPlatformly(() => [200, { status: 'error', message: `Invalid API key: ${planted}` }]);
		const result = await runCredentialTest({ apiKey: API_KEY, baseUrl: TEST_BASE_URL });
		expect(result.status).toBe('Error');
		expectNoSecret(result.message);
	});
});

test("the API key as a redirect's host: hidden in the error naming the host", async () => {
	const key = 'plainkey0123456789';
	mockPlatformly(() => [307, '', { location: `https://${key}.evil.example/` }]);
	const outcome = await runPlatformly({
		parameters: { resource: 'contact', operation: 'get', email: 'ann@example.com' },
		credentials: { apiKey: key, baseUrl: TEST_BASE_URL },
	}).catch((error: unknown) => ({ error }));
	const error = (outcome as { error: NodeApiError }).error;
	expect(error.description).toContain(`It points to ${HIDDEN}.evil.example.`);
	expect(seen({ error })).not.toContain(key);
});

describe('Fetch Contact', () => {
	const fetching = {
		parameters: { fetchContact: true },
		secret: TEST_SECRET,
		platformly: { apiKey: API_KEY, baseUrl: TEST_BASE_URL },
	};
	const post = (fields: Record<string, string>) => ({
		contentType: 'application/x-www-form-urlencoded',
		rawBody: new URLSearchParams(fields).toString(),
		body: fields,
		query: { secret: TEST_SECRET },
	});

	test.each([
		['API key', API_KEY],
		["trigger's secret", TEST_SECRET],
	])("the %s in Platformly's message: hidden in contact_error", async (_name, secret) => {
		mockPlatformly(() => [200, { status: 'error', message: `Unknown ${secret}` }]);
		const run = await postToTrigger(post({ contactID: '12' }), fetching);
		expect(run.item).toEqual({
			contactID: '12',
			contact_id: 12,
			contact: null,
			contact_error: `Unknown ${HIDDEN}`,
		});
		expectNoSecret(JSON.stringify(run.output), secret);
	});

	test.each([
		['API key', API_KEY],
		["trigger's secret", TEST_SECRET],
	])('the %s in the contact Platformly returns: hidden in contact', async (_name, secret) => {
		mockPlatformly(() => [200, { id: 12, email: 'ann@example.com', notes: `see ${secret}` }]);
		const run = await postToTrigger(post({ contactID: '12' }), fetching);
		expect(run.item?.contact).toEqual({ id: 12, email: 'ann@example.com', notes: `see ${HIDDEN}` });
		expectNoSecret(JSON.stringify(run.output), secret);
	});
});

describe('a message of 8 MiB', () => {
	const huge = 'x'.repeat(8 * 1024 * 1024);
	const cut = `${'x'.repeat(MAX_MESSAGE_CHARS)}… (cut: 8,388,608 characters in all)`;

	test("is cut to 2,000 characters in the run's error and the error item", async () => {
		const failed = await fireWithAnswer(() => [200, { status: 'error', message: huge }]);
		expect((failed.error as Error).message).toBe(cut);
		const continued = await fireWithAnswer(
			() => [200, { status: 'error', message: huge }],
			'continueRegularOutput',
		);
		expect(continued.output?.[0].json).toEqual({ error: cut });
	});

	test("is cut in Fetch Contact's contact_error", async () => {
		mockPlatformly(() => [200, { status: 'error', message: huge }]);
		const run = await postToTrigger(
			{ method: 'GET', query: { contactID: '12' } },
			{ parameters: { fetchContact: true } },
		);
		expect(run.item?.contact_error).toBe(cut);
	});

	test('a page that is not JSON is quoted by its first 120 characters and its length', async () => {
		const outcome = await fireWithAnswer(() => [200, `<p>${huge}</p>`]);
		expect((outcome.error as NodeApiError).description).toBe(
			`The answer began with: <p>${'x'.repeat(117)}… (cut: 8,388,615 characters in all). ` +
				'A proxy or firewall may be answering instead of Platformly. ' +
				'Check the Base URL in the Platformly credential (normally https://api.platform.ly).',
		);
	});
});

describe('redactor', () => {
	test('hides every spelling of every secret, the longest first', () => {
		const redact = redactor(['ab c', 'ab']);
		expect(redact.message('ab c / ab%20c / ab+c / ab')).toBe(
			`${HIDDEN} / ${HIDDEN} / ${HIDDEN} / ${HIDDEN}`,
		);
	});

	test('ignores secrets that are empty or not text', () => {
		expect(redactor(['', undefined, 42]).message('nothing 42 to hide')).toBe('nothing 42 to hide');
	});

	test('keeps a field named __proto__ a field, and leaves other values alone', () => {
		const value = JSON.parse(
			'{"__proto__": {"polluted": "s3cretvalue"}, "n": 1, "b": true}',
		) as IDataObject;
		const copy = redactor(['s3cretvalue']).data(value);
		expect(Object.keys(copy)).toEqual(['__proto__', 'n', 'b']);
		expect(JSON.stringify(copy)).toBe(`{"__proto__":{"polluted":"${HIDDEN}"},"n":1,"b":true}`);
		expect(({} as IDataObject).polluted).toBeUndefined();
	});

	test('cuts a message, hidden first, at 2,000 characters, never inside a character pair', () => {
		const emoji = '😀';
		const text = `${'a'.repeat(MAX_MESSAGE_CHARS - 1)}${emoji}tail`;
		expect(redactor([]).message(text)).toBe(
			`${'a'.repeat(MAX_MESSAGE_CHARS - 1)}… (cut: 2,005 characters in all)`,
		);
	});
});
