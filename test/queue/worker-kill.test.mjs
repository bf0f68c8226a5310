// @ts-check
// A worker killed with SIGKILL in the middle of a big execution: what n8n (2.x) in queue mode
// does with that execution, and what the node still promises. n8n 2.x forces Bull's
// maxStalledCount to 0 (QUEUE_WORKER_MAX_STALLED_COUNT is ignored), so once the dead worker's job
// lock expires and the other worker's stalled check finds the job, Bull fails it instead of handing
// it to another worker; the main process, waiting on the job, then marks the execution failed with
// n8n's "failed to be processed too many times" error. The lock and stalled-check timers are
// shortened here (defaults 60 s and 30 s) so that this takes seconds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCleanups } from '../e2e/cases.mjs';
import { say } from '../../harness/progress.mjs';
import { fireBurst, queueNodeOptions, startBurstStack } from '../../harness/queue/burst.mjs';
import { countBy, queueEnvironment } from '../../harness/queue/n8n.mjs';
import { waitFor, withTimeout } from '../../harness/proc.mjs';
import { randomApiKey, seed, startSandbox } from '../../harness/stand-ins/sandbox.mjs';

/**
 * @typedef {import('../e2e/cases.mjs').Cleanup} Cleanup
 * @typedef {import('../../harness/queue/n8n.mjs').ExecutionRow} ExecutionRow
 * @typedef {import('../../harness/queue/n8n.mjs').QueueWorker} QueueWorker
 * @typedef {import('../../harness/stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('../../sandbox/index.js').RequestRecord} RequestRecord
 */

const ITEMS = 3_000;
// Killed once this many events have fired: well into the run, well before its end.
const KILL_AFTER_FIRED = 600;
const AFTER_KILL_CALLS = 20;
const TIMERS = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};
// How long n8n 2.41 and later go on re-reading such an execution after Bull has failed its job, in
// case the worker finished it after all, before storing it as failed (MAX_STALLED_COUNT_GRACE_WINDOW_MS
// in n8n's workflow-runner; 2.40 had none).
const N8N_STALLED_GRACE_MS = 30_000;
// n8n's MaxStalledCountError, which the main process stores for such an execution.
const STALLED_MESSAGE =
	'This execution failed to be processed too many times and will no longer retry. To allow this execution to complete, please break down your workflow or scale up your workers or adjust your worker settings.';

