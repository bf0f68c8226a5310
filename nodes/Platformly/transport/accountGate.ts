import { createHash } from 'node:crypto';

import { AccountPace } from './accountPace';

/**
 * What every execution of the node in this n8n process shares for one Platformly account: the
 * pause a 429 asked for, the pace learned from 429s, and the requests in flight. n8n loads a node's
 * code once per process (the main process, or each worker in queue mode), so this lives there and
 * nowhere else: n8n has no rate limit shared across executions, and without it 300 executions at
 * once would open 300 requests and each back off from a 429 alone.
 */
export class AccountGate {
	/** The pace Platformly accepts from the account, learned from its 429s. */
	readonly pace: AccountPace;

	private pausedUntil = 0;

	private inFlight = 0;

	/** The runs using the gate now; with none left (and no pause) the registry lets it go. */
	private readonly runs = new Set<RunSlots>();

	/** Numbers the requests for slots in the order they asked. */
	private asked = 0;

	constructor(private readonly now: () => number = Date.now) {
		this.pace = new AccountPace(now);
	}

	/** Holds every request of the account in this process until `ms` from now (never shortens). */
	pauseFor(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
		this.pace.restartAt(this.pausedUntil);
	}

	/** When the pause Platformly asked for ends; in the past when there is none. */
	pauseEndsAt(): number {
		return this.pausedUntil;
	}

	pauseRemainingMs(): number {
		return Math.max(0, this.pausedUntil - this.now());
	}

	/** Adds a run; its requests take and give back slots through what this returns. */
	enter(): RunSlots {
		const run: RunSlots = { waiting: [], inFlight: 0 };
		this.runs.add(run);
		return run;
	}

	exit(run: RunSlots): void {
		this.runs.delete(run);
	}

	/**
	 * Waits until `run` may have one more request in flight, then takes a slot, to be given back
	 * with `release`. A request goes out once fewer than `limit` (the Concurrency per Process of
	 * its run) of the account's requests are in flight and no run with fewer requests in flight,
	 * or as few but asking earlier, is waiting: so a run that starts beside a busy one gets the
	 * next free slot, whatever either's limits. Rejects, taking no slot, when `signal` aborts, so
	 * that a cancelled execution leaves the queue at once.
	 */
	async acquire(run: RunSlots, limit: number, signal?: AbortSignal): Promise<void> {
		signal?.throwIfAborted();
		await new Promise<void>((resolve, reject) => {
			const request: SlotRequest = {
				limit,
				order: this.asked++,
				grant: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
			};
			const onAbort = () => {
				run.waiting.splice(run.waiting.indexOf(request), 1);
				reject(signal!.reason);
				// The run next in line may have been held back for this request.
				this.grantWaiting();
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			run.waiting.push(request);
			this.grantWaiting();
		});
	}

	release(run: RunSlots): void {
		run.inFlight--;
		this.inFlight--;
		this.grantWaiting();
	}

	isIdle(): boolean {
		return (
			this.runs.size === 0 &&
			this.inFlight === 0 &&
			this.pauseRemainingMs() === 0 &&
			this.pace.isForgotten()
		);
	}

	/**
	 * Grants slots to the neediest run, one at a time, while its next request fits under its
	 * limit. When it does not fit, nobody else is granted one either: the slots in flight end
	 * within about one request's time, and the first to free up that far goes to that run.
	 */
	private grantWaiting(): void {
		for (let run = this.neediest(); run; run = this.neediest()) {
			if (this.inFlight >= run.waiting[0].limit) return;
			const request = run.waiting.shift()!;
			run.inFlight++;
			this.inFlight++;
			request.grant();
		}
	}

	/** The waiting run with the fewest requests in flight; of equals, the one that asked first. */
	private neediest(): RunSlots | undefined {
		let neediest: RunSlots | undefined;
		for (const run of this.runs) {
			if (run.waiting.length === 0) continue;
			if (
				!neediest ||
				run.inFlight < neediest.inFlight ||
				(run.inFlight === neediest.inFlight && run.waiting[0].order < neediest.waiting[0].order)
			) {
				neediest = run;
			}
		}
		return neediest;
	}
}

interface SlotRequest {
	limit: number;
	order: number;
	grant(): void;
}

/** One run's requests at the gate: those waiting for a slot, in asking order, and those out. */
export interface RunSlots {
	readonly waiting: SlotRequest[];
	inFlight: number;
}

/**
 * An account is its Base URL (normalized, PlatformlyAddress) and API key. The registry knows it
 * only by a SHA-256 digest of the two: the key is not kept in the clear in memory any longer than
 * the credential itself is.
 */
export function accountKey(normalizedBaseUrl: string, apiKey: unknown): string {
	return createHash('sha256')
		.update(`${normalizedBaseUrl}\n${String(apiKey ?? '')}`)
		.digest('hex');
}

/** One execution's use of its account's gate; `leave` once the execution is done with it. */
export interface AccountGateLease {
	gate: AccountGate;
	/** Takes one of the account's slots for this execution (AccountGate.acquire). */
	acquire(limit: number, signal?: AbortSignal): Promise<void>;
	release(): void;
	leave(): void;
}

/**
 * The process's gates, one per account in use. A gate is let go once no execution uses it, no
 * pause is left and its pace is forgotten; one that becomes idle later is swept at a later join.
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
		const run = gate.enter();
		let left = false;
		return {
			gate,
			acquire: (limit, signal) => gate.acquire(run, limit, signal),
			release: () => gate.release(run),
			leave: () => {
				if (left) return;
				left = true;
				gate.exit(run);
				if (gate.isIdle()) this.gates.delete(account);
			},
		};
	}

	private sweep(): void {
		for (const [account, gate] of this.gates) if (gate.isIdle()) this.gates.delete(account);
	}
}

/** The registry of this n8n process. */
export const accountGates = new AccountGateRegistry();
