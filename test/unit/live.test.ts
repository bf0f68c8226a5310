import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import {
	CONTRACT,
	READ_ACTIONS,
	shapeDifferences,
	WRITE_ACTIONS,
} from '../../harness/scripts/live-contract.cjs';
import { PLATFORMLY_ACTIONS, READ_ONLY_ACTIONS } from '../../nodes/Platformly/transport/actions';
import type { Sandbox } from '../../sandbox';
import {
	SANDBOX_API_KEY,
	SANDBOX_CONTACTS,
	SANDBOX_EVENTS,
	SANDBOX_PROJECTS,
	SANDBOX_TAGS,
	startSandbox,
} from '../../sandbox';

/**
 * `npm run test:live` (harness/scripts/live.mjs) run as a child process against the sandbox, which answers
 * as the contract expects, and against servers that answer otherwise. The sandbox runs in this
 * process, so the child is awaited, never waited for synchronously.
 */
const SCRIPT = join(__dirname, '..', '..', 'harness', 'scripts', 'live.mjs');
const ANN = SANDBOX_CONTACTS[0];
const [MAIN_PROJECT] = SANDBOX_PROJECTS;
const EVENT = SANDBOX_EVENTS[0];
const TAG = SANDBOX_TAGS.find(({ project_id }) => project_id === MAIN_PROJECT.id)!;
const NEW_EMAIL = 'live-check@example.com';

const SKIPPED =
	'test:live skipped: set PLATFORMLY_API_KEY to check against your Platformly account (see docs/development.md, “Checking against your Platformly account”)';
const WRITES_SKIPPED =
	'Writes skipped (contact_event_fire, add_contact, contact_tag_add): set PLATFORMLY_LIVE_WRITE=1 and the IDs they need to check them too.';

/** The environment of this process without any PLATFORMLY_ variable, so that none leaks in. */
const baseEnv = Object.fromEntries(
	Object.entries(process.env).filter(([name]) => !name.startsWith('PLATFORMLY_')),
);

