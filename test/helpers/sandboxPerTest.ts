import { randomBytes } from 'node:crypto';

import { accountGates, accountKey } from '../../nodes/Platformly/transport/accountGate';
import { checkBaseUrl } from '../../nodes/Platformly/transport/credential';
import { startSandbox } from '../../sandbox';
import type { Sandbox } from '../../sandbox';

/**
 * A sandbox of its own for each test of the file, started before it and closed after it. Returns
 * the sandbox of the running test.
 *
 * The node's runs share what they learn about an account (its URL and key) for the whole process:
 * the pause a 429 asked for and the pace learned from 429s. With `keyPerTest`, each test's sandbox
 * expects a key of its own, so that with its own port each test is an account of its own (a port
 * can come round again), and no test starts inside another's pause or at another's pace. Without
 * it, the sandbox expects its usual key (the sandbox's own tests send that one).
 */
export function useSandboxPerTest({ keyPerTest = false } = {}): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeEach(async () => {
		sandbox = await startSandbox(keyPerTest ? { apiKey: randomBytes(16).toString('hex') } : {});
	});
	afterEach(async () => {
		await sandbox?.close();
		sandbox = undefined;
	});
	return () => {
		if (!sandbox) throw new Error('The sandbox is used outside a test');
		return sandbox;
	};
}

/** What is left of the pause of the sandbox's account, as the next run would find it. */
export function accountPauseLeft({ url, apiKey }: Sandbox): number {
	const checked = checkBaseUrl(url);
	if (!checked.ok) throw new Error(checked.problem);
	const lease = accountGates.join(accountKey(checked.address.normalized, apiKey));
	const left = lease.gate.pauseRemainingMs();
	lease.leave();
	return left;
}
