import * as workflow from 'n8n-workflow';

// The waits of a request's life: sleeping that a cancelled execution cuts short, and a deadline.

export type Sleep = (ms: number) => Promise<void>;

type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * A wait that ends early, by rejecting, once `signal` aborts. n8n 2.x takes the signal in
 * `sleep`; n8n 1.x in `sleepWithAbort`, its `sleep` ignoring a second argument.
 */
export const abortableSleep: AbortableSleep = (() => {
	const library = workflow as unknown as { sleepWithAbort?: AbortableSleep; sleep: AbortableSleep };
	return library.sleepWithAbort ?? library.sleep;
})();

/** A wait that ends early, by rejecting, when the execution is cancelled. */
export function cancellableSleep(signal: AbortSignal | undefined): Sleep {
	return async (ms) => {
		signal?.throwIfAborted();
		if (ms > 0) await abortableSleep(ms, signal);
	};
}

/**
 * Runs `work` with a deadline: resolves to its result, or to undefined once `ms` have passed.
 * At the deadline `expired` aborts, so that `work` stops reading; n8n's helpers replace a
 * request's own abort signal with the execution's, so a request still waiting for its headers
 * ends by its socket timeout, and its answer, if one comes, is dropped unread.
 */
export async function withinDeadline<T>(
	ms: number,
	work: (expired: AbortSignal) => Promise<T>,
): Promise<T | undefined> {
	const expired = new AbortController();
	const finished = new AbortController();
	const deadline = abortableSleep(ms, finished.signal).then(
		() => expired.abort(),
		() => undefined,
	);
	try {
		return await Promise.race([work(expired.signal), deadline.then(() => undefined)]);
	} finally {
		finished.abort();
	}
}