describe('n8n in queue mode: a worker killed with SIGKILL during a 3,000-item execution', () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	/** @type {Sandbox} */
	let sandbox;
	/** @type {import('../../harness/queue/burst.mjs').BurstSetup} */
	let setup;
	/** @type {QueueWorker} */
	let killed;
	/** @type {string} */
	let executionId;
	/** @type {RequestRecord[]} */
	let requestsWhenSettled;
	/** @type {ExecutionRow} */
	let ended;
	/** @type {string | undefined} */
	let storedError;
	/** @type {number} */
	let endedAfterMs;
	/** @type {number[]} */
	let laterStatuses;
	/** @type {ExecutionRow[]} */
	let laterExecutions;

	before(
		async () => {
			const environment = await queueEnvironment(cleanups);
			// Some latency, so that the execution is still running when the worker dies.
			sandbox = await startSandbox({ apiKey: randomApiKey(), faults: { latencyMs: 20 } });
			cleanups.push(() => sandbox.close());
			setup = await startBurstStack({
				environment,
				sandbox,
				label: 'kill',
				options: queueNodeOptions({ concurrency: 10, processConcurrency: 4 }),
				bigItems: ITEMS,
				env: TIMERS,
			});
			const { stack, big, bigPath, burstPath } = setup;
			cleanups.push(() => stack.stop());
			assert.ok(big);

			assert.equal((await fireBurst(stack, bigPath, 1, 0))[0], 200);
			killed = await waitFor(
				'the big execution to start on a worker',
				async () => {
					const [execution] = await stack.executions(big.id);
					if (!execution) return undefined;
					executionId = execution.id;
					return stack.workerThatStarted(execution.id);
				},
				{ timeoutMs: 60_000 },
			);
			await waitFor(
				`${KILL_AFTER_FIRED} events to fire`,
				() => (sandbox.fired().length >= KILL_AFTER_FIRED ? true : undefined),
				{ timeoutMs: 120_000, intervalMs: 20 },
			);
			const killedAt = Date.now();
			killed.signal('SIGKILL');
			assert.ok(await withTimeout(killed.exited, 10_000), 'the killed worker did not exit');
			const firedAtKill = sandbox.fired().length;
			// The requests it had in flight are cut with it; nothing is sent after.
			await waitFor(
				'the requests in flight to end',
				() => (sandbox.inFlight().now === 0 ? true : undefined),
				{ timeoutMs: 10_000, intervalMs: 20 },
			);
			requestsWhenSettled = sandbox.requests();

			ended = await waitFor(
				'the execution to leave "running"',
				async () => {
					const [execution] = await stack.executions(big.id);
					return execution.status === 'running' ? undefined : execution;
				},
				{ timeoutMs: 120_000, intervalMs: 500 },
			);
			endedAfterMs = Date.now() - killedAt;
			storedError = (await stack.runData(executionId))?.resultData.error?.message;
			const jobsLeft = await Promise.all(
				/** @type {const} */ (['active', 'wait', 'failed']).map((state) => stack.queueJobs(state)),
			);
			say(
				`  killed ${killed.hostname} with ${firedAtKill} of ${ITEMS} events fired; execution ${executionId} was "${ended.status}" ${endedAfterMs} ms later ("${storedError}"); Bull jobs left active, waiting or failed: ${jobsLeft.flat().length}`,
			);

			// The surviving worker goes on taking executions.
			laterStatuses = await fireBurst(stack, burstPath, AFTER_KILL_CALLS, ITEMS);
			laterExecutions = await stack.waitForExecutions(setup.burst.id, AFTER_KILL_CALLS, 60_000);
		},
		{ timeout: 8 * 60_000 },
	);

	after(() => runCleanups(cleanups));

	test('n8n marks the execution failed as stalled once the lock expires, rather than handing it to the other worker', () => {
		assert.equal(ended.status, 'error');
		assert.equal(storedError, STALLED_MESSAGE);
		// The lock runs out (10 s); Bull's stalled check marks the job at one check and fails it at
		// the next (two intervals of 5 s); then n8n's grace window (30 s); and 5 s for n8n to react.
		const boundMs =
			Number(TIMERS.QUEUE_WORKER_LOCK_DURATION) +
			2 * Number(TIMERS.QUEUE_WORKER_STALLED_INTERVAL) +
			N8N_STALLED_GRACE_MS +
			5_000;
		assert.ok(endedAfterMs < boundMs, `${endedAfterMs} ms, more than ${boundMs} ms`);
	});

	test('no request was sent for the execution after the worker died: nothing re-ran it', () => {
		const bigEmails = new Set(
			Array.from({ length: ITEMS }, (_, i) => seed.bulkContactEmail(i + 1)),
		);
		const laterForBig = sandbox
			.requests()
			.slice(requestsWhenSettled.length)
			.filter(({ email }) => email !== null && bigEmails.has(email));
		assert.deepEqual(laterForBig, []);
	});

	test('every item answered before the kill fired its event once, and no item was sent again after its answer', () => {
		const fired = sandbox.fired();
		const firedPerEmail = countBy(fired.map(({ email }) => email));
		assert.deepEqual(
			Object.values(firedPerEmail).filter((count) => count !== 1),
			[],
		);
		// With no faults, every request is answered once and never repeated.
		const bigRequests = requestsWhenSettled.filter(({ email }) => email?.startsWith('bulk-'));
		assert.deepEqual(
			Object.values(countBy(bigRequests.map(({ email }) => String(email)))).filter(
				(count) => count !== 1,
			),
			[],
		);
		assert.ok(fired.length >= KILL_AFTER_FIRED && fired.length < ITEMS, String(fired.length));
	});

	test('the other worker runs new executions as before', async () => {
		assert.deepEqual(countBy(laterStatuses.map(String)), { 200: AFTER_KILL_CALLS });
		assert.deepEqual(countBy(laterExecutions.map(({ status }) => status)), {
			success: AFTER_KILL_CALLS,
		});
		for (const { id } of laterExecutions) {
			const worker = await setup.stack.workerThatStarted(id);
			assert.ok(worker && worker.hostname !== killed.hostname, `execution ${id}`);
		}
	});
});
