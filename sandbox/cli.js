#!/usr/bin/env node
'use strict';

const { parseArgs } = require('node:util');
const { startSandbox } = require('./server');
const { FaultSettingsError, normalizeFaults } = require('./faults');
const { ACTIONS } = require('./actions');
const {
	SANDBOX_API_KEY,
	SANDBOX_PROJECTS,
	SANDBOX_CONTACTS,
	SANDBOX_EVENTS,
	BULK_CONTACT_COUNT,
	BULK_CONTACT_ID_OFFSET,
	bulkContactEmail,
} = require('./seed');

/**
 * @typedef {import('./faults').FaultSettings} FaultSettings
 * @typedef {{ [K in keyof FaultSettings]: FaultSettings[K] extends number ? K : never }[keyof FaultSettings]} NumericFaultSetting
 *
 * Numeric flags that map onto a fault setting, so that errors can name the flag, not the setting.
 * @type {ReadonlyMap<string, NumericFaultSetting>}
 */
const FAULT_FLAGS = new Map([
	['latency', 'latencyMs'],
	['rate-429', 'rate429'],
	['retry-after', 'retryAfterSeconds'],
	['rate-503', 'rate503'],
	['rate-500', 'rate500'],
	['rate-non-json', 'rateNonJson'],
	['rate-hang', 'rateHang'],
	['rate-error', 'rateError'],
	['seed', 'seed'],
	['rate-limit', 'rateLimitPerSecond'],
	['rate-limit-burst', 'rateLimitBurst'],
]);

const USAGE = `Usage: node sandbox/cli.js [options]

A local Platformly-compatible API for development and tests (not for production).

  --port N             port to listen on (default 8787; 0 picks a free one)
  --host H             address to bind (default 127.0.0.1)
  --api-key K          the key clients must send (default ${SANDBOX_API_KEY})
  --latency MS         delay before every answer, in milliseconds
  --rate-429 R         share of requests answered 429 (0..1)
  --retry-after S      Retry-After seconds sent with each 429 (default 1)
  --rate-503 R         share answered 503
  --rate-500 R         share answered 500
  --rate-non-json R    share answered 200 with an HTML proxy error page
  --rate-hang R        share accepted and never answered
  --rate-error R       share answered 200 {"status":"error","message":"Simulated failure"}
  --seed N             seed for the random faults (default 1), for reproducible runs
  --rate-limit N       allow N requests a second per API key, a token bucket (default 0: no limit);
                       the rest are answered 429, Retry-After the seconds until a token is back
  --rate-limit-burst B the most requests at once after a quiet spell (default N, rounded up)
  --no-rate-limit-retry-after
                       send the rate limit's 429s without Retry-After
  --log-file PATH      append one JSON line per fired event
  --help               show this help
`;

class UsageError extends Error {}

/**
 * @param {string[]} argv
 * @returns {import('./server').SandboxOptions | 'help'}
 */
