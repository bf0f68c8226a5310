// @ts-check
// A post the Platformly Trigger answered 2xx is an execution that outlives n8n stopping: n8n is
// stopped with SIGTERM one second after its last answer (while Fetch Contact still waits for a slow
// Platformly), posts keep coming while it stops, and after a restart every post that got a 2xx has
// its execution, and no other post has one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { e2eN8nVersion, e2eUserFolder, runCleanups } from './cases.mjs';
import { waitForWebhooks } from '../../harness/n8n/instance.mjs';
import { randomApiKey, seed, startSandbox } from '../../harness/stand-ins/sandbox.mjs';
import {
	newId,
	sandboxCredential,
	TRIGGER_NODE_NAME,
	TRIGGER_WEBHOOK_PATH,
	triggerWorkflow,
} from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('./cases.mjs').Cleanup} Cleanup
 * @typedef {import('../../harness/n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../../harness/n8n/instance.mjs').N8nServer} N8nServer
 * @typedef {import('../../harness/n8n/instance.mjs').StoredExecution} StoredExecution
 * @typedef {import('../../harness/n8n/workflows.mjs').Workflow} Workflow
 */

const POSTS = 5;
// Fetch Contact's read takes this long, so the executions that fetch are still running when n8n is
// told to stop.
const SLOW_PLATFORMLY_MS = 3_000;
const ANN = seed.SANDBOX_CONTACTS[0];
const N8N_1 = e2eN8nVersion().startsWith('1.');

/**
 * Posts a contact to a trigger; the HTTP status, or 0 when no answer came (n8n had stopped).
 * @param {string} url
 * @param {number} contactId
 * @returns {Promise<number>}
 */
async function postContact(url, contactId) {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ contactID: String(contactId) }).toString(),
			signal: AbortSignal.timeout(30_000),
		});
		await response.body?.cancel();
		return response.status;
	} catch {
		return 0;
	}
}

/**
 * The contact_id of the item each execution started with.
 * @param {StoredExecution[]} executions
 */
function contactIdsOf(executions) {
	return executions
		.map(({ run }) => run?.data.resultData.runData[TRIGGER_NODE_NAME]?.[0]?.data?.main?.[0]?.[0])
		.map((item) => item?.json.contact_id)
		.sort();
}

describe(`Posts the trigger answered 2xx, when n8n ${e2eN8nVersion()} stops right after`, () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	const apiKey = randomApiKey();
	/** @type {N8nUserFolder} */
	let instance;
	/** @type {Record<'plain' | 'fetching', Workflow>} */
	const workflows = /** @type {never} */ ({});
	/** @type {N8nServer} */
	let server;

	before(
		async () => {
			instance = await e2eUserFolder(cleanups);
			const sandbox = await startSandbox({
				apiKey,
				faults: { latencyMs: SLOW_PLATFORMLY_MS },
			});
			cleanups.push(() => sandbox.close());
			const platformly = sandboxCredential(sandbox);
			workflows.plain = triggerWorkflow({
				id: newId('wf'),
				name: 'Without Fetch Contact',
				webhookId: newId('hook'),
			});
			workflows.fetching = triggerWorkflow({
				id: newId('wf'),
				name: 'With Fetch Contact',
				webhookId: newId('hook'),
				fetchContact: true,
				platformly,
			});
			await instance.importCredentials([platformly]);
			await instance.importWorkflows(Object.values(workflows));
			await instance.activateWorkflows(Object.values(workflows).map(({ id }) => id));
		},
		{ timeout: 3 * 60_000 },
	);

	after(async () => {
		await server?.stop();
		await runCleanups(cleanups);
	});

	test(`SIGTERM 1 s after the last answer: after a restart, every post answered 2xx has its execution, with and without Fetch Contact`, async () => {
		server = await instance.start({ quiet: true });
		await server.ready();
		/** @param {Workflow} workflow */
		const urlOf = (workflow) =>
			`${server.url}/webhook/${workflow.nodes[0].webhookId}/${TRIGGER_WEBHOOK_PATH}`;
		await waitForWebhooks(Object.values(workflows).map(urlOf));

		/** @type {Record<'plain' | 'fetching', { contactId: number, status: number }[]>} */
		const answers = { plain: [], fetching: [] };
		/** @param {'plain' | 'fetching'} name @param {number} contactId */
		const send = async (name, contactId) => {
			answers[name].push({
				contactId,
				status: await postContact(urlOf(workflows[name]), contactId),
			});
		};
		const contactIds = Array.from({ length: POSTS }, (_, n) => ANN.id + n * 1_000);
		await Promise.all(contactIds.flatMap((id) => [send('plain', id), send('fetching', id)]));
		for (const name of /** @type {const} */ (['plain', 'fetching'])) {
			assert.deepEqual(
				answers[name].map(({ status }) => status),
				contactIds.map(() => 200),
			);
		}

		await new Promise((resolve) => setTimeout(resolve, 1_000));
		server.child.kill('SIGTERM');
		// Posts that arrive while n8n stops: whatever n8n answers 2xx must be kept too. n8n 2.x
		// answers a trigger's post once it has stored the execution; n8n 1.x answers just before it
		// stores it, so while 1.x stops, it can answer a post it then does not keep.
		const late = N8N_1 ? [] : contactIds.map((id) => id + 1);
		const latePosts = Promise.all(late.flatMap((id) => [send('plain', id), send('fetching', id)]));
		const exit = await server.exited;
		await latePosts;

		server = await instance.start({ quiet: true });
		await server.ready();
		for (const name of /** @type {const} */ (['plain', 'fetching'])) {
			const kept = answers[name].filter(({ status }) => status >= 200 && status < 300);
			const executions = await instance.allExecutions(workflows[name].id);
			assert.deepEqual(
				contactIdsOf(executions),
				kept.map(({ contactId }) => contactId).sort(),
				`${name}: the executions are not exactly the posts answered 2xx`,
			);
			assert.equal(exit.code, 0, 'n8n did not stop cleanly');
			// n8n let them finish before it stopped: every one ran to its end.
			for (const { status, run } of executions) {
				assert.equal(status, 'success', `${name}: an execution ended ${status}`);
				const item = run?.data.resultData.runData[TRIGGER_NODE_NAME]?.[0]?.data?.main?.[0]?.[0];
				if (name === 'fetching' && item?.json.contact_id === ANN.id) {
					assert.equal(/** @type {{ id?: number }} */ (item.json.contact)?.id, ANN.id);
				}
			}
		}
	});
});
