import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { runPlatformly } from '../helpers/n8nRuntime';
import { useSandboxPerTest } from '../helpers/sandboxPerTest';
import { expectEventually } from '../helpers/eventually';

/**
 * Servers that answer, but not as they should: slowly, one byte at a time, or only half. The
 * sandbox plays them (its 'trickle' and 'cut-off' faults run the action first, as a real server
 * would have, then misbehave on the way back).
 */
const sandbox = useSandboxPerTest({ keyPerTest: true });

const credentials = () => ({ apiKey: sandbox().apiKey, baseUrl: sandbox().url });

const fireForAnn = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'contact',
	operation: 'fireEvent',
	email: 'ann@example.com',
	eventId: 101,
	options: { maxRetries: 0, ...options },
});

async function failureOf(parameters: INodeParameters): Promise<NodeApiError> {
	const error = await runPlatformly({ parameters, credentials: credentials() }).then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	expect(error).toBeInstanceOf(NodeApiError);
	return error as NodeApiError;
}

describe('Timeout is a deadline for the whole request', () => {
	test('an answer trickling in a byte at a time fails at the Timeout, and the node hangs up', async () => {
		// The success answer is about 60 bytes: 30 s at 500 ms a byte, against a Timeout of 1 s.
		sandbox().setFaults({ queue: ['trickle'], trickleMs: 500 });

		const error = await failureOf(fireForAnn({ timeout: 1_000 }));

		expect(error.message).toBe('Platformly sent no complete answer within the timeout of 1 s');
		expect(error.description).toBe(
			'The request was sent. Platformly may already have made the change (fired the event, added the note): ' +
				'check there before sending it again. Raise the Timeout option if Platformly is slow.',
		);
		// The event did fire: the answer was what came late.
		expect(
			sandbox()
				.fired()
				.map(({ email }) => email),
		).toEqual(['ann@example.com']);
		await expectEventually(() => sandbox().requests()[0].outcome, 'fault:trickle:client-hung-up');
	});

	test('for a read, the message says nothing was changed', async () => {
		sandbox().setFaults({ queue: ['trickle'], trickleMs: 500 });

		const error = await failureOf({
			resource: 'contact',
			operation: 'get',
			email: 'ann@example.com',
			options: { maxRetries: 0, timeout: 1_000 },
		});

		expect(error.description).toBe(
			'The request was sent. This operation only reads, so nothing was changed. Raise the Timeout option if Platformly is slow.',
		);
	});

	test('an answer that trickles but ends within the Timeout is read whole', async () => {
		sandbox().setFaults({ queue: ['trickle'], trickleMs: 1 });

		const output = await runPlatformly({
			parameters: fireForAnn({ timeout: 10_000 }),
			credentials: credentials(),
		});

		expect(output).toEqual([
			{
				json: { status: 'success', message: 'The action has been processed' },
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('a connection cut in the middle of the answer', () => {
	test("is worded by the node, not replaced by n8n's generic ECONNRESET text, and says the event may have fired", async () => {
		sandbox().setFaults({ queue: ['cut-off'] });

		const error = await failureOf(fireForAnn());

		expect(error.message).toBe(
			`The connection to Platformly at ${sandbox().url} broke before a complete answer came (ECONNRESET)`,
		);
		expect(error.description).toBe(
			'Platformly may already have made the change (fired the event, added the note): check there before sending it again.',
		);
		expect(sandbox().fired()).toHaveLength(1);
	});

	test('is not retried for an operation that changes something, unless the user allows it', async () => {
		sandbox().setFaults({ queue: ['cut-off'] });
		await failureOf(fireForAnn({ maxRetries: 5 }));
		expect(sandbox().requests()).toHaveLength(1);

		sandbox().setFaults({ queue: ['cut-off'] });
		await runPlatformly({
			parameters: fireForAnn({ maxRetries: 5, retryUncertain: true }),
			credentials: credentials(),
		});
		expect(sandbox().requests()).toHaveLength(3);
	});
});
