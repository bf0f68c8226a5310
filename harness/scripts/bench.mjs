#!/usr/bin/env node
// @ts-check
// `npm run bench`: how fast the Platformly node fires events in real n8n, against the sandbox with a
// fixed latency, compared in the same run with n8n's HTTP Request node sending the same request.
//
// For each case it reports the node's own execution time from n8n's run data, its ratio to the
// latency floor N×L/concurrency, and the n8n process's peak memory (VmHWM); splits the node's time
// into checking the items and sending them; then runs the queue-mode cases (bench-queue.mjs: 500
// executions at once, with the shared request gate and without it); then the rate-limit cases: the
// sandbox holding each key to a token bucket (50 a second) that the node has to find by itself,
// with and without Retry-After, in one process and in queue mode. It writes the tables to
// docs/benchmark.md and a chart of time against concurrency to docs/benchmark.svg.
//
// Uncapped, V8 lets garbage pile up before collecting it, so peak memory says little about what is
// kept. The memory cases therefore cap n8n's heap and compare the node with a No Operation node
// holding the same items: what n8n needs for the items themselves.
//
//   BENCH_SIZES=1000,10000   item counts (default both)
//   BENCH_LATENCY_MS=20      the sandbox's added latency per request
//   BENCH_RATE_LIMIT_ITEMS=2000   items of each rate-limit case (even: queue mode halves them)
//   BENCH_PARTS=speed,queue,rate-limit   which parts to measure (default all); the others are kept
//                            from docs/benchmark.json
//   BENCH_REDRAW=1           only redraw the table and chart from docs/benchmark.json
import fs from 'node:fs/promises';
import path from 'node:path';
import { oneN8nVersion, REPO_ROOT } from '../n8n/config.mjs';
import { ensureN8n } from '../n8n/install.mjs';
import { prepareUserFolder } from '../n8n/instance.mjs';
import { benchQueue, benchQueueRateLimit, queueMarkdownTable } from '../queue/bench.mjs';
import { startSharedServices } from '../queue/n8n.mjs';
import { buildAndPack } from '../n8n/package-tarball.mjs';
import { formatDuration, phase, runScript, say } from '../progress.mjs';
import {
	countAgainstLimit,
	limitFloorMs,
	RATE_LIMIT_PER_SECOND,
	RATE_LIMIT_ITEMS,
	RATE_LIMIT_LATENCY_MS,
	rateLimitFaults,
	rateLimitMarkdownTable,
} from '../bench/rate-limit.mjs';
import { randomApiKey, seed, startSandbox } from '../stand-ins/sandbox.mjs';
import {
	itemsToPlatformlyWorkflow,
	newId,
	sandboxCredential,
	platformlyNode,
} from '../n8n/workflows.mjs';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const PLATFORMLY_CONCURRENCIES = [1, 10, 50];
// The concurrency whose time is split into checking and sending.
const SPLIT_CONCURRENCY = 10;
const INVALID_EMAIL = 'not-an-email';
const EVENT_ID = 101;
const TARGET_NODE_NAME = 'Fire';
const CAPPED_HEAP_MB = 200;
const DOCS_DIR = path.join(REPO_ROOT, 'docs');
const KNOWN_PARTS = ['speed', 'queue', 'rate-limit'];
const PARTS = new Set((process.env.BENCH_PARTS ?? KNOWN_PARTS.join(',')).split(','));
for (const part of PARTS) {
	if (!KNOWN_PARTS.includes(part)) {
		throw new Error(`BENCH_PARTS: unknown part "${part}"; the parts are ${KNOWN_PARTS.join(', ')}`);
	}
}

