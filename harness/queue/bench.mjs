#!/usr/bin/env node
// @ts-check
// The queue-mode cases of the benchmark: 500 webhook calls at once, each an execution firing one
// event, in n8n (2.41.1) in queue mode (a main process, two workers, Postgres, Redis), against a
// sandbox answering 10 % of requests 429 and 5 % 503; with the node as it is (one request gate per
// process and account) and as it was before that gate (commit ce37348), at 20 ms and 100 ms of
// latency. It prints requests sent, 429s and 503s received, the most requests in flight at once
// and the time from the first call to the last execution's end. Figures, not assertions: on a
// 2-core machine this shows what the gate does in queue mode, not how n8n scales out.
//
// Its rate-limit cases (benchQueueRateLimit) run two executions of half the items each at once,
// one per worker, against the sandbox's token bucket: each worker learns the account's pace on its
// own, so together they find the limit twice as often as one process does.
//
//   node harness/queue/bench.mjs       (or from harness/scripts/bench.mjs)
import {
	countAgainstLimit,
	limitFloorMs,
	RATE_LIMIT_ITEMS,
	rateLimitFaults,
	rateLimitMarkdownTable,
} from '../bench/rate-limit.mjs';
import { oneN8nVersion } from '../n8n/config.mjs';
import { ensureN8n } from '../n8n/install.mjs';
import { createUserFolder } from '../n8n/instance.mjs';
import { packCommit } from '../n8n/package-tarball.mjs';
import {
	newId,
	platformlyNode,
	sandboxCredential,
	webhookItemsWorkflow,
	PLATFORMLY_NODE_NAME,
} from '../n8n/workflows.mjs';
import { formatDuration, phase, runScript, say } from '../progress.mjs';
import { runCleanups } from '../proc.mjs';
import { EVENT_ID, fireBurst, queueNodeOptions, startBurstStack } from './burst.mjs';
import { countBy, postJson, QUEUE_WORKERS, startQueueStack, startSharedServices } from './n8n.mjs';
import { randomApiKey, seed, startSandbox } from '../stand-ins/sandbox.mjs';

/**
 * @typedef {import('../stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('./burst.mjs').BurstSetup} BurstSetup
 * @typedef {import('../n8n/install.mjs').N8nInstall} N8nInstall
 * @typedef {Awaited<ReturnType<typeof startSharedServices>>} SharedServices
 * @typedef {import('../bench/rate-limit.mjs').RateLimitRow} RateLimitRow
 *
 * @typedef {object} QueueBenchRow
 * @property {string} variant
 * @property {number} latencyMs
 * @property {number} requests
 * @property {number} rateLimited 429s answered
 * @property {number} unavailable 503s answered
 * @property {number} mostInFlight
 * @property {number} durationMs first call to the last execution's end
 * @property {Record<string, number>} statuses the executions', as n8n stored them
 */

// The node before the shared gate.
const BEFORE_GATE_COMMIT = 'ce37348';
const BURST = 500;
const LATENCIES_MS = [20, 100];
const CONCURRENCY = 10;
const PROCESS_LIMIT = 4;
const FAULTS = { rate429: 0.1, rate503: 0.05, retryAfterSeconds: 0, seed: 424242 };
const RUN_TIMEOUT_MS = 10 * 60_000;

/**
 * One burst on a running stack: the sandbox's records reset, `latencyMs` set, 500 calls at once,
 * then the wait for their executions (counted on from `executionsBefore`).
 * @param {BurstSetup} setup
 * @param {Sandbox} sandbox
 * @param {number} latencyMs
 * @param {number} executionsBefore
 * @returns {Promise<Omit<QueueBenchRow, 'variant'>>}
 */
