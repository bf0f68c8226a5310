// How many API requests the sandbox holds open at once: inFlight() and GET /__sandbox/in-flight,
// which tests of concurrency read, in this process or from another.
import { SANDBOX_CONTACTS, SANDBOX_EVENTS, startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { fireEvent } from './http';

const [ann] = SANDBOX_CONTACTS;
const [webinarJoined] = SANDBOX_EVENTS;

// Each test has a sandbox of its own: a hanging request would otherwise still be in flight in the
// next test. close() cuts what is left.
let sandbox: Sandbox;
beforeEach(async () => {
	sandbox = await startSandbox();
});
afterEach(() => sandbox.close());

/** Sends a request the sandbox is told to hang, and waits until it has arrived. */
async function hangingRequest(signal?: AbortSignal): Promise<void> {
	const arrived = sandbox.requests().length + 1;
	sandbox.setFaults({ queue: ['hang'] });
	fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id }, { signal }).catch(
		() => undefined,
	);
	await until(() => sandbox.requests().length === arrived);
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error('Timed out waiting for the sandbox');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

async function inFlightOverHttp(): Promise<unknown> {
	const response = await fetch(`${sandbox.url}/__sandbox/in-flight`);
	expect(response.status).toBe(200);
	return response.json();
}

test('a fresh sandbox has nothing in flight', async () => {
	expect(sandbox.inFlight()).toEqual({ now: 0, max: 0 });
	expect(await inFlightOverHttp()).toEqual({ now: 0, max: 0 });
});

test('counts requests from arrival until answered or cut, hanging and slow ones alike, and keeps the most at once', async () => {
	const hangUp = new AbortController();
	await hangingRequest(hangUp.signal);
	await hangingRequest(hangUp.signal);
	expect(sandbox.inFlight()).toEqual({ now: 2, max: 2 });

	sandbox.setFaults({ latencyMs: 300 });
	const slow = fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
	await until(() => sandbox.requests().length === 3);
	expect(sandbox.inFlight()).toEqual({ now: 3, max: 3 });
	// Counted out once the answer is written: before the client has it.
	expect((await slow).status).toBe(200);
	expect(sandbox.inFlight()).toEqual({ now: 2, max: 3 });

	hangUp.abort();
	await until(() => sandbox.inFlight().now === 0);
	expect(sandbox.inFlight()).toEqual({ now: 0, max: 3 });
});

test('requests answered one after another are never more than one in flight', async () => {
	for (let i = 0; i < 5; i++)
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
	expect(sandbox.inFlight()).toEqual({ now: 0, max: 1 });
});

test('reset() starts the maximum again from the requests still open; POST /__sandbox/reset too', async () => {
	const hangUp = new AbortController();
	await hangingRequest(hangUp.signal);
	await hangingRequest();
	await hangingRequest();
	hangUp.abort();
	await until(() => sandbox.inFlight().now === 2);
	expect(sandbox.inFlight()).toEqual({ now: 2, max: 3 });

	sandbox.reset();
	expect(sandbox.inFlight()).toEqual({ now: 2, max: 2 });

	await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
	expect(sandbox.inFlight()).toEqual({ now: 2, max: 3 });
	expect((await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
	expect(sandbox.inFlight()).toEqual({ now: 2, max: 2 });
});

test('GET /__sandbox/in-flight answers what inFlight() returns; control requests and unknown routes are not counted', async () => {
	await hangingRequest();
	await hangingRequest();
	expect((await fetch(`${sandbox.url}/`)).status).toBe(404);
	expect((await fetch(`${sandbox.url}/__sandbox/requests`)).status).toBe(200);

	expect(await inFlightOverHttp()).toEqual({ now: 2, max: 2 });
	expect(sandbox.inFlight()).toEqual({ now: 2, max: 2 });
});

test('close() cuts the hanging requests, and they are in flight no more', async () => {
	await hangingRequest();
	await sandbox.close();
	await until(() => sandbox.inFlight().now === 0);
	expect(sandbox.inFlight()).toEqual({ now: 0, max: 1 });
});

describe('the in-flight timeline', () => {
	test('a fresh sandbox starts it at 0; every arrival and every end adds the count after it, in time order', async () => {
		const started = Date.now();
		expect(sandbox.inFlightTimeline()).toEqual({
			changes: [{ at: expect.any(Number), inFlight: 0 }],
			dropped: 0,
		});
		const hangUp = new AbortController();
		await hangingRequest(hangUp.signal);
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
		hangUp.abort();
		await until(() => sandbox.inFlight().now === 0);

		const { changes, dropped } = sandbox.inFlightTimeline();
		expect(dropped).toBe(0);
		expect(changes.map(({ inFlight }) => inFlight)).toEqual([0, 1, 2, 1, 0]);
		const times = changes.map(({ at }) => at);
		expect(times).toEqual([...times].sort((a, b) => a - b));
		expect(times[1]).toBeGreaterThanOrEqual(started);
		expect(times[4]).toBeLessThanOrEqual(Date.now());
	});

	test('GET /__sandbox/in-flight/timeline answers what inFlightTimeline() returns', async () => {
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
		const response = await fetch(`${sandbox.url}/__sandbox/in-flight/timeline`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual(sandbox.inFlightTimeline());
		expect(sandbox.inFlightTimeline().changes).toHaveLength(3);
	});

	test('keeps at most inFlightTimelineLimit changes, the latest, and counts those dropped', async () => {
		const small = await startSandbox({ inFlightTimelineLimit: 10 });
		try {
			for (let i = 0; i < 8; i++)
				await fireEvent(small.url, { contact_id: ann.id, event: webinarJoined.id });
			// 1 start entry + 16 changes, of which the oldest went in steps of at least a tenth.
			const { changes, dropped } = small.inFlightTimeline();
			expect(changes.length).toBeLessThanOrEqual(10);
			expect(changes.length + dropped).toBe(17);
			expect(changes.at(-1)).toEqual({ at: expect.any(Number), inFlight: 0 });
		} finally {
			await small.close();
		}
	});

	test('startSandbox refuses a limit that is not a whole number of 1 or more', async () => {
		await expect(startSandbox({ inFlightTimelineLimit: 0 })).rejects.toThrow(
			'inFlightTimelineLimit must be a whole number, 1 or more, got 0',
		);
	});

	test('reset() starts it again from the requests still open', async () => {
		await hangingRequest();
		await fireEvent(sandbox.url, { contact_id: ann.id, event: webinarJoined.id });
		sandbox.reset();
		expect(sandbox.inFlightTimeline()).toEqual({
			changes: [{ at: expect.any(Number), inFlight: 1 }],
			dropped: 0,
		});
	});
});
