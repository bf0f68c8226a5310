/**
 * Polls `read` until it gives `expected`, for what a server records once a client has left (the
 * sandbox completes a trickle's outcome when it sees the connection close).
 */
export async function expectEventually(
	read: () => unknown,
	expected: unknown,
	timeoutMs = 2_000,
): Promise<void> {
	const started = Date.now();
	while (read() !== expected && Date.now() - started < timeoutMs) {
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	expect(read()).toBe(expected);
}