/**
 * @typedef {import('../n8n/workflows.mjs').Workflow} Workflow
 * @typedef {import('../n8n/workflows.mjs').WorkflowNode} WorkflowNode
 * @typedef {import('../n8n/workflows.mjs').PlatformlyCredential} PlatformlyCredential
 * @typedef {import('../n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../n8n/install.mjs').N8nInstall} N8nInstall
 * @typedef {import('../stand-ins/sandbox.mjs').Sandbox} Sandbox
 *
 * One case of the benchmark.
 * @typedef {object} BenchCase
 * @property {string} label
 * @property {'platformly' | 'http' | 'noop'} kind the node in the Platformly node's place
 * @property {number} itemCount
 * @property {number} latencyMs the sandbox's added latency per request
 * @property {number} [concurrency] requests at once (for the HTTP Request node, its batch size)
 * @property {{ size: number, intervalMs: number }} [batching] the HTTP Request node's
 * @property {number} [heapMb] n8n's heap cap
 * @property {number} [processConcurrency] the node's Concurrency per Process, when not its default
 * @property {boolean} [checkOnly] the last item's email is invalid, so the node checks every item
 *   and stops before sending anything: its time is the checking alone
 * @property {boolean} [rateLimitRetryAfter] set for a rate-limit case: the sandbox holds the key to
 *   its token bucket (harness/bench/rate-limit.mjs), its 429s carrying Retry-After or not
 *
 * A case as measured (and as docs/benchmark.json keeps it; JSON leaves out what is undefined).
 * @typedef {object} BenchMeasurement
 * @property {number} executionMs the node's own execution time in n8n's run data
 * @property {number} [floorMs] N×L/concurrency, for a case with a concurrency
 * @property {number} [ratio] executionMs / floorMs
 * @property {number} perItemMs
 * @property {number} peakMb the n8n process's peak resident memory
 * @typedef {BenchCase & BenchMeasurement} BenchResult
 *
 * A case with a concurrency, so with a floor to compare with.
 * @typedef {BenchResult & { concurrency: number, floorMs: number }} PacedResult
 *
 * What docs/benchmark.json holds: each part with the n8n version and date it was measured with.
 * @typedef {{ n8nVersion: string, date: string }} Measured
 * @typedef {object} BenchRun
 * @property {Measured & { results: BenchResult[] }} [speed]
 * @property {Measured & { rows: QueueBenchRow[] }} [queue]
 * @property {Measured & { rows: RateLimitRow[] }} [rateLimit]
 * @typedef {import('../queue/bench.mjs').QueueBenchRow} QueueBenchRow
 * @typedef {import('../bench/rate-limit.mjs').RateLimitRow} RateLimitRow
 */

/**
 * One of n8n's built-in nodes, in the place the Platformly node takes in the other cases.
 * @param {string} type
 * @param {number} typeVersion
 * @param {Record<string, unknown>} parameters
 * @returns {WorkflowNode}
 */
function builtInTargetNode(type, typeVersion, parameters) {
	return {
		id: newId('node'),
		name: TARGET_NODE_NAME,
		type,
		typeVersion,
		position: [600, 0],
		parameters,
	};
}

/**
 * n8n's HTTP Request node doing by hand what the Platformly node does: the same form-encoded POST.
 * @param {{ url: string, apiKey: string, batching?: BenchCase['batching'] }} options
 * @returns {WorkflowNode}
 */
function httpRequestNode({ url, apiKey, batching }) {
	return builtInTargetNode('n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url,
		sendBody: true,
		contentType: 'form-urlencoded',
		bodyParameters: {
			parameters: [
				{ name: 'api_key', value: apiKey },
				{ name: 'action', value: 'contact_event_fire' },
				{
					name: 'value',
					value: `={{ JSON.stringify({ email: $json.email, event: ${EVENT_ID} }) }}`,
				},
			],
		},
		options: batching
			? { batching: { batch: { batchSize: batching.size, batchInterval: batching.intervalMs } } }
			: {},
	});
}

/**
 * n8n's No Operation node in the Platformly node's place: n8n holding the items, nothing sent.
 * @returns {WorkflowNode}
 */
function noOpNode() {
	return builtInTargetNode('n8n-nodes-base.noOp', 1, {});
}

/**
 * The cases of one run: the Platformly node at each concurrency, and the HTTP Request node.
 * @param {number} itemCount
 * @param {number} latencyMs
 * @returns {BenchCase[]}
 */
function casesFor(itemCount, latencyMs) {
	/** @type {BenchCase[]} */
	const platformly = PLATFORMLY_CONCURRENCIES.map((concurrency) => ({
		label: `Platformly node, concurrency ${concurrency}`,
		kind: 'platformly',
		concurrency,
		itemCount,
		latencyMs,
	}));
	// Above the default Concurrency per Process (20), a run is held to it; raised, the run has all.
	const maxConcurrency = Math.max(...PLATFORMLY_CONCURRENCIES);
	platformly.push({
		label: `Platformly node, concurrency ${maxConcurrency}, Concurrency per Process ${maxConcurrency}`,
		kind: 'platformly',
		concurrency: maxConcurrency,
		processConcurrency: maxConcurrency,
		itemCount,
		latencyMs,
	});
	/** @type {BenchCase[]} */
	const httpRequest = [
		{
			label: `HTTP Request node, batches of 10 every ${latencyMs} ms`,
			kind: 'http',
			batching: { size: 10, intervalMs: latencyMs },
			concurrency: 10,
			itemCount,
			latencyMs,
		},
		{ label: 'HTTP Request node, no batching (all at once)', kind: 'http', itemCount, latencyMs },
	];
	return [...platformly, ...httpRequest];
}

