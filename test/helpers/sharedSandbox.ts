import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';

/**
 * One sandbox for the whole test file, started before its first test and closed after its last,
 * with its faults and records cleared after each test. Returns the sandbox of the running test.
 */
export function useSharedSandbox(): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterEach(() => {
		sandbox?.setFaults({});
		sandbox?.reset();
	});
	afterAll(() => sandbox?.close());
	return () => {
		if (!sandbox) throw new Error('The shared sandbox is used outside a test');
		return sandbox;
	};
}
