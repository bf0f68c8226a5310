import type { INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { NUMBER_OPTION_RANGES, optionsProperty } from '../../nodes/Platformly/options';
import { runPlatformly } from '../helpers/n8nRuntime';
import { mockPlatformly, resetNetwork, SUCCESS_ANSWER } from '../helpers/platformlyMock';

afterEach(resetNetwork);

const fireWith = (options: INodeParameters): INodeParameters => ({
	resource: 'contact',
	operation: 'fireEvent',
	email: 'ann@example.com',
	eventId: 101,
	options,
});

async function optionError(options: INodeParameters) {
	const { requests } = mockPlatformly();
	const error = await runPlatformly({ items: [{}, {}], parameters: fireWith(options) }).then(
		() => undefined,
		(thrown: unknown) => thrown,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	expect((error as NodeOperationError).description).toBe(
		"Correct it in the node's Options. Nothing was sent to Platformly.",
	);
	expect(requests).toEqual([]);
	return (error as NodeOperationError).message;
}

describe('numeric options are read strictly, before anything is sent', () => {
	test.each<[string, unknown, string]>([
		['concurrency', 'abc', 'Concurrency must be a whole number from 1 to 100, got "abc"'],
		['concurrency', '', 'Concurrency must be a whole number from 1 to 100, got ""'],
		['concurrency', null, 'Concurrency must be a whole number from 1 to 100, got null'],
		['concurrency', 0, 'Concurrency must be a whole number from 1 to 100, got 0'],
		['concurrency', 101, 'Concurrency must be a whole number from 1 to 100, got 101'],
		['concurrency', 2.5, 'Concurrency must be a whole number from 1 to 100, got 2.5'],
		['concurrency', true, 'Concurrency must be a whole number from 1 to 100, got true'],
		[
			'processConcurrency',
			'many',
			'Concurrency per Process must be a whole number from 1 to 1,000, got "many"',
		],
		[
			'processConcurrency',
			'',
			'Concurrency per Process must be a whole number from 1 to 1,000, got ""',
		],
		[
			'processConcurrency',
			0,
			'Concurrency per Process must be a whole number from 1 to 1,000, got 0',
		],
		[
			'processConcurrency',
			1_000_000,
			'Concurrency per Process must be a whole number from 1 to 1,000, got 1000000',
		],
		[
			'processConcurrency',
			'={{ $json.missing }}',
			'Concurrency per Process must be a whole number from 1 to 1,000, got nothing',
		],
		[
			'maxRequestsPerSecond',
			'fast',
			'Max Requests per Second must be a number from 0 to 1,000, got "fast"',
		],
		[
			'maxRequestsPerSecond',
			-1,
			'Max Requests per Second must be a number from 0 to 1,000, got -1',
		],
		['maxRetries', 'many', 'Max Retries must be a whole number from 0 to 20, got "many"'],
		['maxRetries', 21, 'Max Retries must be a whole number from 0 to 20, got 21'],
		[
			'maxRetryWait',
			'1 minute',
			'Max Retry Wait must be a whole number from 0 to 3,600,000, got "1 minute"',
		],
		[
			'maxRetryWait',
			3_600_001,
			'Max Retry Wait must be a whole number from 0 to 3,600,000, got 3600001',
		],
		['timeout', 'slow', 'Timeout must be a whole number from 1 to 600,000, got "slow"'],
		['timeout', 0, 'Timeout must be a whole number from 1 to 600,000, got 0'],
		[
			'timeout',
			Number.POSITIVE_INFINITY,
			'Timeout must be a whole number from 1 to 600,000, got Infinity',
		],
		['retryUncertain', 'yes', 'Retry Uncertain Failures must be true or false, got "yes"'],
	])('%s = %p', async (name, value, message) => {
		expect(await optionError({ [name]: value } as INodeParameters)).toBe(message);
	});

	test('an expression that resolves to nothing is an error too, not "no limit"', async () => {
		expect(await optionError({ concurrency: '={{ $json.missing }}' })).toBe(
			'Concurrency must be a whole number from 1 to 100, got nothing',
		);
	});

	test('numbers given as text, as expressions often give them, are taken', async () => {
		const { requests } = mockPlatformly();

		const output = await runPlatformly({
			parameters: fireWith({
				concurrency: ' 3 ',
				maxRequestsPerSecond: '2.5',
				maxRetries: '0',
				timeout: '5000',
				retryUncertain: 'false',
			}),
		});

		expect(output).toEqual([{ json: SUCCESS_ANSWER, pairedItem: { item: 0 } }]);
		expect(requests).toHaveLength(1);
	});

	test('the editor offers the same ranges the node enforces', () => {
		const ranges = Object.fromEntries(
			(
				optionsProperty.options as Array<{
					name: string;
					typeOptions?: { minValue?: number; maxValue?: number };
				}>
			)
				.filter(({ name }) => name in NUMBER_OPTION_RANGES)
				.map(({ name, typeOptions }) => [name, [typeOptions?.minValue, typeOptions?.maxValue]]),
		);
		expect(ranges).toEqual({
			concurrency: [1, 100],
			processConcurrency: [1, 1000],
			maxRequestsPerSecond: [0, 1000],
			maxRetries: [0, 20],
			maxRetryWait: [0, 3_600_000],
			timeout: [1, 600_000],
		});
	});
});