/**
 * The same items with n8n's heap capped: held by a No Operation node, then fired by this node.
 * @param {number} itemCount
 * @param {number} latencyMs
 * @returns {BenchCase[]}
 */
function memoryCases(itemCount, latencyMs) {
	const capped = { itemCount, latencyMs, heapMb: CAPPED_HEAP_MB };
	const heapNote = `n8n heap capped at ${CAPPED_HEAP_MB} MB`;
	return [
		{ ...capped, kind: 'noop', label: `No Operation node (the items alone), ${heapNote}` },
		{
			...capped,
			kind: 'platformly',
			concurrency: 10,
			label: `Platformly node, concurrency 10, ${heapNote}`,
		},
	];
}

/**
 * The node checks every item before it sends the first; with the last item invalid it checks
 * them all and sends nothing. Its time, against the same case sending, splits the node's time
 * into checking (reading and checking each item's fields, expressions included) and sending.
 * @param {number} itemCount
 * @param {number} latencyMs
 * @returns {BenchCase}
 */
function checkOnlyCase(itemCount, latencyMs) {
	return {
		label: `Platformly node, concurrency ${SPLIT_CONCURRENCY}, checking only (last item invalid)`,
		kind: 'platformly',
		concurrency: SPLIT_CONCURRENCY,
		checkOnly: true,
		itemCount,
		latencyMs,
	};
}

/**
 * The rate-limit cases in one n8n process: the node at its default Concurrency and at 50, with and
 * without Retry-After, and, for comparison, the HTTP Request node of a user who knows the limit,
 * sending it in batches once a second.
 * @returns {BenchCase[]}
 */
function rateLimitCases() {
	const common = { itemCount: RATE_LIMIT_ITEMS, latencyMs: RATE_LIMIT_LATENCY_MS };
	/** @type {BenchCase[]} */
	const platformly = [true, false].flatMap((rateLimitRetryAfter) => [
		{
			...common,
			rateLimitRetryAfter,
			label: 'Platformly node, defaults (Concurrency 10)',
			kind: 'platformly',
			concurrency: 10,
		},
		{
			...common,
			rateLimitRetryAfter,
			label: 'Platformly node, Concurrency 50, Concurrency per Process 50',
			kind: 'platformly',
			concurrency: 50,
			processConcurrency: 50,
		},
	]);
	return [
		...platformly,
		{
			...common,
			rateLimitRetryAfter: true,
			label: `HTTP Request node, batches of ${RATE_LIMIT_PER_SECOND} every second (a user who knows the limit)`,
			kind: 'http',
			batching: { size: RATE_LIMIT_PER_SECOND, intervalMs: 1000 },
		},
	];
}

/**
 * Highest resident memory of a process so far, from Linux's /proc (kB → MB).
 * @param {number | undefined} pid
 * @returns {Promise<number | undefined>} undefined when /proc does not tell
 */
async function peakRssMb(pid) {
	const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
	const match = /VmHWM:\s+(\d+) kB/.exec(status);
	return match ? Number(match[1]) / 1024 : undefined;
}

/** Samples the child's VmHWM until it exits; the last sample is its peak. */
function watchPeakMemory() {
	let peak = 0;
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	return {
		/** @param {import('node:child_process').ChildProcess} child */
		onSpawn(child) {
			timer = setInterval(async () => {
				peak = Math.max(peak, (await peakRssMb(child.pid)) ?? 0);
			}, 50);
			child.once('exit', () => clearInterval(timer));
		},
		peakMb: () => peak,
	};
}

/**
 * The emails of a case's items: bulk contacts 1..N, the last one invalid for a check-only case.
 * @param {BenchCase} spec
 * @returns {string[]}
 */
function itemEmails(spec) {
	return Array.from({ length: spec.itemCount }, (_, n) =>
		spec.checkOnly && n === spec.itemCount - 1 ? INVALID_EMAIL : seed.bulkContactEmail(n + 1),
	);
}