function parseCommandLine(argv) {
	const { values } = parseArgs({
		args: argv,
		strict: true,
		options: {
			port: { type: 'string', default: '8787' },
			host: { type: 'string', default: '127.0.0.1' },
			'api-key': { type: 'string', default: SANDBOX_API_KEY },
			'log-file': { type: 'string' },
			help: { type: 'boolean', default: false },
			'no-rate-limit-retry-after': { type: 'boolean', default: false },
			...Object.fromEntries([...FAULT_FLAGS.keys()].map((flag) => [flag, { type: 'string' }])),
		},
	});
	if (values.help) return 'help';

	const port = toNumber('port', values.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new UsageError(`--port must be 0..65535, got ${values.port}`);
	if (values['api-key'] === '') throw new UsageError('--api-key must not be empty');

	/** @type {Record<string, unknown>} */
	const flagValues = values;
	/** @type {Partial<FaultSettings>} */
	const faults = {};
	for (const [flag, setting] of FAULT_FLAGS) {
		if (flagValues[flag] !== undefined) faults[setting] = toNumber(flag, flagValues[flag]);
	}
	if (values['no-rate-limit-retry-after']) faults.rateLimitRetryAfter = false;
	try {
		normalizeFaults(faults);
	} catch (error) {
		if (!(error instanceof FaultSettingsError)) throw error;
		const flag = [...FAULT_FLAGS.keys()].find((name) => FAULT_FLAGS.get(name) === error.setting);
		throw new UsageError(
			flag ? `--${flag} ${error.reason}` : `${error.message} (see the --rate-* flags)`,
		);
	}

	return {
		port,
		host: values.host,
		apiKey: values['api-key'],
		faults,
		logFile: values['log-file'],
	};
}

/**
 * @param {string} flag
 * @param {unknown} raw
 */
function toNumber(flag, raw) {
	const number = Number(raw);
	if (typeof raw !== 'string' || raw.trim() === '' || Number.isNaN(number)) {
		throw new UsageError(`--${flag} expects a number, got ${JSON.stringify(raw)}`);
	}
	return number;
}

/**
 * @param {string[][]} rows
 */
function table(rows) {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	return rows
		.map((row) =>
			`  ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`.trimEnd(),
		)
		.join('\n');
}

/**
 * @param {string[]} words
 * @param {number} width
 * @returns {string} the words, comma-separated, on indented lines of at most `width` characters
 */
function wrappedList(words, width) {
	/** @type {string[]} */
	const lines = [];
	for (const word of words) {
		const last = lines.length - 1;
		if (last >= 0 && `${lines[last]}, ${word}`.length <= width) lines[last] += `, ${word}`;
		else lines.push(`  ${word}`);
	}
	return lines.join(',\n');
}

/**
 * @param {Partial<FaultSettings>} faults
 * @returns {string} the rate limit in words, with the burst and Retry-After it works out to
 */
function rateLimitSummary(faults) {
	const { rateLimitPerSecond, rateLimitBurst, rateLimitRetryAfter } = normalizeFaults(faults);
	if (rateLimitPerSecond === 0) return 'none';
	const retryAfter = rateLimitRetryAfter ? 'with Retry-After' : 'without Retry-After';
	return `${rateLimitPerSecond} requests/s per API key, bursts of up to ${rateLimitBurst}; 429 ${retryAfter}`;
}

/**
 * @param {import('./server').Sandbox} sandbox
 * @param {Partial<FaultSettings>} faults the fault settings given on the command line
 */
function banner(sandbox, faults) {
	const faultSummary = Object.entries(faults)
		.map(([setting, value]) => `${setting}=${value}`)
		.join(' ');
	const exampleValue = JSON.stringify({
		event: SANDBOX_EVENTS[0].id,
		email: SANDBOX_CONTACTS[0].email,
	});
	return `Platformly sandbox listening on ${sandbox.url}
API key: ${sandbox.apiKey}
Faults: ${faultSummary || 'none'}
Rate limit: ${rateLimitSummary(faults)}

Contacts:
${table([
	['id', 'email', 'name'],
	...SANDBOX_CONTACTS.map((contact) => [
		String(contact.id),
		contact.email,
		`${contact.first_name} ${contact.last_name}`,
	]),
	[
		`${BULK_CONTACT_ID_OFFSET + 1}..${BULK_CONTACT_ID_OFFSET + BULK_CONTACT_COUNT}`,
		`${bulkContactEmail(1)} .. ${bulkContactEmail(BULK_CONTACT_COUNT)}`,
		'bulk contacts for load tests',
	],
])}

Events:
${table([['id', 'action', 'description'], ...SANDBOX_EVENTS.map((event) => [String(event.id), event.action, event.desc])])}

Projects (list_tags, list_segments and list_custom_fields show what each holds):
${table([['id', 'name'], ...SANDBOX_PROJECTS.map((project) => [String(project.id), project.name])])}

Actions:
${wrappedList(Object.keys(ACTIONS), 100)}

Control endpoints:
  GET  ${sandbox.url}/__sandbox/fired        events fired so far
  GET  ${sandbox.url}/__sandbox/requests     every API request and its outcome
  GET  ${sandbox.url}/__sandbox/state        what the sandbox knows now: contacts, tags, events and more
  GET  ${sandbox.url}/__sandbox/in-flight    API requests open now, and the most open at once
  POST ${sandbox.url}/__sandbox/faults       JSON body, replaces the fault settings
  POST ${sandbox.url}/__sandbox/automations  JSON body {"when":{"event":ID} or {"tag":ID},"url":URL,"format":"form" or "json"}
  GET  ${sandbox.url}/__sandbox/automations  the automations, each posting to its URL when started
  GET  ${sandbox.url}/__sandbox/deliveries   the posts made so far; ?settled=1 waits (up to 10 s) for those under way
  POST ${sandbox.url}/__sandbox/reset        forget the records, the fault queue and the automations added, restore the seed data

Try it:
  curl -s ${sandbox.url}/ --data-urlencode api_key=${sandbox.apiKey} \\
    --data-urlencode action=contact_event_fire --data-urlencode 'value=${exampleValue}'

Press Ctrl-C to stop.
`;
}

async function main() {
	let options;
	try {
		options = parseCommandLine(process.argv.slice(2));
	} catch (error) {
		const { code, message } = /** @type {NodeJS.ErrnoException} */ (error);
		const badFlag = error instanceof UsageError || String(code).startsWith('ERR_PARSE_ARGS');
		if (!badFlag) throw error;
		process.stderr.write(`${message}\n\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	if (options === 'help') {
		process.stdout.write(USAGE);
		return;
	}

	let sandbox;
	try {
		sandbox = await startSandbox(options);
	} catch (error) {
		const { code, message } = /** @type {NodeJS.ErrnoException} */ (error);
		const hint = code === 'EADDRINUSE' ? ' (try another --port, or --port 0 for a free one)' : '';
		process.stderr.write(`Cannot start the sandbox: ${message}${hint}\n`);
		process.exitCode = 1;
		return;
	}
	process.stdout.write(banner(sandbox, options.faults ?? {}));

	const stop = () => {
		sandbox.close().then(
			() => process.stdout.write('Sandbox stopped.\n'),
			(/** @type {Error} */ error) => {
				process.stderr.write(`Error while stopping: ${error.message}\n`);
				process.exitCode = 1;
			},
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main();
