// Platformly's side of "HTTP post" automations: registering them, the posts an event fire or a new
// tag starts (bytes and all, against real local receivers), how each post's outcome is recorded,
// the in-flight bound, and what reset() and close() do to posts under way.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

import { SANDBOX_CONTACTS, SANDBOX_EVENTS, startSandbox } from '../../sandbox';
import type { AutomationSpec, FaultName, Sandbox } from '../../sandbox';
import { callAction, fireEvent } from './http';
import { refusingUrl, startReceiver } from './receiver';
import type { Answering, Receiver } from './receiver';
import { useSandboxPerTest } from '../helpers/sandboxPerTest';

const [ann, ben, , , zoe] = SANDBOX_CONTACTS;
const [webinarJoined, paymentReceived, formSubmitted] = SANDBOX_EVENTS;
const [customer, lead, vip] = [201, 202, 203];

const sandbox = useSandboxPerTest();

let receivers: Receiver[] = [];
async function receiver(answering?: Answering): Promise<Receiver> {
	const started = await startReceiver(answering);
	receivers.push(started);
	return started;
}
afterEach(async () => {
	await Promise.all(receivers.map((started) => started.close()));
	receivers = [];
});

/** A control request to the test's sandbox; `T` is the JSON answer's shape, for a test to read it. */
async function control<T = unknown>(method: 'GET' | 'POST', route: string, body?: string) {
	const response = await fetch(`${sandbox().url}/__sandbox/${route}`, { method, body });
	return { status: response.status, json: (await response.json()) as T };
}

const fire = (target: Sandbox, contact: { id: number }, event: { id: number }) =>
	fireEvent(target.url, { contact_id: contact.id, event: event.id });
/** Calls the action on the test's sandbox, then waits until the posts it started are done. */
async function actAndSettle(action: string, value: object): Promise<unknown> {
	const answer = await callAction(sandbox().url, action, value);
	await sandbox().deliveriesSettled();
	return answer;
}
const postedAutomationIds = () =>
	sandbox()
		.deliveries()
		.map(({ automationId }) => automationId);