/**
 * @param {BenchCase} spec
 * @param {Sandbox} sandbox
 * @param {PlatformlyCredential} credential
 * @returns {Workflow}
 */
function benchWorkflow(spec, sandbox, credential) {
	const items = itemEmails(spec).map((email) => ({ email }));
	const targets = {
		platformly: () =>
			platformlyNode({
				name: TARGET_NODE_NAME,
				credential,
				parameters: {
					email: '={{ $json.email }}',
					eventId: EVENT_ID,
					options: {
						concurrency: spec.concurrency,
						...(spec.processConcurrency && { processConcurrency: spec.processConcurrency }),
					},
				},
			}),
		http: () =>
			httpRequestNode({ url: sandbox.url, apiKey: sandbox.apiKey, batching: spec.batching }),
		noop: noOpNode,
	};
	return itemsToPlatformlyWorkflow({
		id: newId('wf'),
		name: `${spec.label}, ${spec.itemCount} items`,
		items,
		platformly: targets[spec.kind](),
	});
}

/**
 * @param {N8nUserFolder} instance
 * @param {Sandbox} sandbox
 * @param {BenchCase} spec
 * @param {Workflow} workflow
 * @returns {Promise<BenchResult>}
 */
async function runCase(instance, sandbox, spec, workflow) {
	sandbox.reset();
	sandbox.setFaults({ latencyMs: spec.latencyMs });

	const memory = watchPeakMemory();
	const env = spec.heapMb ? { NODE_OPTIONS: `--max-old-space-size=${spec.heapMb}` } : {};
	const { run } = await instance.execute(workflow.id, { onSpawn: memory.onSpawn, env });
	const task = run.data.resultData.runData[TARGET_NODE_NAME]?.[0];
	const fired = sandbox.fired().length;
	if (spec.checkOnly) {
		const message = run.data.resultData.error?.message ?? '';
		if (!task || fired !== 0 || !message.startsWith('Email must be an email address')) {
			throw new Error(`${spec.label}: expected the invalid last item to stop the run unsent`);
		}
		return {
			...spec,
			executionMs: task.executionTime,
			perItemMs: task.executionTime / spec.itemCount,
			peakMb: memory.peakMb(),
		};
	}
	const expectedFired = spec.kind === 'noop' ? 0 : spec.itemCount;
	if (!task || run.data.resultData.error || fired !== expectedFired) {
		throw new Error(
			`${spec.label} (${spec.itemCount} items) did not fire every event: ${fired} fired`,
		);
	}
	const floorMs = spec.concurrency
		? (spec.itemCount * spec.latencyMs) / spec.concurrency
		: undefined;
	return {
		...spec,
		executionMs: task.executionTime,
		floorMs,
		ratio: floorMs ? task.executionTime / floorMs : undefined,
		perItemMs: task.executionTime / spec.itemCount,
		peakMb: memory.peakMb(),
	};
}

/**
 * One rate-limit case: the sandbox's token bucket on, the run counted against its items.
 * @param {N8nUserFolder} instance
 * @param {Sandbox} sandbox
 * @param {BenchCase} spec
 * @param {Workflow} workflow
 * @returns {Promise<RateLimitRow>}
 */
async function runRateLimitCase(instance, sandbox, spec, workflow) {
	sandbox.reset();
	sandbox.setFaults(rateLimitFaults(spec.rateLimitRetryAfter ?? true));
	const { run } = await instance.execute(workflow.id);
	const task = run.data.resultData.runData[TARGET_NODE_NAME]?.[0];
	if (!task) throw new Error(`${spec.label}: the node did not run`);
	const failure = run.data.resultData.error?.message;
	return {
		label: failure ? `${spec.label} (the run failed: ${failure})` : spec.label,
		retryAfter: spec.rateLimitRetryAfter ?? true,
		itemCount: spec.itemCount,
		durationMs: task.executionTime,
		ratio: task.executionTime / limitFloorMs(spec.itemCount),
		ok: failure ? 0 : (task.data?.main?.[0]?.length ?? 0),
		...countAgainstLimit(sandbox, itemEmails(spec)),
	};
}

/**
 * @param {BenchResult[]} results
 */
