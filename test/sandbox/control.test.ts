// The control endpoints (for a sandbox in another process) and the log file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { SANDBOX_CONTACTS, SANDBOX_EVENTS, startSandbox } from '../../sandbox';
import { normalizeFaults } from '../../sandbox/faults';
import { fireEvent } from './http';
import { useSandboxPerTest } from '../helpers/sandboxPerTest';

const [ann, ben] = SANDBOX_CONTACTS;
const [webinarJoined, paymentReceived] = SANDBOX_EVENTS;

async function control(method: 'GET' | 'POST', route: string, body?: string) {
	const response = await fetch(`${sandbox().url}/__sandbox/${route}`, { method, body });
	return { status: response.status, json: await response.json() };
}

const sandbox = useSandboxPerTest();

test('GET fired and requests show the same records as fired() and requests()', async () => {
	await fireEvent(sandbox().url, {
		contact_id: ann.id,
		event: webinarJoined.id,
		options: { path: '/webinar' },
	});
	await fireEvent(sandbox().url, { email: 'nobody@example.com', event: webinarJoined.id });

	expect(await control('GET', 'fired')).toEqual({ status: 200, json: sandbox().fired() });
	expect(await control('GET', 'requests')).toEqual({ status: 200, json: sandbox().requests() });
	expect(sandbox().requests()).toHaveLength(2);
});

test('control requests are not API requests: not recorded, never faulted', async () => {
	sandbox().setFaults({ rate503: 1 });
	expect((await control('GET', 'requests')).status).toBe(200);
	expect(sandbox().requests()).toEqual([]);
});

test('POST faults replaces the fault settings and answers them in full', async () => {
	sandbox().setFaults({ latencyMs: 50, rate500: 0.5 });
	const answer = await control(
		'POST',
		'faults',
		JSON.stringify({ queue: ['429'], retryAfterSeconds: 3 }),
	);
	// In full: every setting left out is back at its default (latencyMs and rate500 no longer hold).
	expect(answer).toEqual({
		status: 200,
		json: { status: 'ok', faults: normalizeFaults({ queue: ['429'], retryAfterSeconds: 3 }) },
	});
	expect(answer.json).toMatchObject({ faults: { latencyMs: 0, rate500: 0 } });
	const faulted = await fireEvent(sandbox().url, { contact_id: ann.id, event: webinarJoined.id });
	expect([faulted.status, faulted.headers.get('retry-after')]).toEqual([429, '3']);
});

test.each([
	['not JSON', '{rate429: 1}'],
	['a rate out of range', '{"rate429": 2}'],
	['a JSON array', '[]'],
])('POST faults with %s answers 400 and changes nothing', async (_case, body) => {
	sandbox().setFaults({ queue: ['503'] });
	const answer = await control('POST', 'faults', body);
	expect(answer.status).toBe(400);
	expect(answer.json).toEqual({ status: 'error', message: expect.any(String) });
	expect(
		(await fireEvent(sandbox().url, { contact_id: ann.id, event: webinarJoined.id })).status,
	).toBe(503);
});

test('POST reset forgets the records and the fault queue', async () => {
	sandbox().setFaults({ queue: ['503', '503'] });
	await fireEvent(sandbox().url, { contact_id: ann.id, event: webinarJoined.id });
	expect(await control('POST', 'reset')).toEqual({ status: 200, json: { status: 'ok' } });
	expect(sandbox().requests()).toEqual([]);
	expect(
		(await fireEvent(sandbox().url, { contact_id: ann.id, event: webinarJoined.id })).status,
	).toBe(200);
});

test.each([
	['GET', '/'],
	['PUT', '/'],
	['POST', '/api'],
	['GET', '/__sandbox/unknown'],
	['POST', '/__sandbox/fired'],
	['POST', '/__sandbox/state'],
])('%s %s answers 404 JSON', async (method, route) => {
	const response = await fetch(`${sandbox().url}${route}`, { method });
	expect(response.status).toBe(404);
	expect(await response.json()).toEqual({ status: 'error', message: 'Not found' });
});

describe('logFile', () => {
	let folder: string;
	beforeEach(() => {
		folder = mkdtempSync(path.join(tmpdir(), 'platformly-sandbox-'));
	});
	afterEach(() => rmSync(folder, { recursive: true, force: true }));

	test('gets one JSON line per fired event, appended to what is there', async () => {
		const logFile = path.join(folder, 'fired.jsonl');
		const earlierRun = '{"seq":1}\n';
		writeFileSync(logFile, earlierRun);
		const logged = await startSandbox({ logFile });
		try {
			await fireEvent(logged.url, { contact_id: ann.id, event: webinarJoined.id });
			await fireEvent(logged.url, { contact_id: ann.id, event: 999 });
			await fireEvent(logged.url, {
				email: ben.email,
				event: paymentReceived.id,
				options: { path: '/paid' },
			});
		} finally {
			await logged.close();
		}
		const log = readFileSync(logFile, 'utf8');
		expect(log.startsWith(earlierRun)).toBe(true);
		const lines = log.slice(earlierRun.length).split('\n');
		expect(lines.pop()).toBe('');
		expect(lines.map((line) => JSON.parse(line))).toEqual(logged.fired());
		expect(lines).toHaveLength(2);
		expect(log).not.toContain(logged.apiKey);
	});

	test('a log file that cannot be written stops the start', async () => {
		await expect(
			startSandbox({ logFile: path.join(folder, 'missing', 'fired.jsonl') }),
		).rejects.toThrow(/ENOENT/);
	});
});