describe('registering', () => {
	test('POST /__sandbox/automations answers the automation with ids from 1; GET and automations() list them', async () => {
		const posted = await control<{ automation: unknown }>(
			'POST',
			'automations',
			JSON.stringify({
				when: { event: webinarJoined.id },
				url: 'http://127.0.0.1:5678/webhook/abc?secret=s3cret',
				format: 'form',
			}),
		);
		expect(posted).toEqual({
			status: 200,
			json: {
				status: 'ok',
				automation: {
					id: 1,
					when: { event: webinarJoined.id },
					url: 'http://127.0.0.1:5678/webhook/abc?secret=s3cret',
					format: 'form',
				},
			},
		});
		const added = sandbox().addAutomation({
			when: { tag: lead },
			url: 'https://hooks.example.com/lead',
			format: 'json',
		});
		expect(added).toEqual({
			id: 2,
			when: { tag: lead },
			url: 'https://hooks.example.com/lead',
			format: 'json',
		});
		// A copy: changing what was returned changes nothing in the sandbox.
		added.url = 'http://elsewhere.example.com/';
		expect(await control('GET', 'automations')).toEqual({
			status: 200,
			json: [posted.json.automation, { ...added, url: 'https://hooks.example.com/lead' }],
		});
		expect(sandbox().automations()).toEqual((await control('GET', 'automations')).json);
	});

	test('an event made by add_event can start one once it exists', async () => {
		const spec: AutomationSpec = {
			when: { event: 900 },
			url: 'http://127.0.0.1:1/',
			format: 'form',
		};
		expect(() => sandbox().addAutomation(spec)).toThrow('when.event');
		await callAction(sandbox().url, 'add_event', {
			project_id: 1,
			action: 'trial_started',
			desc: 'Started a trial',
		});
		expect(sandbox().addAutomation(spec)).toMatchObject({ id: 1, when: { event: 900 } });
	});

	const valid = { when: { event: webinarJoined.id }, url: 'http://127.0.0.1:1/', format: 'form' };
	test.each([
		[
			'not an object',
			[valid],
			`an automation must be a JSON object, got ${JSON.stringify([valid])}`,
		],
		[
			'no when',
			{ url: valid.url, format: 'form' },
			'when must be {"event": <event id>} or {"tag": <tag id>}, got nothing',
		],
		[
			'when with both an event and a tag',
			{ ...valid, when: { event: webinarJoined.id, tag: customer } },
			`when must be {"event": <event id>} or {"tag": <tag id>}, got {"event":${webinarJoined.id},"tag":${customer}}`,
		],
		[
			'when naming something else',
			{ ...valid, when: { segment: 301 } },
			'when must be {"event": <event id>} or {"tag": <tag id>}, got {"segment":301}',
		],
		[
			'an unknown event',
			{ ...valid, when: { event: 999 } },
			"when.event must be the id of one of the sandbox's events, got 999",
		],
		[
			'an event id as a string',
			{ ...valid, when: { event: String(webinarJoined.id) } },
			`when.event must be the id of one of the sandbox's events, got "${webinarJoined.id}"`,
		],
		[
			'an unknown tag',
			{ ...valid, when: { tag: 999 } },
			"when.tag must be the id of one of the sandbox's tags, got 999",
		],
		[
			'no url',
			{ when: valid.when, format: 'form' },
			'url must be an absolute http: or https: URL, got nothing',
		],
		[
			'a relative url',
			{ ...valid, url: '/webhook/abc' },
			'url must be an absolute http: or https: URL, got "/webhook/abc"',
		],
		[
			'an ftp: url',
			{ ...valid, url: 'ftp://example.com/' },
			'url must be an absolute http: or https: URL, got "ftp://example.com/"',
		],
		[
			'no format',
			{ when: valid.when, url: valid.url },
			'format must be "form" or "json", got nothing',
		],
		[
			'an unknown format',
			{ ...valid, format: 'xml' },
			'format must be "form" or "json", got "xml"',
		],
		[
			'an unknown field',
			{ ...valid, retries: 3 },
			'retries is not an automation field (known: when, url, format)',
		],
	])(
		'%s: answers 400 naming it, addAutomation() throws the same, nothing is registered',
		async (_case, spec, message) => {
			expect(await control('POST', 'automations', JSON.stringify(spec))).toEqual({
				status: 400,
				json: { status: 'error', message },
			});
			// An Error to match: its message must be the same, not merely contain it.
			expect(() => sandbox().addAutomation(spec as AutomationSpec)).toThrow(new Error(message));
			expect(sandbox().automations()).toEqual([]);
		},
	);

	test('a body that is not JSON answers 400', async () => {
		const answer = await control('POST', 'automations', '{when: 1}');
		expect(answer).toEqual({
			status: 400,
			json: { status: 'error', message: expect.stringContaining('JSON') },
		});
	});

	test('startSandbox takes them too; reset() keeps those and forgets the ones added since', async () => {
		const atStart: AutomationSpec[] = [
			{ when: { event: webinarJoined.id }, url: 'http://127.0.0.1:1/a', format: 'form' },
			{ when: { tag: vip }, url: 'http://127.0.0.1:1/b', format: 'json' },
		];
		const own = await startSandbox({ automations: atStart });
		try {
			const started = atStart.map((spec, index) => ({ id: index + 1, ...spec }));
			expect(own.automations()).toEqual(started);
			own.addAutomation({ when: { tag: lead }, url: 'http://127.0.0.1:1/c', format: 'form' });
			own.reset();
			expect(own.automations()).toEqual(started);
			expect(
				own.addAutomation({ when: { tag: lead }, url: 'http://127.0.0.1:1/c', format: 'form' }).id,
			).toBe(3);
		} finally {
			await own.close();
		}
	});

	test('startSandbox refuses a bad one, naming its place, and a bad deliveryTimeoutMs, before listening', async () => {
		await expect(
			startSandbox({
				automations: [
					{ when: { event: webinarJoined.id }, url: 'http://127.0.0.1:1/', format: 'form' },
					{
						when: { event: webinarJoined.id },
						url: 'http://127.0.0.1:1/',
						format: 'xml' as 'form',
					},
				],
			}),
		).rejects.toThrow('automations[1].format must be "form" or "json", got "xml"');
		await expect(startSandbox({ deliveryTimeoutMs: 0 })).rejects.toThrow(
			'deliveryTimeoutMs must be a number of milliseconds, 1 or more, got 0',
		);
	});
});