async function runLive(env: Record<string, string>) {
	const child = spawn(process.execPath, [SCRIPT], {
		env: { ...baseEnv, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const [code] = (await once(child, 'close')) as [number | null];
	return { code, stdout, stderr, lines: stdout.split('\n').filter((line) => line !== '') };
}

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterEach(() => {
	sandbox.setFaults({});
	sandbox.reset();
});
afterAll(() => sandbox.close());

const againstSandbox = (env: Record<string, string> = {}) => ({
	PLATFORMLY_API_KEY: SANDBOX_API_KEY,
	PLATFORMLY_BASE_URL: sandbox.url,
	...env,
});

const READS_AS_EXPECTED = [
	'✔ profile: shape as expected',
	'✔ list_projects: 2 entries, shape as expected',
	'list_tags, list_segments and list_custom_fields of project 1 (the first of list_projects; PLATFORMLY_LIVE_PROJECT_ID chooses another):',
	'✔ list_tags: 10 entries on page 0, shape as expected',
	'✔ list_segments: 3 entries on page 0, shape as expected',
	'✔ list_custom_fields: 2 entries, shape as expected',
	'✔ fetch_contact: shape as expected',
];

describe('the contract', () => {
	test("names only the node's actions, the reads among its read-only ones and the writes not", () => {
		const actions: string[] = Object.values(PLATFORMLY_ACTIONS);
		expect(Object.keys(CONTRACT).sort()).toEqual([...READ_ACTIONS, ...WRITE_ACTIONS].sort());
		for (const action of Object.keys(CONTRACT)) expect(actions).toContain(action);
		for (const action of READ_ACTIONS) expect(READ_ONLY_ACTIONS.has(action)).toBe(true);
		for (const action of WRITE_ACTIONS) expect(READ_ONLY_ACTIONS.has(action)).toBe(false);
	});

	test('counts a difference over the entries it is found in, and takes extra fields as they come', () => {
		const tags = [
			{ id: 1, name: 'a', desc: '', color: 'red' },
			{ id: '2', desc: '' },
			{ id: 3, name: 'c', desc: '' },
		];

		expect(shapeDifferences('list_tags', tags)).toEqual([
			"list_tags: entries' id is a string, expected number in 1 of 3 (methods/loadOptions.ts uses it as the Tags dropdown value)",
			'list_tags: entries lack "name" in 1 of 3 (methods/loadOptions.ts names the Tags dropdown option by it)',
		]);
		expect(shapeDifferences('list_tags', { tags })).toEqual([
			'list_tags: the answer is an object, expected a list (resources/requests.ts readList fails on anything but a list)',
		]);
		expect(shapeDifferences('add_contact', { status: 'success', message: '', data: null })).toEqual(
			[
				'add_contact: data is null, expected an object (resources/contact/fireEvent.ts reads cc_id from it)',
			],
		);
	});
});

describe('against the sandbox', () => {
	test('reads only, and finds every answer shaped as expected', async () => {
		const { code, lines, stdout, stderr } = await runLive(
			againstSandbox({ PLATFORMLY_LIVE_EMAIL: ANN.email }),
		);

		expect(lines).toEqual([
			`Checking ${sandbox.url} against what the node and the sandbox assume (read-only).`,
			...READS_AS_EXPECTED,
			WRITES_SKIPPED,
			'6 actions checked, 0 differences.',
		]);
		for (const action of READ_ACTIONS)
			expect(lines).toContainEqual(expect.stringMatching(`^✔ ${action}: `));
		expect(code).toBe(0);
		expect(sandbox.requests().map(({ action }) => action)).toEqual(READ_ACTIONS);
		expect(sandbox.requests().every(({ apiKeyValid }) => apiKeyValid)).toBe(true);
		expect(`${stdout}${stderr}`).not.toContain(SANDBOX_API_KEY);
		expect(`${stdout}${stderr}`).not.toContain(ANN.email);
	});

	test('without PLATFORMLY_LIVE_EMAIL, says that fetch_contact was skipped', async () => {
		const { code, lines } = await runLive(againstSandbox());

		expect(lines).toContain(
			'fetch_contact skipped: set PLATFORMLY_LIVE_EMAIL to the email of a contact in the account',
		);
		expect(lines.at(-1)).toBe('5 actions checked, 0 differences.');
		expect(code).toBe(0);
	});

	test('with PLATFORMLY_LIVE_WRITE=1 and the IDs, fires the event, creates the contact and tags it', async () => {
		const { code, lines, stdout, stderr } = await runLive(
			againstSandbox({
				PLATFORMLY_LIVE_EMAIL: ANN.email,
				PLATFORMLY_LIVE_WRITE: '1',
				PLATFORMLY_LIVE_PROJECT_ID: String(MAIN_PROJECT.id),
				PLATFORMLY_LIVE_EVENT_ID: String(EVENT.id),
				PLATFORMLY_LIVE_NEW_EMAIL: NEW_EMAIL,
				PLATFORMLY_LIVE_TAG_ID: String(TAG.id),
			}),
		);

		expect(lines).toEqual([
			`Checking ${sandbox.url} against what the node and the sandbox assume (reads and writes).`,
			...READS_AS_EXPECTED.map((line) =>
				line.startsWith('list_tags, ')
					? 'list_tags, list_segments and list_custom_fields of project 1 (PLATFORMLY_LIVE_PROJECT_ID):'
					: line,
			),
			'✔ contact_event_fire: shape as expected',
			'✔ add_contact: shape as expected',
			'✔ contact_tag_add: shape as expected',
			'9 actions checked, 0 differences.',
		]);
		expect(code).toBe(0);
		expect(sandbox.fired()).toEqual([
			expect.objectContaining({
				contactId: ANN.id,
				email: ANN.email,
				event: EVENT.id,
				options: null,
			}),
		]);
		expect(sandbox.state().contacts.find(({ email }) => email === NEW_EMAIL)).toMatchObject({
			project_id: MAIN_PROJECT.id,
			tags: [TAG.id],
		});
		expect(sandbox.requests().map(({ outcome }) => outcome)).toEqual(
			Array.from({ length: 9 }, () => 'success'),
		);
		expect(`${stdout}${stderr}`).not.toContain(SANDBOX_API_KEY);
		expect(`${stdout}${stderr}`).not.toContain(NEW_EMAIL);
	});

	test('with PLATFORMLY_LIVE_WRITE=1 but no IDs, skips each write, naming what it lacks, and changes nothing', async () => {
		const { code, lines } = await runLive(againstSandbox({ PLATFORMLY_LIVE_WRITE: '1' }));

		expect(lines.slice(-4)).toEqual([
			'contact_event_fire skipped: PLATFORMLY_LIVE_EMAIL and PLATFORMLY_LIVE_EVENT_ID are not set (IDs are never guessed)',
			'add_contact skipped: PLATFORMLY_LIVE_PROJECT_ID and PLATFORMLY_LIVE_NEW_EMAIL are not set (IDs are never guessed)',
			'contact_tag_add skipped: PLATFORMLY_LIVE_NEW_EMAIL and PLATFORMLY_LIVE_TAG_ID are not set (IDs are never guessed)',
			'5 actions checked, 0 differences.',
		]);
		expect(code).toBe(0);
		expect(sandbox.requests().every(({ action }) => READ_ONLY_ACTIONS.has(action!))).toBe(true);
		expect(sandbox.fired()).toEqual([]);
	});

	test.each([[''], ['   ']])(
		'with PLATFORMLY_API_KEY %j, prints one line, sends nothing and exits 0',
		async (apiKey) => {
			const { code, stdout } = await runLive(
				againstSandbox({ PLATFORMLY_API_KEY: apiKey, PLATFORMLY_LIVE_EMAIL: ANN.email }),
			);

			expect(stdout).toBe(`${SKIPPED}\n`);
			expect(code).toBe(0);
			expect(sandbox.requests()).toEqual([]);
		},
	);

	test('with a wrong key, names the failure, stops after profile, never prints the key, exits 1', async () => {
		const wrongKey = 'wrongKey0123456789abcdefABCDEFgh';

		const { code, lines, stdout, stderr } = await runLive(
			againstSandbox({ PLATFORMLY_API_KEY: wrongKey, PLATFORMLY_LIVE_EMAIL: ANN.email }),
		);

		expect(lines.slice(1)).toEqual([
			'✖ profile: Platformly answered status "error": Invalid API key',
			"The other checks were not run: profile is the node's connection check.",
			'0 actions checked, 0 differences, 1 request failed.',
		]);
		expect(code).toBe(1);
		expect(sandbox.requests()).toHaveLength(1);
		expect(`${stdout}${stderr}`).not.toContain(wrongKey);
	});

	test('does not follow a redirect, so the key goes nowhere else, and exits 1', async () => {
		const elsewhere = await startFakePlatformly(() => [200, {}]);
		try {
			sandbox.setFaults({ queue: ['redirect'], redirectTo: `${elsewhere.url}/collect` });

			const { code, lines } = await runLive(againstSandbox());

			expect(lines[1]).toBe(
				`✖ profile: answered HTTP 307, a redirect to ${new URL(elsewhere.url).host}; not followed, as the API key must go nowhere else`,
			);
			expect(code).toBe(1);
			expect(elsewhere.requests).toEqual([]);
		} finally {
			await elsewhere.close();
		}
	});
});

type FakeAnswer = [status: number, body: unknown];

/** A stand-in for Platformly that answers each action as `answer` says and records the requests. */
async function startFakePlatformly(
	answer: (action: string, value: unknown, apiKey: string | null) => FakeAnswer,
) {
	const requests: string[] = [];
	const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
		let body = '';
		for await (const chunk of req) body += chunk;
		const form = new URLSearchParams(body);
		const action = form.get('action') ?? '';
		requests.push(action);
		const [status, json] = answer(
			action,
			JSON.parse(form.get('value') ?? 'null'),
			form.get('api_key'),
		);
		res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('against a server that answers otherwise', () => {
	const KEY = 'fakeKey0123456789abcdefABCDEFghij';
	const EMAIL = 'someone@example.com';

	test('prints each difference on its own line and exits 1', async () => {
		const fake = await startFakePlatformly((action) => {
			if (action === 'profile') return [200, { account_id: 'x' }];
			if (action === 'fetch_contact')
				return [
					200,
					{
						id: '12',
						email: EMAIL,
						first_name: 'Someone',
						address: '',
						address2: '',
						city: '',
						state: '',
						zip: 10115,
						project: [
							{ id: 1, data: { segments: [{ id: '301' }], tags: [201] } },
							{ id: 2, data: { segments: [], tags: [{ id: 221 }, { id: 222, name: 'no-show' }] } },
							{ id: 3 },
						],
					},
				];
			return [200, [{ id: '1' }]];
		});
		try {
			const { code, lines, stdout } = await runLive({
				PLATFORMLY_API_KEY: KEY,
				PLATFORMLY_BASE_URL: fake.url,
				PLATFORMLY_LIVE_EMAIL: EMAIL,
			});

			const sandboxOnly = '(the sandbox answers it; the node does not read it)';
			expect(lines).toEqual([
				`Checking ${fake.url} against what the node and the sandbox assume (read-only).`,
				'✖ profile: account_id is a string, expected number (methods/credentialTest.ts passes the credential Test only when it is there; sandbox/seed.js answers a number)',
				`✖ profile: the answer lacks "first_name" ${sandboxOnly}`,
				`✖ profile: the answer lacks "last_name" ${sandboxOnly}`,
				`✖ profile: the answer lacks "email" ${sandboxOnly}`,
				`✖ profile: the answer lacks "company" ${sandboxOnly}`,
				"✖ list_projects: entries' id is a string, expected number (methods/listSearch.ts and methods/loadOptions.ts send it as the project ID)",
				'✖ list_projects: entries lack "name" (methods/listSearch.ts shows it in the Project list, methods/loadOptions.ts after each tag and segment)',
				'list_tags, list_segments and list_custom_fields of project 1 (the first of list_projects; PLATFORMLY_LIVE_PROJECT_ID chooses another):',
				"✖ list_tags: entries' id is a string, expected number (methods/loadOptions.ts uses it as the Tags dropdown value)",
				'✖ list_tags: entries lack "name" (methods/loadOptions.ts names the Tags dropdown option by it)',
				`✖ list_tags: entries lack "desc" ${sandboxOnly}`,
				"✖ list_segments: entries' id is a string, expected number (methods/loadOptions.ts uses it as the Segments dropdown value)",
				'✖ list_segments: entries lack "name" (methods/loadOptions.ts names the Segments dropdown option by it)',
				"✖ list_custom_fields: entries' id is a string, expected number (methods/loadOptions.ts builds the key cf_<alias>_<id> from it)",
				'✖ list_custom_fields: entries lack "name" (methods/loadOptions.ts names the Custom Fields dropdown option by it)',
				'✖ list_custom_fields: entries lack "alias" (methods/loadOptions.ts builds the key cf_<alias>_<id> from it)',
				`✖ list_custom_fields: entries lack "type" ${sandboxOnly}`,
				`✖ fetch_contact: id is a string, expected number ${sandboxOnly}`,
				`✖ fetch_contact: the answer lacks "last_name" ${sandboxOnly}`,
				`✖ fetch_contact: zip is a number, expected string ${sandboxOnly}`,
				`✖ fetch_contact: project[].data.segments[].id is a string, expected number ${sandboxOnly}`,
				`✖ fetch_contact: an entry of project[].data.tags is a number, expected an object in 1 of 3 ${sandboxOnly}`,
				`✖ fetch_contact: entries of project[].data.tags lack "name" in 1 of 2 ${sandboxOnly}`,
				`✖ fetch_contact: entries of project lack "data" in 1 of 3 ${sandboxOnly}`,
				WRITES_SKIPPED,
				'6 actions checked, 23 differences.',
			]);
			expect(code).toBe(1);
			// The project lists were asked about the project list_projects named, as the node's dropdowns do.
			expect(fake.requests).toEqual(READ_ACTIONS);
			expect(stdout).not.toContain(KEY);
			expect(stdout).not.toContain(EMAIL);
		} finally {
			await fake.close();
		}
	});

	test('prints the key and the contact address nowhere, even where an answer echoes them', async () => {
		const fake = await startFakePlatformly((action, _value, apiKey) =>
			action === 'profile'
				? [200, { account_id: 1, first_name: '', last_name: '', email: '', company: '' }]
				: [200, { status: 'Error', message: `No access for ${apiKey} to ${EMAIL.toUpperCase()}` }],
		);
		try {
			const { code, lines, stdout, stderr } = await runLive({
				PLATFORMLY_API_KEY: KEY,
				PLATFORMLY_BASE_URL: fake.url,
				PLATFORMLY_LIVE_EMAIL: EMAIL,
			});

			expect(lines).toContain(
				'✖ fetch_contact: Platformly answered status "error": No access for <PLATFORMLY_API_KEY> to <PLATFORMLY_LIVE_EMAIL>',
			);
			expect(lines.at(-1)).toBe('1 action checked, 0 differences, 2 requests failed.');
			expect(code).toBe(1);
			expect(`${stdout}${stderr}`).not.toContain(KEY);
			expect(`${stdout}${stderr}`.toLowerCase()).not.toContain(EMAIL);
		} finally {
			await fake.close();
		}
	});
});

test('an answer over 16 MB is a failed request, not read to the end', async () => {
	const megabyte = Buffer.alloc(2 ** 20, ' ');
	let sent = 0;
	const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
		res.writeHead(200, { 'content-type': 'application/json' });
		// Endless: only the reader's limit ends it.
		const write = () => {
			while (res.write(megabyte)) sent += 1;
			sent += 1;
			res.once('drain', write);
		};
		res.on('close', () => res.removeAllListeners('drain'));
		write();
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	try {
		const { code, lines } = await runLive({
			PLATFORMLY_API_KEY: SANDBOX_API_KEY,
			PLATFORMLY_BASE_URL: `http://127.0.0.1:${port}`,
		});

		expect(lines).toEqual([
			`Checking http://127.0.0.1:${port} against what the node and the sandbox assume (read-only).`,
			'✖ profile: answered more than 16 MB',
			"The other checks were not run: profile is the node's connection check.",
			'0 actions checked, 0 differences, 1 request failed.',
		]);
		expect(code).toBe(1);
		expect(sent).toBeLessThan(64);
	} finally {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	}
}, 60_000);
