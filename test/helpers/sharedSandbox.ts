import { accountGates, accountKey } from '../../nodes/Platformly/transport/accountGate';
import { checkBaseUrl } from '../../nodes/Platformly/transport/credential';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';
import { expectEventually } from './eventually';

/**
 * One sandbox for the whole test file, started before its first test and closed after its last,
 * with its faults and records cleared after each test. Returns the sandbox of the running test.
 *
 * The node's runs in one test file share one account (the sandbox's URL and key), and a pause
 * Platformly asked for belongs to the account, not to the run that met it. So after each test the
 * pauses it caused are waited out: no test starts inside another's pause.
 */
export function useSharedSandbox(): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterEach(async () => {
		if (sandbox) await expectEventually(() => accountPauseLeft(sandbox!), 0, PAUSE_LEFT_BEHIND_MS);
		sandbox?.setFaults({});
		sandbox?.reset();
	});
	afterAll(() => sandbox?.close());
	return () => {
		if (!sandbox) throw new Error('The shared sandbox is used outside a test');
		return sandbox;
	};
}

/** The longest pause a test may leave behind (its faults' Retry-After). */
const PAUSE_LEFT_BEHIND_MS = 3_000;

/** What is left of the pause of the sandbox's account, as the next run would find it. */
export function accountPauseLeft({ url, apiKey }: Sandbox): number {
	const checked = checkBaseUrl(url);
	if (!checked.ok) throw new Error(checked.problem);
	const lease = accountGates.join(accountKey(checked.address.normalized, apiKey));
	const left = lease.gate.pauseRemainingMs();
	lease.leave();
	return left;
}