describe('the posts, byte for byte', () => {
	test.each([
		[
			'form',
			'application/x-www-form-urlencoded',
			// "+" and "@" escaped, as form encoding wants them.
			'contactID=16&email=zoe.lee%2Bvip%40example.com',
		],
		['json', 'application/json', '{"contactID":16,"email":"zoe.lee+vip@example.com"}'],
	] as const)(
		'%s: one POST to the url, query and all, with only these headers and this body',
		async (format, contentType, body) => {
			const hook = await receiver();
			const url = `${hook.url}/webhook/abc?secret=s3cret`;
			sandbox().addAutomation({ when: { event: webinarJoined.id }, url, format });
			await fire(sandbox(), zoe, webinarJoined);
			await sandbox().deliveriesSettled();

			expect(hook.posts).toEqual([
				{
					method: 'POST',
					url: '/webhook/abc?secret=s3cret',
					headers: {
						host: hook.url.slice('http://'.length),
						'content-type': contentType,
						'content-length': String(Buffer.byteLength(body)),
						connection: 'close',
					},
					body,
				},
			]);
			const [delivery] = sandbox().deliveries();
			expect(delivery).toEqual({
				seq: 1,
				automationId: 1,
				url,
				format,
				contactId: zoe.id,
				email: zoe.email,
				at: expect.any(String),
				status: 200,
				error: null,
				durationMs: expect.any(Number),
			});
			expect(new Date(delivery.at).toISOString()).toBe(delivery.at);
			expect(delivery.at >= sandbox().requests()[0].at).toBe(true);
		},
	);
});

