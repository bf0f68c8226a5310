// node sandbox/cli.js, as a person starts it.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

import { SANDBOX_API_KEY, SANDBOX_CONTACTS, SANDBOX_EVENTS, SANDBOX_PROJECTS } from '../../sandbox';
import { apiFields, callPlatformly } from './http';

const CLI = path.join(__dirname, '..', '..', 'sandbox', 'cli.js');

test('starts, prints the URL, key, seed data, actions and control endpoints, serves, and stops on SIGTERM', async () => {
	const cli = spawn(process.execPath, [CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	cli.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	try {
		while (!stdout.includes('Press Ctrl-C')) await once(cli.stdout, 'data');

		const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
		expect(url).toBeDefined();
		expect(stdout).toContain(`API key: ${SANDBOX_API_KEY}`);
		expect(stdout).toContain('Rate limit: none');
		for (const { email } of SANDBOX_CONTACTS) expect(stdout).toContain(email);
		for (const { action } of SANDBOX_EVENTS) expect(stdout).toContain(action);
		expect(stdout).toContain(`${url}/__sandbox/fired`);
		expect(stdout).toContain(`${url}/__sandbox/state`);
		expect(stdout).toContain(`${url}/__sandbox/in-flight`);
		for (const { name } of SANDBOX_PROJECTS) expect(stdout).toContain(name);
		for (const action of ['contact_event_fire', 'add_contact', 'list_tags', 'add_custom_field'])
			expect(stdout).toContain(action);

		const answer = await callPlatformly(url!, apiFields('profile', {}));
		expect(JSON.parse(answer.text)).toHaveProperty('account_id');
	} finally {
		cli.kill('SIGTERM');
	}
	const [exitCode] = await once(cli, 'exit');
	expect(exitCode).toBe(0);
	expect(stdout).toContain('Sandbox stopped.');
});

test.each([
	[['--rate-429', '1.5'], '--rate-429 must be a number between 0 and 1, got 1.5'],
	[['--latency', 'soon'], '--latency expects a number, got "soon"'],
	[['--port', '70000'], '--port must be 0..65535, got 70000'],
	[
		['--rate-503', '0.6', '--rate-500', '0.6'],
		'the fault rates add up to 1.2, more than 1 (see the --rate-* flags)',
	],
	[['--rate429', '0.5'], "Unknown option '--rate429'"],
	[['--rate-limit', 'fast'], '--rate-limit expects a number, got "fast"'],
	[
		['--rate-limit', '10', '--rate-limit-burst', '0'],
		'--rate-limit-burst must be a whole number of requests, 1 or more, got 0',
	],
])('%j: exits 2 naming the problem, then the usage', (args, problem) => {
	const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
	expect(result.status).toBe(2);
	expect(result.stderr.split('\n')[0]).toContain(problem);
	expect(result.stderr).toContain('Usage: node sandbox/cli.js');
});

test('--help prints the usage and exits 0', () => {
	const result = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
	expect(result.status).toBe(0);
	expect(result.stdout).toContain('--rate-hang R');
	expect(result.stdout).toContain('--rate-limit N');
	expect(result.stdout).toContain('--rate-limit-burst B');
	expect(result.stdout).toContain('--no-rate-limit-retry-after');
});

test('--rate-limit, --rate-limit-burst and --no-rate-limit-retry-after: in the banner, and enforced', async () => {
	// A token every 100 s: none comes back during the test, however slow the machine.
	const cli = spawn(
		process.execPath,
		[
			CLI,
			'--port',
			'0',
			'--rate-limit',
			'0.01',
			'--rate-limit-burst',
			'2',
			'--no-rate-limit-retry-after',
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let stdout = '';
	cli.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	try {
		while (!stdout.includes('Press Ctrl-C')) await once(cli.stdout, 'data');
		expect(stdout).toContain(
			'Rate limit: 0.01 requests/s per API key, bursts of up to 2; 429 without Retry-After',
		);
		const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1];
		const answers = [];
		for (let call = 0; call < 3; call++)
			answers.push(await callPlatformly(url, apiFields('profile', {})));
		expect(answers.map(({ status }) => status)).toEqual([200, 200, 429]);
		expect(answers[2].headers.has('retry-after')).toBe(false);
	} finally {
		cli.kill('SIGTERM');
	}
	await once(cli, 'exit');
});