async function measureBurst(setup, sandbox, latencyMs, executionsBefore) {
	sandbox.reset();
	sandbox.setFaults({ ...FAULTS, latencyMs });
	const started = Date.now();
	const posted = await fireBurst(setup.stack, setup.burstPath, BURST, 0);
	const accepted = posted.filter((status) => status === 200).length;
	const all = await setup.stack.waitForExecutions(
		setup.burst.id,
		executionsBefore + accepted,
		RUN_TIMEOUT_MS,
	);
	const mine = all.slice(executionsBefore);
	const lastEnd = Math.max(...mine.map(({ stoppedAt }) => stoppedAt?.getTime() ?? 0));
	const outcomes = countBy(sandbox.requests().map(({ outcome }) => outcome));
	return {
		latencyMs,
		requests: sandbox.requests().length,
		rateLimited: outcomes['fault:429'] ?? 0,
		unavailable: outcomes['fault:503'] ?? 0,
		mostInFlight: sandbox.inFlight().max,
		durationMs: lastEnd - started,
		statuses: countBy(mine.map(({ status }) => status)),
	};
}

/**
 * Runs the queue cases and prints their table.
 * @param {N8nInstall} n8n
 * @param {SharedServices} shared
 * @returns {Promise<QueueBenchRow[]>}
 */
export async function benchQueue(n8n, shared) {
	/** @type {import('../proc.mjs').Cleanup[]} */
	const cleanups = [];
	/** @type {QueueBenchRow[]} */
	const rows = [];
	try {
		const before = await packCommit(BEFORE_GATE_COMMIT);
		cleanups.push(before.cleanup);
		const beforeTemplate = await createUserFolder(n8n, 'queue-before-gate');
		cleanups.push(() => beforeTemplate.remove());
		await beforeTemplate.installCommunityPackage(before.tarball);

		const variants = [
			{ variant: `shared gate, ${PROCESS_LIMIT} per process`, template: shared.template },
			{ variant: `no gate (${BEFORE_GATE_COMMIT})`, template: beforeTemplate.root },
		];
		for (const { variant, template } of variants) {
			const sandbox = await startSandbox({ apiKey: randomApiKey(), faults: FAULTS });
			cleanups.push(() => sandbox.close());
			const setup = await startBurstStack({
				environment: { n8n, template, services: shared.services },
				sandbox,
				label: 'bench',
				options: queueNodeOptions({
					concurrency: CONCURRENCY,
					processConcurrency: PROCESS_LIMIT,
				}),
			});
			cleanups.push(() => setup.stack.stop());
			let executionsBefore = 0;
			for (const latencyMs of LATENCIES_MS) {
				const row = await phase(`${variant}, ${latencyMs} ms latency: ${BURST} calls`, () =>
					measureBurst(setup, sandbox, latencyMs, executionsBefore),
				);
				executionsBefore += BURST;
				rows.push({ variant, ...row });
			}
			await setup.stack.stop();
		}
	} finally {
		await runCleanups(cleanups);
	}
	say(`\n${queueMarkdownTable(rows)}`);
	return rows;
}

/**
 * The rate-limit cases in queue mode: with and without Retry-After, two executions of half the
 * items each, posted at once; each worker runs one (a worker runs one execution at a time here).
 * The node's Options are its defaults. Prints their table.
 * @param {N8nInstall} n8n
 * @param {SharedServices} shared
 * @returns {Promise<RateLimitRow[]>}
 */
