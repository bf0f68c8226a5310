// @ts-check
// Runs of the node that share one Platformly account in one running n8n: a bulk run does not keep
// a one-item run from the account's slots, and Max Retry Wait bounds the wait for a pause that
// another run's 429 started.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { e2eN8nVersion, e2eUserFolder, runCleanups, startWithActiveWorkflows } from './cases.mjs';
import { postToWebhook } from '../../harness/n8n/instance.mjs';
import { randomApiKey, seed, startSandbox } from '../../harness/stand-ins/sandbox.mjs';
import {
	newId,
	nodeOutputs,
	PLATFORMLY_NODE_NAME,
	sandboxCredential,
	platformlyNode,
	webhookItemsWorkflow,
	webhookThenNodesWorkflow,
	webhookToPlatformlyWorkflow,
} from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('./cases.mjs').Cleanup} Cleanup
 * @typedef {import('../../harness/n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../../harness/n8n/instance.mjs').StoredExecution} StoredExecution
 * @typedef {import('../../harness/stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('../../harness/n8n/workflows.mjs').Workflow} Workflow
 */

const BULK_ITEMS = 3_000;
const NEWCOMERS = 5;
// Each answer takes this long: the bulk run's 3,000 requests, 50 at a time, take some 12 s.
const REQUEST_MS = 200;
const EVENT_ID = seed.SANDBOX_EVENTS[0].id;
const [ANN, BEN, CARA] = seed.SANDBOX_CONTACTS;

/** @param {RequestRecordLike} request */
const arrivedAt = (request) => Date.parse(request.at);
/** @typedef {{ at: string, email: string | null, action: string | null, outcome: string }} RequestRecordLike */

describe(`Runs sharing one account in n8n ${e2eN8nVersion()}`, () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	const apiKey = randomApiKey();
	/** @type {N8nUserFolder} */
	let instance;
	/** @type {string} */
	let n8nUrl;
	/** @type {Sandbox} */
	let busy;
	/** @type {Sandbox} */
	let paused;
	/** @type {Record<'bulk' | 'single' | 'chain', Workflow>} */
	const workflows = /** @type {never} */ ({});
	/** @param {string} path @param {unknown} body */
	const post = async (path, body) => {
		const response = await postToWebhook(`${n8nUrl}/webhook/${path}`, {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		await response.body?.cancel();
		return response.status;
	};
	/** @param {Workflow} workflow @param {number} count */
	const finished = (workflow, count) => instance.waitForExecutions(workflow.id, count, 3 * 60_000);

	before(
		async () => {
			instance = await e2eUserFolder(cleanups);
			busy = await startSandbox({ apiKey, faults: { latencyMs: REQUEST_MS } });
			paused = await startSandbox({ apiKey });
			cleanups.push(
				() => busy.close(),
				() => paused.close(),
			);
			const busyAccount = sandboxCredential(busy, { name: 'Busy account' });
			const pausedAccount = sandboxCredential(paused, { name: 'Paused account' });
			workflows.bulk = webhookItemsWorkflow({
				name: 'Bulk import',
				path: 'bulk',
				items: Array.from({ length: BULK_ITEMS }, (_, n) => ({
					email: seed.bulkContactEmail(n + 1),
				})),
				platformly: platformlyNode({
					credential: busyAccount,
					parameters: {
						email: '={{ $json.email }}',
						eventId: EVENT_ID,
						options: { concurrency: 50, processConcurrency: 50 },
					},
				}),
			});
			workflows.single = webhookToPlatformlyWorkflow({
				id: newId('wf'),
				name: 'One contact',
				path: 'single',
				platformly: platformlyNode({
					credential: busyAccount,
					parameters: { email: '={{ $json.body.email }}', eventId: EVENT_ID },
				}),
			});
			// Three runs of the node in turn, in one execution: the first meets a 429 (and, with no
			// retries, ends at once), the others start inside the pause it left on the account.
			const fireFor = (
				/** @type {string} */ name,
				/** @type {string} */ email,
				/** @type {Record<string, unknown>} */ options,
			) =>
				platformlyNode({
					name,
					credential: pausedAccount,
					onError: 'continueRegularOutput',
					parameters: { email, eventId: EVENT_ID, options },
				});
			workflows.chain = webhookThenNodesWorkflow({
				id: newId('wf'),
				name: 'Runs after a 429',
				path: 'chain',
				nodes: [
					fireFor('Limited', ANN.email, { maxRetries: 0 }),
					fireFor('Impatient', BEN.email, { maxRetryWait: 1_000 }),
					fireFor('Patient', CARA.email, { maxRetryWait: 10_000 }),
				],
			});
			n8nUrl = await startWithActiveWorkflows(
				instance,
				{ credentials: [busyAccount, pausedAccount], workflows: Object.values(workflows) },
				cleanups,
			);
		},
		{ timeout: 5 * 60_000 },
	);

	after(() => runCleanups(cleanups));

	test(`${NEWCOMERS} one-item runs that start beside a ${BULK_ITEMS}-item run (Concurrency 50, per Process 50) each get their request out within about one request's time`, async () => {
		assert.equal(await post('bulk', {}), 200);
		// Well into the bulk run: it holds all 50 of its slots, and keeps asking for more.
		const startedAt = Date.now();
		while (busy.requests().length < 500) {
			assert.ok(Date.now() - startedAt < 60_000, 'the bulk run did not get going');
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		const newcomers = Array.from({ length: NEWCOMERS }, (_, n) =>
			seed.bulkContactEmail(BULK_ITEMS + n + 1),
		);
		await Promise.all(
			newcomers.map(async (email) => assert.equal(await post('single', { email }), 200)),
		);
		const [bulkExecution] = await finished(workflows.bulk, 1);
		const singleExecutions = await finished(workflows.single, NEWCOMERS);

		assert.equal(bulkExecution.status, 'success');
		assert.deepEqual(
			singleExecutions.map(({ status }) => status),
			newcomers.map(() => 'success'),
		);
		const requests = busy.requests();
		const bulkRequests = requests.filter(({ email }) => !newcomers.includes(String(email)));
		for (const { run } of singleExecutions) {
			assert.ok(run, 'an execution has no run data');
			const { runData } = run.data.resultData;
			const posted = runData.Webhook[0].data?.main?.[0]?.[0].json;
			const { email } = /** @type {{ body: { email: string } }} */ (posted).body;
			// When n8n started the node's run: n8n's own time to take the post and start the
			// execution, which a busy main process stretches to a second or more, is left out.
			const startedAt = runData[PLATFORMLY_NODE_NAME][0].startTime;
			const request = requests.find((record) => record.email === email);
			assert.ok(request, `no request for ${email}`);
			const waitedMs = arrivedAt(request) - startedAt;
			// At most one request's time for a slot, and the node's own start. Without fair slots the
			// newcomers waited for the bulk run to end, some 10 s.
			assert.ok(
				waitedMs < 1_000,
				`${email} reached Platformly ${waitedMs} ms after its run started`,
			);
			const bulkAfter = bulkRequests.filter((record) => arrivedAt(record) > arrivedAt(request));
			assert.ok(bulkAfter.length > 1_000, `only ${bulkAfter.length} bulk requests came after`);
		}
		assert.equal(busy.fired().length, BULK_ITEMS + NEWCOMERS);
		assert.equal(busy.inFlight().max, 50);
	});

	test("Max Retry Wait bounds the wait for a pause another run's 429 started: a run that would wait past it fails, having sent nothing", async () => {
		paused.setFaults({ queue: ['429'], retryAfterSeconds: 3 });

		assert.equal(await post('chain', {}), 200);
		const [execution] = await finished(workflows.chain, 1);

		assert.equal(execution.status, 'success');
		assert.ok(execution.run, 'the execution has no run data');
		/** @param {string} node */
		const itemOf = (node) => nodeOutputs(/** @type {never} */ (execution.run), node)?.main[0].json;
		assert.deepEqual(itemOf('Limited'), {
			error: 'Platformly is limiting the request rate (HTTP 429)',
		});
		assert.match(
			String(itemOf('Impatient')?.error),
			/^Platformly asked this account to pause for [23]\.\d s more \(HTTP 429\), past Max Retry Wait \(1 s\)$/,
		);
		assert.deepEqual(itemOf('Patient'), {
			status: 'success',
			message: 'The action has been processed',
		});
		const [limited, ...later] = paused.requests();
		assert.deepEqual(
			[limited, ...later].map(({ email, outcome }) => ({ email, outcome })),
			[
				{ email: ANN.email, outcome: 'fault:429' },
				{ email: CARA.email, outcome: 'success' },
			],
		);
		assert.ok(arrivedAt(later[0]) - arrivedAt(limited) >= 3_000, 'Patient did not wait the pause');
	});
});