describe('what starts a post', () => {
	test('an event fired posts once for each automation of that event, and for no other', async () => {
		const hook = await receiver();
		const add = (event: { id: number }, format: 'form' | 'json') =>
			sandbox().addAutomation({ when: { event: event.id }, url: `${hook.url}/e`, format });
		add(webinarJoined, 'form');
		add(paymentReceived, 'json');
		add(webinarJoined, 'json');
		sandbox().addAutomation({ when: { tag: customer }, url: `${hook.url}/t`, format: 'form' });

		await fire(sandbox(), ben, webinarJoined);
		await sandbox().deliveriesSettled();
		expect(postedAutomationIds()).toEqual([1, 3]);

		await fire(sandbox(), ben, formSubmitted);
		await fireEvent(sandbox().url, { email: 'nobody@example.com', event: webinarJoined.id });
		await fireEvent(sandbox().url, { contact_id: ben.id, event: 999 });
		await sandbox().deliveriesSettled();
		expect(postedAutomationIds()).toEqual([1, 3]);

		await fire(sandbox(), ann, paymentReceived);
		await sandbox().deliveriesSettled();
		expect(postedAutomationIds()).toEqual([1, 3, 2]);
		expect(hook.posts).toHaveLength(3);
		expect(sandbox().deliveries()[2]).toMatchObject({ contactId: ann.id, email: ann.email });
	});

	describe('a tag added', () => {
		let hook: Receiver;
		beforeEach(async () => {
			hook = await receiver();
			for (const tag of [customer, lead, vip])
				sandbox().addAutomation({ when: { tag }, url: `${hook.url}/${tag}`, format: 'form' });
		});
		const postedTags = () => hook.posts.map(({ url }) => Number(url.slice(1)));

		test('by contact_tag_add posts for the tags the contact did not have, once', async () => {
			// Ann has the customer tag from the seed.
			await actAndSettle('contact_tag_add', { contact_id: ann.id, tag: `${customer},${lead}` });
			expect(postedTags()).toEqual([lead]);
			await actAndSettle('contact_tag_add', { contact_id: ann.id, tag: `${lead}` });
			expect(postedTags()).toEqual([lead]);
			expect(sandbox().deliveries()).toEqual([
				expect.objectContaining({ automationId: 2, contactId: ann.id, email: ann.email }),
			]);
		});

		test('by add_contact posts for the new contact', async () => {
			expect(
				await actAndSettle('add_contact', {
					project_id: 1,
					email: 'eve@example.com',
					tag: `${vip},${customer}`,
				}),
			).toMatchObject({ status: 'success', data: { cc_id: 1000 } });
			expect(postedTags()).toEqual([vip, customer]);
			expect(hook.posts[0].body).toBe('contactID=1000&email=eve%40example.com');
		});

		test('by update_contact posts only for the new tags, with the address it now has', async () => {
			await actAndSettle('update_contact', {
				project_id: 1,
				contact_id: ann.id,
				email: 'ann.archer@example.com',
				tag: `${customer},${vip}`,
			});
			expect(postedTags()).toEqual([vip]);
			expect(hook.posts[0].body).toBe(`contactID=${ann.id}&email=ann.archer%40example.com`);
		});

		test('by no refused action, and not by segments', async () => {
			expect(
				await actAndSettle('contact_tag_add', { contact_id: ben.id, tag: `${lead},999` }),
			).toEqual({ status: 'error', message: 'Tag Not Found: 999' });
			await actAndSettle('add_contact', { project_id: 1, email: ben.email, tag: `${lead}` });
			await actAndSettle('update_contact', { project_id: 1, contact_id: 999, tag: `${lead}` });
			await actAndSettle('contact_segment_add', { contact_id: ben.id, segment: '302' });
			expect(hook.posts).toEqual([]);
			expect(sandbox().deliveries()).toEqual([]);
		});
	});

	test.each([
		['500-after-fire', {}],
		['cut-off', {}],
		['trickle', { trickleMs: 1 }],
	] as const)('%s runs the action, so it posts', async (fault, settings) => {
		const hook = await receiver();
		sandbox().addAutomation({ when: { event: webinarJoined.id }, url: hook.url, format: 'json' });
		sandbox().addAutomation({ when: { tag: lead }, url: hook.url, format: 'json' });
		sandbox().setFaults({ ...settings, queue: [fault, fault] });
		await fire(sandbox(), ben, webinarJoined).catch(() => undefined);
		await callAction(sandbox().url, 'contact_tag_add', {
			contact_id: ben.id,
			tag: `${lead}`,
		}).catch(() => undefined);
		await sandbox().deliveriesSettled();
		expect(postedAutomationIds()).toEqual([1, 2]);
		expect(hook.posts).toHaveLength(2);
	});

	test.each(['429', '503', '500', 'error'] as FaultName[])(
		'%s does not run the action, so it posts nothing',
		async (fault) => {
			const hook = await receiver();
			sandbox().addAutomation({ when: { event: webinarJoined.id }, url: hook.url, format: 'form' });
			sandbox().setFaults({ queue: [fault] });
			expect((await fire(sandbox(), ben, webinarJoined)).text).not.toContain('processed');
			await sandbox().deliveriesSettled();
			expect(sandbox().deliveries()).toEqual([]);
			expect(hook.posts).toEqual([]);
		},
	);

	test('the post starts only once the answer is written, and never holds it up', async () => {
		const hook = await receiver('hold');
		sandbox().addAutomation({ when: { event: webinarJoined.id }, url: hook.url, format: 'form' });
		sandbox().setFaults({ latencyMs: 200 });
		expect((await fire(sandbox(), ben, webinarJoined)).status).toBe(200);
		await hook.until(() => hook.open() === 1);
		const [delivery] = sandbox().deliveries();
		expect(Date.parse(delivery.at) - Date.parse(sandbox().requests()[0].at)).toBeGreaterThanOrEqual(
			195,
		);
		// Under way: no answer yet, so the record is not complete.
		expect(delivery).toMatchObject({ status: null, error: null, durationMs: null });

		hook.release();
		await sandbox().deliveriesSettled();
		expect(sandbox().deliveries()[0]).toMatchObject({ status: 200, error: null });
	});
});