function markdownTable(results) {
	const rows = results.map((r) => [
		r.label,
		r.itemCount.toLocaleString('en-US'),
		`${r.latencyMs} ms`,
		`${(r.executionMs / 1000).toFixed(2)} s`,
		r.floorMs ? `${(r.floorMs / 1000).toFixed(2)} s` : '–',
		r.ratio ? `${r.ratio.toFixed(2)}×` : '–',
		`${r.perItemMs.toFixed(2)} ms`,
		`${Math.round(r.peakMb)} MB`,
	]);
	const header = [
		'Case',
		'Items',
		'Latency',
		'Node time',
		'Floor N×L/c',
		'Ratio',
		'Per item',
		'Peak RSS (n8n)',
	];
	return [header, header.map(() => '---'), ...rows]
		.map((cells) => `| ${cells.join(' | ')} |`)
		.join('\n');
}

/**
 * Time against concurrency, log-log, one line per item count, with the floor N×L/c dashed.
 * @param {BenchResult[]} results
 */
function chartSvg(results) {
	const width = 640;
	const height = 400;
	const margin = { left: 70, right: 190, top: 30, bottom: 50 };
	// The Platformly node's cases all have a concurrency, so a floor.
	const platformly = /** @type {PacedResult[]} */ (
		results.filter(
			(r) =>
				r.kind === 'platformly' &&
				r.latencyMs === LATENCY_MS &&
				!r.heapMb &&
				!r.checkOnly &&
				!r.processConcurrency,
		)
	);
	const times = platformly.flatMap((r) => [r.executionMs, r.floorMs]).map((ms) => ms / 1000);
	const [minTime, maxTime] = [Math.min(...times) / 1.5, Math.max(...times) * 1.5];
	/** @param {number} c concurrency */
	const x = (c) =>
		margin.left +
		(Math.log(c) / Math.log(Math.max(...PLATFORMLY_CONCURRENCIES))) *
			(width - margin.left - margin.right);
	/** @param {number} s seconds */
	const y = (s) =>
		height -
		margin.bottom -
		((Math.log(s) - Math.log(minTime)) / (Math.log(maxTime) - Math.log(minTime))) *
			(height - margin.top - margin.bottom);
	const colours = ['#1f5fd6', '#d6541f', '#2a9d4b'];
	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
		`<rect width="${width}" height="${height}" fill="#fff"/>`,
		`<text x="${margin.left}" y="18" font-size="14">Platformly node in n8n: time to fire N events at ${LATENCY_MS} ms latency</text>`,
		`<line x1="${margin.left}" y1="${height - margin.bottom}" x2="${width - margin.right}" y2="${height - margin.bottom}" stroke="#333"/>`,
		`<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${height - margin.bottom}" stroke="#333"/>`,
		`<text x="${(margin.left + width - margin.right) / 2}" y="${height - 12}" text-anchor="middle">concurrency (log scale)</text>`,
		`<text x="16" y="${(margin.top + height - margin.bottom) / 2}" transform="rotate(-90 16 ${(margin.top + height - margin.bottom) / 2})" text-anchor="middle">node time, s (log scale)</text>`,
	];
	for (const c of PLATFORMLY_CONCURRENCIES) {
		parts.push(
			`<text x="${x(c)}" y="${height - margin.bottom + 16}" text-anchor="middle">${c}</text>`,
		);
	}
	for (let decade = 10 ** Math.floor(Math.log10(minTime)); decade <= maxTime; decade *= 10) {
		if (decade < minTime) continue;
		parts.push(
			`<line x1="${margin.left}" y1="${y(decade)}" x2="${width - margin.right}" y2="${y(decade)}" stroke="#ddd"/>`,
			`<text x="${margin.left - 6}" y="${y(decade) + 4}" text-anchor="end">${decade}</text>`,
		);
	}
	SIZES.forEach((itemCount, index) => {
		const colour = colours[index % colours.length];
		const series = platformly
			.filter((r) => r.itemCount === itemCount)
			.sort((a, b) => a.concurrency - b.concurrency);
		// The batched HTTP Request case has a concurrency: its batch size.
		const batched = /** @type {PacedResult | undefined} */ (
			results.find((r) => r.batching && r.itemCount === itemCount && r.latencyMs === LATENCY_MS)
		);
		if (batched) {
			const [cx, cy] = [x(batched.concurrency), y(batched.executionMs / 1000)];
			parts.push(
				`<path d="M${cx - 5},${cy - 5} L${cx + 5},${cy + 5} M${cx - 5},${cy + 5} L${cx + 5},${cy - 5}" stroke="${colour}" stroke-width="2"/>`,
			);
		}
		/** @param {(r: PacedResult) => number} value milliseconds */
		const points = (value) =>
			series.map((r) => `${x(r.concurrency)},${y(value(r) / 1000)}`).join(' ');
		parts.push(
			`<polyline points="${points((r) => r.floorMs)}" fill="none" stroke="${colour}" stroke-dasharray="4 4"/>`,
			`<polyline points="${points((r) => r.executionMs)}" fill="none" stroke="${colour}" stroke-width="2"/>`,
			...series.map(
				(r) =>
					`<circle cx="${x(r.concurrency)}" cy="${y(r.executionMs / 1000)}" r="3" fill="${colour}"/>`,
			),
			`<text x="${width - margin.right + 10}" y="${margin.top + 20 + index * 36}" fill="${colour}">N = ${itemCount.toLocaleString('en-US')}: measured</text>`,
			`<text x="${width - margin.right + 10}" y="${margin.top + 36 + index * 36}" fill="${colour}">dashed: floor N×L/c</text>`,
		);
	});
	parts.push(
		`<text x="${width - margin.right + 10}" y="${margin.top + 28 + SIZES.length * 36}">×: HTTP Request node,</text>`,
		`<text x="${width - margin.right + 10}" y="${margin.top + 44 + SIZES.length * 36}">batches of 10 per ${LATENCY_MS} ms</text>`,
	);
	parts.push('</svg>');
	return parts.join('\n');
}

