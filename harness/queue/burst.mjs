// @ts-check
// The queue-mode scenario that test/queue and harness/queue/bench.mjs share: a Platformly
// credential on a sandbox, a workflow that fires one event per webhook call (Webhook → Fire Event,
// the contact named in the body), optionally a workflow that fires one event for each of many items,
// and n8n in queue mode running them; then many webhook calls at once.
import { postJson, startQueueStack } from './n8n.mjs';
import { seed } from '../stand-ins/sandbox.mjs';
import {
	newId,
	sandboxCredential,
	platformlyNode,
	webhookItemsWorkflow,
	webhookToPlatformlyWorkflow,
} from '../n8n/workflows.mjs';

/**
 * @typedef {import('../stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('./n8n.mjs').QueueStack} QueueStack
 * @typedef {import('./n8n.mjs').QueueServices} QueueServices
 * @typedef {import('../n8n/install.mjs').N8nInstall} N8nInstall
 * @typedef {import('../n8n/workflows.mjs').Workflow} Workflow
 *
 * @typedef {object} BurstSetup
 * @property {QueueStack} stack
 * @property {Workflow} burst Webhook → Fire Event for `{ email }`
 * @property {string} burstPath its webhook's path
 * @property {Workflow | undefined} big Webhook → `bigItems` items → Fire Event, when asked for
 * @property {string} bigPath its webhook's path
 */

/** The event every case fires (the sandbox's first). */
export const EVENT_ID = seed.SANDBOX_EVENTS[0].id;

/**
 * The node's Options for the queue cases: Concurrency per execution, the per-process limit, and
 * retries generous enough that the injected 429s and 503s never exhaust them (at 15 % faults, six in
 * a row for one of some 6,000 requests would otherwise be likely enough to flake).
 * @param {{ concurrency: number, processConcurrency: number }} limits
 * @returns {Record<string, number>}
 */
export function queueNodeOptions({ concurrency, processConcurrency }) {
	return { concurrency, processConcurrency, maxRetries: 20, maxRetryWait: 3_600_000 };
}

/**
 * The contact of burst call `index` (0-based): bulk contacts after the first `offset`.
 * @param {number} index
 * @param {number} offset
 */
export function burstEmail(index, offset) {
	return seed.bulkContactEmail(offset + index + 1);
}

/**
 * Starts n8n in queue mode with the burst workflow (and the many-items one when `bigItems` > 0), on a
 * credential pointing at `sandbox`.
 * @param {object} spec
 * @param {{ n8n: N8nInstall, template: string, services: QueueServices }} spec.environment
 * @param {Sandbox} spec.sandbox
 * @param {string} spec.label
 * @param {Record<string, unknown>} spec.options the Platformly node's Options
 * @param {number} [spec.bigItems] items of the many-items workflow, contacts bulk 1..bigItems
 * @param {number} [spec.workerConcurrency]
 * @param {NodeJS.ProcessEnv} [spec.env]
 * @returns {Promise<BurstSetup>}
 */
export async function startBurstStack({
	environment,
	sandbox,
	label,
	options,
	bigItems = 0,
	workerConcurrency,
	env,
}) {
	const credential = sandboxCredential(sandbox);
	const burstPath = `burst-${newId()}`;
	const burst = webhookToPlatformlyWorkflow({
		id: newId('wf'),
		name: 'Burst: one event per call',
		path: burstPath,
		platformly: platformlyNode({
			credential,
			parameters: { email: '={{ $json.body.email }}', eventId: EVENT_ID, options },
		}),
	});
	const bigPath = `big-${newId()}`;
	const big =
		bigItems > 0
			? webhookItemsWorkflow({
					name: `Many items: ${bigItems} events`,
					path: bigPath,
					items: Array.from({ length: bigItems }, (_, i) => ({
						email: seed.bulkContactEmail(i + 1),
					})),
					platformly: platformlyNode({
						credential,
						parameters: { email: '={{ $json.email }}', eventId: EVENT_ID, options },
					}),
				})
			: undefined;
	const stack = await startQueueStack({
		...environment,
		label,
		credentials: [credential],
		workflows: big ? [burst, big] : [burst],
		workerConcurrency,
		env,
	});
	return { stack, burst, burstPath, big, bigPath };
}

/**
 * Posts `count` webhook calls at once, call i naming burstEmail(i, offset); returns n8n's statuses.
 * @param {QueueStack} stack
 * @param {string} burstPath
 * @param {number} count
 * @param {number} offset
 * @returns {Promise<number[]>}
 */
export function fireBurst(stack, burstPath, count, offset) {
	return Promise.all(
		Array.from({ length: count }, (_, i) =>
			postJson(stack, burstPath, { email: burstEmail(i, offset) }),
		),
	);
}
