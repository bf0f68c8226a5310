import { createHash } from 'node:crypto';

/**
 * What every execution of the node in this n8n process shares for one Platformly account: the
 * pause a 429 asked for, and the requests in flight. n8n loads a node's code once per process
 * (the main process, or each worker in queue mode), so this lives there and nowhere else: n8n has
 * no rate limit shared across executions, and without it 300 executions at once would open 300
 * requests and each back off from a 429 alone.
 */
export class AccountGate {
	private pausedUntil = 0;

	private inFlight = 0;

	/** Requests waiting for a slot, in the order they asked. */
	private readonly waiting: SlotRequest[] = [];

	/** Executions using the gate now; at 0 (and no pause left) the registry lets it go. */
	users = 0;

	constructor(private readonly now: () => number = Date.now) {}

	/** Holds every request of the account in this process until `ms` from now (never shortens). */
	pauseFor(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
	}

	/** When the pause Platformly asked for ends; in the past when there is none. */
	pauseEndsAt(): number {
		return this.pausedUntil;
	}

	pauseRemainingMs(): number {
		return Math.max(0, this.pausedUntil - this.now());
	}

	requestsInFlight(): number {
		return this.inFlight;
	}

	/**
	 * Waits until fewer than `limit` requests of the account are in flight in this process, then
	 * takes a slot, to be given back with `release`. Executions may ask with different limits
	 * (each its own Concurrency per Process): each waits for its own. Rejects, taking no slot, when
	 * `signal` aborts, so that a cancelled execution leaves the queue at once.
	 */
	async acquire(limit: number, signal?: AbortSignal): Promise<void> {
		signal?.throwIfAborted();
		// Whoever waits, waits because the slots in flight reach its limit: one that fits goes ahead.
		if (this.inFlight < limit) {
			this.inFlight++;
			return;
		}
		await new Promise<void>((resolve, reject) => {
			const request: SlotRequest = {
				limit,
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
			};
			const onAbort = () => {
				this.waiting.splice(this.waiting.indexOf(request), 1);
				reject(signal!.reason);
				// Another request behind this one may fit under its own limit now.
				this.grantWaiting();
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiting.push(request);
		});
	}

	release(): void {
		this.inFlight--;
		this.grantWaiting();
	}

	isIdle(): boolean {
		return (
			this.users === 0 &&
			this.inFlight === 0 &&
			this.waiting.length === 0 &&
			this.pauseRemainingMs() === 0
		);
	}

	/** Grants slots in asking order to every waiting request its limit now allows. */
	private grantWaiting(): void {
		for (let index = 0; index < this.waiting.length;) {
			const request = this.waiting[index];
			if (this.inFlight >= request.limit) {
				index++;
				continue;
			}
			this.waiting.splice(index, 1);
			this.inFlight++;
			request.grant();
		}
	}
}

interface SlotRequest {
	limit: number;
	grant(): void;
}

/**
 * An account is its Base URL and API key. The registry knows it only by a SHA-256 digest of the
 * two: the key is not kept in the clear in memory any longer than the credential itself is.
 */
export function accountKey(baseUrl: string, apiKey: unknown): string {
	return createHash('sha256')
		.update(`${baseUrl}\n${String(apiKey ?? '')}`)
		.digest('hex');
}

/** One execution's use of its account's gate; `leave` once the execution is done with it. */
export interface AccountGateLease {
	gate: AccountGate;
	leave(): void;
}

/**
 * The process's gates, one per account in use. A gate is let go once no execution uses it and no
 * pause is left; one let go while a pause was still running is swept at a later join.
 */
export class AccountGateRegistry {
	private readonly gates = new Map<string, AccountGate>();

	constructor(private readonly now: () => number = Date.now) {}

	join(account: string): AccountGateLease {
		this.sweep();
		let gate = this.gates.get(account);
		if (!gate) {
			gate = new AccountGate(this.now);
			this.gates.set(account, gate);
		}
		gate.users++;
		let left = false;
		return {
			gate,
			leave: () => {
				if (left) return;
				left = true;
				gate.users--;
				if (gate.isIdle()) this.gates.delete(account);
			},
		};
	}

	/** How many gates are held; for tests and the bench. */
	size(): number {
		return this.gates.size;
	}

	private sweep(): void {
		for (const [account, gate] of this.gates) if (gate.isIdle()) this.gates.delete(account);
	}
}

/** The registry of this n8n process. */
export const accountGates = new AccountGateRegistry();