/**
 * Runs the cases that need one n8n process (the speed cases, the rate-limit ones, or both) with one
 * packed package, user folder and sandbox.
 * @param {N8nInstall} n8n
 * @param {BenchCase[]} plan
 * @returns {Promise<{ results: BenchResult[], rateLimitRows: RateLimitRow[] }>}
 */
async function measureInOneProcess(n8n, plan) {
	const { tarball, cleanup } = await buildAndPack();
	const instance = await phase('Preparing an n8n user folder', () =>
		prepareUserFolder(n8n, tarball, 'bench'),
	);
	const sandbox = await startSandbox({ apiKey: randomApiKey() });
	/** @type {BenchResult[]} */
	const results = [];
	/** @type {RateLimitRow[]} */
	const rateLimitRows = [];
	try {
		const credential = sandboxCredential(sandbox);
		await instance.importCredentials([credential]);
		const workflows = plan.map((spec) => benchWorkflow(spec, sandbox, credential));
		await phase('Importing the workflows', () => instance.importWorkflows(workflows));
		for (const [index, spec] of plan.entries()) {
			const title = `${spec.label}, ${spec.itemCount} items, ${spec.latencyMs} ms latency`;
			if (spec.rateLimitRetryAfter !== undefined) {
				const row = await phase(
					`${title}, rate limit ${RATE_LIMIT_PER_SECOND}/s${spec.rateLimitRetryAfter ? '' : ' without Retry-After'}`,
					() => runRateLimitCase(instance, sandbox, spec, workflows[index]),
				);
				say(
					`    ${formatDuration(row.durationMs)}, ${row.ratio.toFixed(2)}× N ÷ limit, ${row.refused} of ${row.requests} requests answered 429`,
				);
				rateLimitRows.push(row);
				continue;
			}
			const result = await phase(title, () => runCase(instance, sandbox, spec, workflows[index]));
			say(
				`    node time ${formatDuration(result.executionMs)}${result.ratio ? `, ${result.ratio.toFixed(2)}× the floor` : ''}, peak ${Math.round(result.peakMb)} MB`,
			);
			results.push(result);
		}
	} finally {
		await sandbox.close();
		await instance.remove();
		await cleanup();
	}
	return { results, rateLimitRows };
}

/**
 * Measures the parts asked for; the others stay as `previous` has them.
 * @param {BenchRun} previous
 * @returns {Promise<BenchRun>}
 */