describe('how each post went', () => {
	test('a receiver answering 401 is recorded with status 401 and no error, and not tried again', async () => {
		const hook = await receiver(401);
		sandbox().addAutomation({ when: { event: webinarJoined.id }, url: hook.url, format: 'form' });
		await fire(sandbox(), ben, webinarJoined);
		await sandbox().deliveriesSettled();
		expect(sandbox().deliveries()).toEqual([
			expect.objectContaining({ status: 401, error: null, durationMs: expect.any(Number) }),
		]);
		expect(hook.posts).toHaveLength(1);
	});

	test('a refused connection is recorded with error ECONNREFUSED', async () => {
		sandbox().addAutomation({
			when: { event: webinarJoined.id },
			url: await refusingUrl(),
			format: 'form',
		});
		await fire(sandbox(), ben, webinarJoined);
		await sandbox().deliveriesSettled();
		expect(sandbox().deliveries()).toEqual([
			expect.objectContaining({ status: null, error: 'ECONNREFUSED' }),
		]);
	});

	test('a silent receiver is cut after deliveryTimeoutMs, with error timeout', async () => {
		const hook = await receiver('silent');
		const own = await startSandbox({
			deliveryTimeoutMs: 200,
			automations: [{ when: { event: webinarJoined.id }, url: hook.url, format: 'form' }],
		});
		try {
			await fire(own, ben, webinarJoined);
			await own.deliveriesSettled();
			const [delivery] = own.deliveries();
			expect(delivery).toMatchObject({ status: null, error: 'timeout' });
			expect(delivery.durationMs).toBeGreaterThanOrEqual(195);
			expect(delivery.durationMs).toBeLessThan(1_000);
			await hook.until(() => hook.open() === 0);
			expect(hook.posts).toHaveLength(1);
		} finally {
			await own.close();
		}
	});

	test('GET /__sandbox/deliveries answers the plain list; ?settled=1 waits for the posts under way', async () => {
		const hook = await receiver('hold');
		sandbox().addAutomation({ when: { event: webinarJoined.id }, url: hook.url, format: 'form' });
		await fire(sandbox(), ben, webinarJoined);
		await hook.until(() => hook.open() === 1);
		expect(await control('GET', 'deliveries')).toEqual({
			status: 200,
			json: sandbox().deliveries(),
		});

		const settled = control<{ deliveries: unknown }>('GET', 'deliveries?settled=1');
		hook.release();
		expect(await settled).toEqual({
			status: 200,
			json: { settled: true, deliveries: [expect.objectContaining({ status: 200 })] },
		});
		expect((await settled).json.deliveries).toEqual(sandbox().deliveries());
		expect(await control('GET', 'deliveries?settled=1')).toEqual({
			status: 200,
			json: { settled: true, deliveries: sandbox().deliveries() },
		});
		expect(await control('GET', 'deliveries?settled=0')).toEqual({
			status: 200,
			json: sandbox().deliveries(),
		});
		expect(await control('GET', 'deliveries?settled=yes')).toEqual({
			status: 400,
			json: { status: 'error', message: 'settled must be 1 or 0, got "yes"' },
		});
	});

	test('?settled=1 gives up after 10 s, answering what there is with settled false', async () => {
		const hook = await receiver('silent');
		const own = await startSandbox({
			deliveryTimeoutMs: 60_000,
			automations: [{ when: { event: webinarJoined.id }, url: hook.url, format: 'form' }],
		});
		try {
			await fire(own, ben, webinarJoined);
			const started = Date.now();
			const response = await fetch(`${own.url}/__sandbox/deliveries?settled=1`);
			expect(Date.now() - started).toBeGreaterThanOrEqual(9_900);
			expect(await response.json()).toEqual({
				settled: false,
				deliveries: [expect.objectContaining({ status: null, error: null, durationMs: null })],
			});
		} finally {
			await own.close();
		}
		expect(own.deliveries()).toEqual([
			expect.objectContaining({ status: null, error: 'sandbox closed' }),
		]);
	}, 20_000);
});

test('at most 20 posts are in flight at once; the rest wait their turn, in order', async () => {
	const hook = await receiver('hold');
	for (let i = 0; i < 25; i++)
		sandbox().addAutomation({ when: { event: webinarJoined.id }, url: hook.url, format: 'form' });
	await fire(sandbox(), ben, webinarJoined);
	await hook.until(() => hook.open() === 20);
	// Give any 21st post the time to arrive, were it sent.
	await new Promise((resolve) => setTimeout(resolve, 200));
	expect([hook.open(), hook.posts.length, sandbox().deliveries().length]).toEqual([20, 20, 20]);

	hook.release();
	await sandbox().deliveriesSettled();
	expect(hook.maxOpen()).toBe(20);
	expect(hook.posts).toHaveLength(25);
	const deliveries = sandbox().deliveries();
	expect(deliveries.map(({ seq, automationId }) => [seq, automationId])).toEqual(
		Array.from({ length: 25 }, (_, i) => [i + 1, i + 1]),
	);
	expect(deliveries.every(({ status }) => status === 200)).toBe(true);
});

