// @ts-check
// The Platformly Trigger in a running n8n, its workflows active (published, in 2.x terms), posted
// to on their production URLs as a Platformly automation would; and the round trip: the node fires
// an event, the sandbox's automation posts to the trigger, and the trigger's workflow runs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { e2eN8nVersion, e2eUserFolder, runCleanups, startWithActiveWorkflows } from './cases.mjs';
import { postToWebhook, waitForWebhooks } from '../../harness/n8n/instance.mjs';
import { randomApiKey, seed, startSandbox } from '../../harness/stand-ins/sandbox.mjs';
import {
	newId,
	sandboxCredential,
	platformlyNode,
	TRIGGER_NODE_NAME,
	TRIGGER_WEBHOOK_PATH,
	triggerWorkflow,
	webhookToPlatformlyWorkflow,
} from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('./cases.mjs').Cleanup} Cleanup
 * @typedef {import('../../harness/n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../../harness/n8n/instance.mjs').StoredExecution} StoredExecution
 * @typedef {import('../../harness/stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('../../harness/n8n/workflows.mjs').Workflow} Workflow
 */

// A secret nobody would type, so finding it anywhere n8n wrote can only mean it leaked.
const SECRET = `s${randomApiKey()}`;
const BURST = 200;
const ANN = seed.SANDBOX_CONTACTS.find(({ email }) => email === 'ann@example.com');
// The event the round trip fires, and that the sandbox's automation listens for.
const ROUND_TRIP_EVENT = 103;

/**
 * Sends one request to a trigger, as Platformly's automation would, and returns n8n's answer.
 * @param {string} url
 * @param {{ method?: 'GET' | 'POST', form?: Record<string, string>, json?: unknown, contentType?: string, contentEncoding?: string, body?: string }} [request]
 */
async function post(url, { method = 'POST', form, json, contentType, contentEncoding, body } = {}) {
	/** @type {Record<string, string>} */
	const headers = contentEncoding ? { 'content-encoding': contentEncoding } : {};
	let payload = body;
	if (form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		payload = new URLSearchParams(form).toString();
	} else if (json !== undefined) {
		headers['content-type'] = 'application/json';
		payload = JSON.stringify(json);
	}
	if (contentType) headers['content-type'] = contentType;
	const response = await fetch(url, {
		method,
		headers,
		body: method === 'GET' ? undefined : payload,
	});
	const text = await response.text();
	/** @type {unknown} */
	let parsed = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// Not JSON: the text is the answer.
	}
	return { status: response.status, body: parsed };
}

/**
 * What the trigger emitted in each execution, in execution order.
 * @param {StoredExecution[]} executions
 */
function emitted(executions) {
	return executions.map((execution) => {
		const [item] =
			execution.run?.data.resultData.runData[TRIGGER_NODE_NAME]?.[0]?.data?.main?.[0] ?? [];
		return item?.json;
	});
}

describe(`The Platformly Trigger in n8n ${e2eN8nVersion()}`, () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	const apiKey = randomApiKey();
	/** @type {N8nUserFolder} */
	let instance;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {string} */
	let n8nUrl;
	/** @type {Record<'open' | 'secret' | 'fetching' | 'automation' | 'fire', Workflow>} */
	const workflows = /** @type {never} */ ({});
	/** @param {Workflow} workflow */
	const urlOf = (workflow) =>
		`${n8nUrl}/webhook/${workflow.nodes[0].webhookId}/${TRIGGER_WEBHOOK_PATH}`;
	/** @param {Workflow} workflow */
	const executionsOf = (workflow) => instance.allExecutions(workflow.id);

	before(
		async () => {
			instance = await e2eUserFolder(cleanups);
			sandbox = await startSandbox({ apiKey });
			cleanups.push(() => sandbox.close());
			const platformly = sandboxCredential(sandbox);
			// The same account, with a Trigger Secret: the triggers that use it check it.
			const guarded = sandboxCredential(sandbox, {
				name: 'Platformly sandbox, with a Trigger Secret',
				triggerSecret: SECRET,
			});
			/** @param {string} name @param {Partial<Parameters<typeof triggerWorkflow>[0]>} [spec] */
			const trigger = (name, spec = {}) =>
				triggerWorkflow({ id: newId('wf'), name, webhookId: newId('hook'), ...spec });
			workflows.open = trigger('Open trigger');
			workflows.secret = trigger('Trigger with a secret', { platformly: guarded });
			workflows.fetching = trigger('Trigger fetching the contact', {
				fetchContact: true,
				platformly,
			});
			workflows.automation = trigger('Started by the automation', {
				fetchContact: true,
				platformly: guarded,
			});
			workflows.fire = webhookToPlatformlyWorkflow({
				id: newId('wf'),
				name: 'Fire from a webhook',
				path: newId('fire'),
				platformly: platformlyNode({
					credential: platformly,
					parameters: { email: '={{ $json.body.email }}', eventId: ROUND_TRIP_EVENT },
				}),
			});
			n8nUrl = await startWithActiveWorkflows(
				instance,
				{ credentials: [platformly, guarded], workflows: Object.values(workflows) },
				cleanups,
			);
			const triggers = [workflows.open, workflows.secret, workflows.fetching, workflows.automation];
			await waitForWebhooks(triggers.map(urlOf));
			sandbox.addAutomation({
				when: { event: ROUND_TRIP_EVENT },
				url: `${urlOf(workflows.automation)}?secret=${SECRET}`,
				format: 'form',
			});
		},
		{ timeout: 4 * 60_000 },
	);

	after(() => runCleanups(cleanups));

	test('a form post starts one execution with its fields, contact_id a number', async () => {
		const answer = await post(urlOf(workflows.open), {
			form: { contactID: '12', email: ' ann@example.com ', plan: 'pro' },
		});
		assert.deepEqual(answer, { status: 200, body: { message: 'Workflow was started' } });
		const executions = await instance.waitForExecutions(workflows.open.id, 1);
		assert.deepEqual(emitted(executions), [
			{ contactID: '12', email: 'ann@example.com', plan: 'pro', contact_id: 12 },
		]);
	});

	test('a JSON post, and a GET with the fields in its query', async () => {
		assert.equal(
			(await post(urlOf(workflows.open), { json: { contact_id: 13, email: 'ben@example.com' } }))
				.status,
			200,
		);
		assert.equal(
			(
				await post(`${urlOf(workflows.open)}?contactID=14&email=cara%40example.com`, {
					method: 'GET',
				})
			).status,
			200,
		);
		const executions = await instance.waitForExecutions(workflows.open.id, 3);
		assert.deepEqual(emitted(executions).slice(1), [
			{ contact_id: 13, email: 'ben@example.com' },
			{ contactID: '14', email: 'cara@example.com', contact_id: 14 },
		]);
	});

	test('a body that is neither form nor JSON gets 415, one over 1 MB 413, one n8n cannot decode 415; none starts anything', async () => {
		const before = (await executionsOf(workflows.open)).length;
		const text = await post(urlOf(workflows.open), {
			contentType: 'text/plain',
			body: 'contactID=12',
		});
		const huge = await post(urlOf(workflows.open), { json: { note: 'x'.repeat(1024 * 1024) } });
		const brotli = await post(urlOf(workflows.open), {
			form: { contactID: '12' },
			contentEncoding: 'br',
		});
		assert.equal(text.status, 415);
		assert.deepEqual(brotli, {
			status: 415,
			body: {
				message:
					'The post\'s body must come as it is, gzip or deflate, not "br" (Content-Encoding).',
			},
		});
		assert.equal(huge.status, 413);
		assert.deepEqual(huge.body, {
			message: 'The post is larger than 1 MB; a Platformly post is a few hundred bytes.',
		});
		assert.equal((await executionsOf(workflows.open)).length, before);
	});

	test('with a secret: none is 401, a wrong one 403, and neither stores an execution', async () => {
		const none = await post(urlOf(workflows.secret), { form: { contactID: '12' } });
		const wrong = await post(`${urlOf(workflows.secret)}?secret=not-the-secret-at-all`, {
			form: { contactID: '12' },
		});
		assert.deepEqual(none, {
			status: 401,
			body: { message: 'This URL needs its secret: add ?secret=<the secret> to it.' },
		});
		assert.deepEqual(wrong, {
			status: 403,
			body: { message: "The secret in the URL is not this trigger's." },
		});
		assert.deepEqual(await executionsOf(workflows.secret), []);
	});

	test('with the right secret the execution starts, and its item does not hold the secret', async () => {
		const answer = await post(`${urlOf(workflows.secret)}?secret=${SECRET}`, {
			form: { contactID: '12' },
		});
		assert.equal(answer.status, 200);
		const executions = await instance.waitForExecutions(workflows.secret.id, 1);
		assert.deepEqual(emitted(executions), [{ contactID: '12', contact_id: 12 }]);
	});

	test('Fetch Contact adds the contact; an unknown one gives contact null and the reason', async () => {
		await post(urlOf(workflows.fetching), { form: { contactID: String(ANN?.id) } });
		await post(urlOf(workflows.fetching), { form: { contactID: '999' } });
		const executions = await instance.waitForExecutions(workflows.fetching.id, 2);
		// The two executions run side by side, so either can be stored first.
		const items = emitted(executions);
		const found = items.find((item) => item?.contactID === String(ANN?.id));
		const unknown = items.find((item) => item?.contactID === '999');
		assert.equal(/** @type {{ email?: string }} */ (found?.contact)?.email, 'ann@example.com');
		assert.deepEqual(unknown, {
			contactID: '999',
			contact_id: 999,
			contact: null,
			contact_error: 'Contact Not Found',
		});
		assert.deepEqual(
			sandbox
				.requests()
				.filter(({ action }) => action === 'fetch_contact')
				.map(({ outcome }) => outcome)
				.sort(),
			['error:Contact Not Found', 'success'],
		);
	});

	test("Fetch Contact: Platformly's answer quoting the API key is kept in contact_error with the key hidden", async () => {
		const before = (await executionsOf(workflows.fetching)).length;
		sandbox.setFaults({ queue: ['echo-key'] });
		await post(urlOf(workflows.fetching), { form: { contactID: String(ANN?.id) } });
		const executions = await instance.waitForExecutions(workflows.fetching.id, before + 1);
		sandbox.setFaults({});
		assert.deepEqual(emitted(executions.slice(before)), [
			{
				contactID: String(ANN?.id),
				contact_id: ANN?.id,
				contact: null,
				contact_error: 'Invalid API key: [hidden] (sent as api_key=[hidden])',
			},
		]);
	});

	test(`${BURST} posts at once start ${BURST} executions, none lost, each with its own contact`, async () => {
		const before = (await executionsOf(workflows.open)).length;
		const contactIds = Array.from({ length: BURST }, (_, n) => 100_001 + n);
		const answers = await Promise.all(
			contactIds.map((contactId) =>
				post(urlOf(workflows.open), { form: { contactID: String(contactId) } }),
			),
		);
		assert.deepEqual(new Set(answers.map(({ status }) => status)), new Set([200]));
		const executions = await instance.waitForExecutions(workflows.open.id, before + BURST, 120_000);
		const burst = emitted(executions.slice(before));
		assert.deepEqual(burst.map((item) => item?.contact_id).sort(), contactIds);
		assert.equal(executions.length, before + BURST);
	});

	test("the round trip: the node fires an event, the sandbox's automation posts, the trigger's workflow runs", async () => {
		const fireUrl = `${n8nUrl}/webhook/${workflows.fire.nodes[0].parameters.path}`;
		const fired = await postToWebhook(fireUrl, {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'ann@example.com' }),
		});
		assert.equal(fired.status, 200);
		const executions = await instance.waitForExecutions(workflows.automation.id, 1);
		await sandbox.deliveriesSettled();
		assert.deepEqual(
			sandbox.fired().map(({ email, event }) => ({ email, event })),
			[{ email: 'ann@example.com', event: ROUND_TRIP_EVENT }],
		);
		assert.deepEqual(
			sandbox.deliveries().map(({ status, contactId, email }) => ({ status, contactId, email })),
			[{ status: 200, contactId: ANN?.id, email: 'ann@example.com' }],
		);
		const [item] = emitted(executions);
		assert.equal(item?.contact_id, ANN?.id);
		assert.equal(item?.email, 'ann@example.com');
		assert.equal(/** @type {{ id?: number }} */ (item?.contact)?.id, ANN?.id);
	});

	test("n8n's log, database and files hold neither the API key nor the secret", async () => {
		assert.deepEqual(await instance.filesContaining(apiKey), []);
		assert.deepEqual(await instance.filesContaining(SECRET), []);
	});
});