async function measure(previous) {
	const n8n = await ensureN8n(await oneN8nVersion('BENCH_N8N_VERSION'));
	const measured = { n8nVersion: n8n.version, date: new Date().toISOString().slice(0, 10) };
	const run = { ...previous };
	const plan = [
		...(PARTS.has('speed')
			? [
					...SIZES.flatMap((itemCount) => casesFor(itemCount, LATENCY_MS)),
					// Per-item overhead without network waiting: the node's own cost against the HTTP Request node's.
					...casesFor(Math.max(...SIZES), 0).filter(
						(spec) => spec.concurrency !== 1 && !spec.batching,
					),
					...memoryCases(Math.max(...SIZES), LATENCY_MS),
					checkOnlyCase(Math.max(...SIZES), LATENCY_MS),
				]
			: []),
		...(PARTS.has('rate-limit') ? rateLimitCases() : []),
	];
	/** @type {RateLimitRow[]} */
	let rateLimitRows = [];
	if (plan.length > 0) {
		const inOneProcess = await measureInOneProcess(n8n, plan);
		if (PARTS.has('speed')) run.speed = { ...measured, results: inOneProcess.results };
		rateLimitRows = inOneProcess.rateLimitRows;
	}
	if (PARTS.has('queue') || PARTS.has('rate-limit')) {
		const shared = await startSharedServices(n8n);
		try {
			if (PARTS.has('queue')) run.queue = { ...measured, rows: await benchQueue(n8n, shared) };
			if (PARTS.has('rate-limit')) {
				rateLimitRows.push(...(await benchQueueRateLimit(n8n, shared)));
			}
		} finally {
			await shared.stop();
		}
	}
	if (PARTS.has('rate-limit')) run.rateLimit = { ...measured, rows: rateLimitRows };
	return run;
}

/**
 * Where the node's time goes: checking every item (the check-only case) and the rest, sending.
 * @param {BenchResult[]} results
 */
function timeSplit(results) {
	const checking = results.find((r) => r.checkOnly);
	const whole = results.find(
		(r) =>
			r.kind === 'platformly' &&
			!r.checkOnly &&
			!r.heapMb &&
			!r.processConcurrency &&
			r.concurrency === checking?.concurrency &&
			r.itemCount === checking?.itemCount &&
			r.latencyMs === checking?.latencyMs,
	);
	if (!checking || !whole) return '';
	const seconds = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(2)} s`;
	const sendingMs = whole.executionMs - checking.executionMs;
	return (
		`Where the node's time goes (${whole.itemCount.toLocaleString('en-US')} items, concurrency ${whole.concurrency}, ${whole.latencyMs} ms): ` +
		`checking every item's fields ${seconds(checking.executionMs)} (${checking.perItemMs.toFixed(2)} ms per item), ` +
		`sending ${seconds(sendingMs)}, of ${seconds(whole.executionMs)}.`
	);
}

/**
 * Where a part was measured: n8n's version and the date.
 * @param {string} title
 * @param {Measured} part
 */
function measuredWith(title, part) {
	return `## ${title}\n\nMeasured on ${part.date} with n8n ${part.n8nVersion}.`;
}

/** @param {BenchRun} measured */
function markdownReport(measured) {
	const { speed, queue, rateLimit } = measured;
	return [
		speed && measuredWith('Speed and memory', speed),
		speed && markdownTable(speed.results),
		speed && timeSplit(speed.results),
		speed && '![Time against concurrency](benchmark.svg)',
		queue && measuredWith('Queue mode', queue),
		queue && queueMarkdownTable(queue.rows),
		rateLimit && measuredWith('Under a rate limit', rateLimit),
		rateLimit && rateLimitMarkdownTable(rateLimit.rows),
	]
		.filter(Boolean)
		.join('\n\n');
}

async function main() {
	const started = Date.now();
	const resultsFile = path.join(DOCS_DIR, 'benchmark.json');
	/** @type {BenchRun} */
	const previous = JSON.parse(await fs.readFile(resultsFile, 'utf8').catch(() => '{}'));
	const measured = process.env.BENCH_REDRAW ? previous : await measure(previous);
	const report = markdownReport(measured);
	await fs.mkdir(DOCS_DIR, { recursive: true });
	await fs.writeFile(resultsFile, `${JSON.stringify(measured, null, 2)}\n`);
	await fs.writeFile(
		path.join(DOCS_DIR, 'benchmark.md'),
		'# Benchmark\n\nMeasured by `npm run bench` against the sandbox, on the machine that ran it: the ' +
			'sandbox adds a fixed latency per request.\n\n' +
			`${report}\n`,
	);
	// Without latency there is no floor to draw against.
	if (measured.speed && LATENCY_MS > 0)
		await fs.writeFile(path.join(DOCS_DIR, 'benchmark.svg'), chartSvg(measured.speed.results));
	say(
		`\n${report}\n\nWritten to docs/benchmark.md, .json and .svg (total ${formatDuration(Date.now() - started)}).`,
	);
}

runScript(main, 'The benchmark could not complete');