export async function benchQueueRateLimit(n8n, shared) {
	const halves = [0, 1].map((half) =>
		Array.from({ length: RATE_LIMIT_ITEMS / 2 }, (_, n) =>
			seed.bulkContactEmail(half * (RATE_LIMIT_ITEMS / 2) + n + 1),
		),
	);
	/** @type {import('../proc.mjs').Cleanup[]} */
	const cleanups = [];
	/** @type {RateLimitRow[]} */
	const rows = [];
	try {
		for (const retryAfter of [true, false]) {
			// A key of its own: the account's learned pace lives on in the workers between cases.
			const sandbox = await startSandbox({ apiKey: randomApiKey() });
			cleanups.push(() => sandbox.close());
			const credential = sandboxCredential(sandbox);
			const executions = halves.map((emails, index) => {
				const path = `rate-limit-${newId()}`;
				const workflow = webhookItemsWorkflow({
					name: `Rate limit, half ${index + 1}: ${emails.length} events`,
					path,
					items: emails.map((email) => ({ email })),
					platformly: platformlyNode({
						credential,
						parameters: { email: '={{ $json.email }}', eventId: EVENT_ID },
					}),
				});
				return { path, workflow };
			});
			const stack = await startQueueStack({
				n8n,
				template: shared.template,
				services: shared.services,
				label: 'bench-rate-limit',
				credentials: [credential],
				workflows: executions.map(({ workflow }) => workflow),
				workerConcurrency: 1,
			});
			cleanups.push(() => stack.stop());
			const row = await phase(
				`Queue mode, ${RATE_LIMIT_ITEMS} items in ${QUEUE_WORKERS} executions, Retry-After ${retryAfter ? 'on' : 'off'}`,
				async () => {
					sandbox.reset();
					sandbox.setFaults(rateLimitFaults(retryAfter));
					const started = Date.now();
					const posted = await Promise.all(executions.map(({ path }) => postJson(stack, path, {})));
					if (posted.some((status) => status !== 200)) {
						throw new Error(`n8n answered the webhook calls ${posted.join(', ')}`);
					}
					const ended = await Promise.all(
						executions.map(({ workflow }) =>
							stack.waitForExecutions(workflow.id, 1, RUN_TIMEOUT_MS),
						),
					);
					const lastEnd = Math.max(
						...ended.map(([execution]) => execution.stoppedAt?.getTime() ?? 0),
					);
					let ok = 0;
					for (const [execution] of ended) {
						const data = await stack.runData(execution.id);
						if (data?.resultData.error) continue;
						ok += data?.resultData.runData[PLATFORMLY_NODE_NAME]?.[0]?.data?.main?.[0]?.length ?? 0;
					}
					const perWorker = Object.values(await stack.executionsStartedPerWorker());
					const durationMs = lastEnd - started;
					return {
						label: `Queue mode, ${QUEUE_WORKERS} workers, one execution each (${perWorker.join(' and ')} started), defaults`,
						retryAfter,
						itemCount: RATE_LIMIT_ITEMS,
						durationMs,
						ratio: durationMs / limitFloorMs(RATE_LIMIT_ITEMS),
						ok,
						...countAgainstLimit(sandbox, halves.flat()),
					};
				},
			);
			rows.push(row);
			await stack.stop();
		}
	} finally {
		await runCleanups(cleanups);
	}
	say(`\n${rateLimitMarkdownTable(rows)}`);
	return rows;
}

/**
 * The queue cases as a markdown table, with what the machine can and cannot show.
 * @param {QueueBenchRow[]} rows
 */
export function queueMarkdownTable(rows) {
	const lines = [
		`Queue mode, ${BURST} executions at once on 2 workers, 10 % 429 and 5 % 503, Concurrency ${CONCURRENCY}, Concurrency per Process ${PROCESS_LIMIT} (one run). ` +
			'On a 2-core machine this shows what the gate does in queue mode (the most requests in flight), not how n8n scales out: ' +
			"n8n's own work per execution sets the time, and the sandbox draws its faults per request, not from load.",
		'',
		'| Node | Latency | Requests | 429s | 503s | Most in flight | Time | Executions |',
		'| --- | --- | --- | --- | --- | --- | --- | --- |',
		...rows.map(
			(row) =>
				`| ${row.variant} | ${row.latencyMs} ms | ${row.requests} | ${row.rateLimited} | ${row.unavailable} | ${row.mostInFlight} | ${formatDuration(row.durationMs)} | ${JSON.stringify(row.statuses)} |`,
		),
	];
	return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	runScript(async () => {
		const n8n = await ensureN8n(await oneN8nVersion('BENCH_N8N_VERSION'));
		const shared = await startSharedServices(n8n);
		try {
			await benchQueue(n8n, shared);
			await benchQueueRateLimit(n8n, shared);
		} finally {
			await shared.stop();
		}
	}, 'Queue bench could not complete');
}
