// @ts-check
// n8n in queue mode (a main process, two workers, Postgres, Redis) under load, against a sandbox
// that answers 10 % of requests 429 (with Retry-After) and 5 % 503: one execution of 5,000 items
// on a worker, and alongside it 500 webhook calls at once, each an execution firing one event.
// Every event must fire exactly once, every execution succeed, the big one's output be exact and
// paired, and the requests in flight at the sandbox never exceed workers × the node's per-process
// limit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { processed, runCleanups } from '../e2e/cases.mjs';
import { say } from '../../harness/progress.mjs';
import {
	burstEmail,
	EVENT_ID,
	fireBurst,
	queueNodeOptions,
	startBurstStack,
} from '../../harness/queue/burst.mjs';
import { countBy, queueEnvironment, QUEUE_WORKERS } from '../../harness/queue/n8n.mjs';
import { waitFor } from '../../harness/proc.mjs';
import { randomApiKey, seed, startSandbox } from '../../harness/stand-ins/sandbox.mjs';
import { nodeOutputs, PLATFORMLY_NODE_NAME } from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('../e2e/cases.mjs').Cleanup} Cleanup
 * @typedef {import('../../harness/queue/n8n.mjs').ExecutionRow} ExecutionRow
 * @typedef {import('../../harness/stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('../../harness/n8n/workflows.mjs').N8nRun} N8nRun
 */

const BURST = 500;
const BIG_ITEMS = 5_000;
const PROCESS_LIMIT = 4;
const CONCURRENCY = 10;
// Retry-After: 0, so that the node's own backoff (125 ms and up) is the pause: at one 429 in ten
// requests, a pause of a second each would hold a process for most of the run. The latency makes
// requests overlap at the sandbox, so that its count of requests in flight means something.
const FAULTS = {
	rate429: 0.1,
	rate503: 0.05,
	retryAfterSeconds: 0,
	latencyMs: 20,
	seed: 424242,
};
const RUN_TIMEOUT_MS = 6 * 60_000;

/**
 * The name of the node whose output goes into `nodeName`.
 * @param {import('../../harness/n8n/workflows.mjs').Workflow | undefined} workflow
 * @param {string} nodeName
 * @returns {string}
 */
function feederOf(workflow, nodeName) {
	const connections = /** @type {Record<string, { main: { node: string }[][] }>} */ (
		workflow?.connections ?? {}
	);
	const feeder = Object.entries(connections).find(([, { main }]) =>
		main.some((targets) => targets.some(({ node }) => node === nodeName)),
	);
	assert.ok(feeder, `nothing feeds ${nodeName}`);
	return feeder[0];
}

describe('n8n in queue mode: 500 executions at once beside one of 5,000 items', () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	/** @type {Sandbox} */
	let sandbox;
	/** @type {import('../../harness/queue/burst.mjs').BurstSetup} */
	let setup;
	/** @type {number[]} */
	let burstStatuses;
	/** @type {number} */
	let bigStatus;
	/** @type {ExecutionRow[]} */
	let burstExecutions;
	/** @type {ExecutionRow} */
	let bigExecution;

	before(
		async () => {
			const environment = await queueEnvironment(cleanups);
			sandbox = await startSandbox({ apiKey: randomApiKey(), faults: FAULTS });
			cleanups.push(() => sandbox.close());
			setup = await startBurstStack({
				environment,
				sandbox,
				label: 'burst',
				options: queueNodeOptions({
					concurrency: CONCURRENCY,
					processConcurrency: PROCESS_LIMIT,
				}),
				bigItems: BIG_ITEMS,
			});
			cleanups.push(() => setup.stack.stop());
			const { stack, big, burstPath, bigPath } = setup;
			assert.ok(big);

			const started = Date.now();
			// The big execution first, so that the burst lands while it runs.
			bigStatus = await fireBurst(stack, bigPath, 1, 0).then(([status]) => status);
			await waitFor(
				'the big execution to start on a worker',
				async () => {
					const [execution] = await stack.executions(big.id);
					return execution && (await stack.workerThatStarted(execution.id));
				},
				{ timeoutMs: 60_000 },
			);
			burstStatuses = await fireBurst(stack, burstPath, BURST, BIG_ITEMS);
			say(`  500 webhook calls answered after ${Date.now() - started} ms`);
			burstExecutions = await stack.waitForExecutions(setup.burst.id, BURST, RUN_TIMEOUT_MS);
			[bigExecution] = await stack.waitForExecutions(big.id, 1, RUN_TIMEOUT_MS);
			const requests = sandbox.requests();
			say(
				`  all done after ${Date.now() - started} ms: ${requests.length} requests, outcomes ${JSON.stringify(countBy(requests.map(({ outcome }) => outcome)))}, most in flight ${sandbox.inFlight().max}, executions per worker ${JSON.stringify(await stack.executionsStartedPerWorker())}`,
			);
		},
		{ timeout: RUN_TIMEOUT_MS + 5 * 60_000 },
	);

	after(() => runCleanups(cleanups));

	test('n8n accepted every webhook call', () => {
		assert.equal(bigStatus, 200);
		assert.deepEqual(countBy(burstStatuses.map(String)), { 200: BURST });
	});

	test('every execution succeeded, as stored in Postgres', () => {
		assert.deepEqual(countBy(burstExecutions.map(({ status }) => status)), { success: BURST });
		assert.equal(bigExecution.status, 'success');
	});

	test('every event fired exactly once, for the contact its execution or item named', () => {
		const expected = [
			...Array.from({ length: BIG_ITEMS }, (_, i) => seed.bulkContactEmail(i + 1)),
			...Array.from({ length: BURST }, (_, i) => burstEmail(i, BIG_ITEMS)),
		].sort();
		const fired = sandbox.fired();
		assert.deepEqual(fired.map(({ email }) => email).sort(), expected);
		assert.deepEqual(countBy(fired.map(({ event }) => String(event))), {
			[EVENT_ID]: expected.length,
		});
	});

	test('the sandbox did answer 429s and 503s, and no faulted request fired an event', () => {
		const requests = sandbox.requests();
		const outcomes = countBy(requests.map(({ outcome }) => outcome));
		assert.ok((outcomes['fault:429'] ?? 0) > 0, JSON.stringify(outcomes));
		assert.ok((outcomes['fault:503'] ?? 0) > 0, JSON.stringify(outcomes));
		assert.deepEqual(Object.keys(outcomes).sort(), ['fault:429', 'fault:503', 'success']);
		const outcomeOf = new Map(requests.map(({ seq, outcome }) => [seq, outcome]));
		assert.deepEqual(
			countBy(sandbox.fired().map(({ seq }) => outcomeOf.get(seq) ?? 'no request')),
			{ success: BURST + BIG_ITEMS },
		);
	});

	test(`never more than ${QUEUE_WORKERS} workers × ${PROCESS_LIMIT} (the process limit) requests in flight`, () => {
		const { changes, dropped } = sandbox.inFlightTimeline();
		const busiest = Math.max(...changes.map(({ inFlight }) => inFlight));
		assert.equal(dropped, 0);
		assert.equal(busiest, sandbox.inFlight().max);
		assert.ok(busiest > 1, 'the sandbox never held two requests at once: the bound says nothing');
		assert.ok(
			busiest <= QUEUE_WORKERS * PROCESS_LIMIT,
			`the sandbox had ${busiest} requests in flight at once`,
		);
	});

	test('both workers ran executions, the big one among them', async () => {
		const perWorker = await setup.stack.executionsStartedPerWorker();
		assert.equal(Object.keys(perWorker).length, QUEUE_WORKERS);
		assert.ok(
			Object.values(perWorker).every((count) => count > 0),
			JSON.stringify(perWorker),
		);
		assert.equal(
			Object.values(perWorker).reduce((sum, count) => sum + count, 0),
			BURST + 1,
		);
		assert.ok(await setup.stack.workerThatStarted(bigExecution.id));
	});

	test('the big execution output one success per item, in order, item i paired with input i for contact i', async () => {
		const data = await setup.stack.runData(bigExecution.id);
		assert.ok(data);
		const run = /** @type {N8nRun} */ ({ data, stoppedAt: '' });
		const inputs = nodeOutputs(run, feederOf(setup.big, PLATFORMLY_NODE_NAME))?.main ?? [];
		assert.deepEqual(
			inputs.map(({ json }) => json.email),
			Array.from({ length: BIG_ITEMS }, (_, i) => seed.bulkContactEmail(i + 1)),
		);
		const outputs = nodeOutputs(run, PLATFORMLY_NODE_NAME);
		assert.deepEqual(
			outputs?.main,
			Array.from({ length: BIG_ITEMS }, (_, i) => processed(i)),
		);
		assert.deepEqual(outputs?.error, []);
	});
});