describe('reset() and close()', () => {
	test('reset() forgets the automations and deliveries and cuts the posts under way; POST /__sandbox/reset too', async () => {
		const hook = await receiver('hold');
		const add = () =>
			sandbox().addAutomation({ when: { event: webinarJoined.id }, url: hook.url, format: 'form' });
		add();
		await fire(sandbox(), ben, webinarJoined);
		await hook.until(() => hook.open() === 1);

		sandbox().reset();
		expect(sandbox().automations()).toEqual([]);
		expect(sandbox().deliveries()).toEqual([]);
		await hook.until(() => hook.open() === 0);
		await sandbox().deliveriesSettled();

		await fire(sandbox(), ben, webinarJoined);
		await sandbox().deliveriesSettled();
		expect(hook.posts).toHaveLength(1);

		add();
		await fire(sandbox(), ben, webinarJoined);
		await hook.until(() => hook.open() === 1);
		expect(await control('POST', 'reset')).toEqual({ status: 200, json: { status: 'ok' } });
		expect(await control('GET', 'automations')).toEqual({ status: 200, json: [] });
		expect(await control('GET', 'deliveries')).toEqual({ status: 200, json: [] });
		await hook.until(() => hook.open() === 0);
	});

	test('close() cuts the posts in flight and queued, promptly, recording each as sandbox closed', async () => {
		const hook = await receiver('hold');
		const own = await startSandbox({
			automations: Array.from({ length: 22 }, () => ({
				when: { event: webinarJoined.id },
				url: hook.url,
				format: 'json' as const,
			})),
		});
		await fire(own, ben, webinarJoined);
		await hook.until(() => hook.open() === 20);

		const started = Date.now();
		await own.close();
		expect(Date.now() - started).toBeLessThan(500);
		await own.deliveriesSettled();
		const deliveries = own.deliveries();
		expect(deliveries.map(({ seq }) => seq)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
		expect(
			deliveries.every(({ status, error }) => status === null && error === 'sandbox closed'),
		).toBe(true);
		// The two never started took no time.
		expect(deliveries.slice(20).map(({ durationMs }) => durationMs)).toEqual([0, 0]);
		await hook.until(() => hook.open() === 0);
		expect(hook.posts).toHaveLength(20);
	});

	test('no timer or socket of a post keeps a closed sandbox from exiting', async () => {
		const hook = await receiver('silent');
		const script = `
			const { startSandbox } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'sandbox'))});
			(async () => {
				const sandbox = await startSandbox({
					deliveryTimeoutMs: 60000,
					automations: [{ when: { event: ${webinarJoined.id} }, url: process.argv[1], format: 'form' }],
				});
				const fired = await fetch(sandbox.url + '/', {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({
						api_key: sandbox.apiKey,
						action: 'contact_event_fire',
						value: JSON.stringify({ contact_id: ${ben.id}, event: ${webinarJoined.id} }),
					}),
				});
				await fired.text();
				// The settle wait's timer is running too when close() comes.
				fetch(sandbox.url + '/__sandbox/deliveries?settled=1').catch(() => undefined);
				await new Promise((resolve) => setTimeout(resolve, 100));
				await sandbox.close();
				process.stdout.write(JSON.stringify(sandbox.deliveries()));
			})();
		`;
		const child = spawn(process.execPath, ['-e', script, hook.url], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		const gaveUp = setTimeout(() => child.kill(), 8_000);
		const [exitCode, signal] = await once(child, 'exit');
		clearTimeout(gaveUp);
		expect([exitCode, signal]).toEqual([0, null]);
		const [delivery] = JSON.parse(stdout);
		expect(delivery).toMatchObject({ status: null, error: 'sandbox closed' });
		// Cut in flight, not before it started: its socket was open when close() came.
		expect(delivery.durationMs).toBeGreaterThanOrEqual(95);
	}, 15_000);
});
