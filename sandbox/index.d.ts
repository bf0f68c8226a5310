// Types for the sandbox's public surface (sandbox/index.js). The sandbox is plain CommonJS so that it
// runs without a build; this file is how TypeScript callers, such as the tests, see it. The .js
// modules take their shared types from here too, so each shape is written down once.

export interface Contact {
	id: number;
	email: string;
	first_name: string;
	last_name: string;
}

/** Shaped like the `project_id`, `action`, `desc` and `options` that Platformly's add_event takes. */
export interface SandboxEvent {
	id: number;
	project_id: number;
	action: string;
	desc: string;
	options: Readonly<Record<string, string>>;
}

export type RandomFaultName = '429' | '503' | '500' | 'non-json' | 'hang' | 'error';
/**
 * '500-after-fire' runs the action before failing, to reproduce "the event may already have fired".
 * It is queue-only: a random one would make exactly-once checks meaningless.
 */
export type FaultName = RandomFaultName | '500-after-fire';

export interface FaultSettings {
	/** Delay before every answer, faulted or not. */
	latencyMs: number;
	/** Sent as `Retry-After` with each 429. */
	retryAfterSeconds: number;
	rate429: number;
	rate503: number;
	rate500: number;
	/** HTTP 200 with an HTML proxy error page. */
	rateNonJson: number;
	/** Accepted and never answered. */
	rateHang: number;
	/** HTTP 200 `{"status":"error","message":"Simulated failure"}`. */
	rateError: number;
	/** Makes the random faults reproducible from run to run. */
	seed: number;
	/** Faults for the next API requests, in order, before any rate applies. */
	queue: FaultName[];
}

export interface SandboxOptions {
	/** 0 (the default) picks a free port. */
	port?: number;
	/** Defaults to 127.0.0.1. */
	host?: string;
	/** Defaults to SANDBOX_API_KEY. */
	apiKey?: string;
	faults?: Partial<FaultSettings>;
	/** Gets one JSON line (a FiredEvent) per fired event. */
	logFile?: string;
}

export interface FiredEvent {
	/** The `seq` of the request that fired it. */
	seq: number;
	/** ISO time the request arrived. */
	at: string;
	contactId: number;
	email: string;
	event: number;
	/** null when the request sent none. */
	options: Record<string, unknown> | null;
}

/** The API key itself is never kept, only whether it matched. */
export interface RequestRecord {
	/** Counts API requests from 1; control requests are not counted. */
	seq: number;
	at: string;
	action: string | null;
	apiKeyValid: boolean;
	/** 'success', 'error:<message>' or 'fault:<fault name>'. */
	outcome: string;
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:38411, the Base URL to give the Platformly credential. */
	url: string;
	port: number;
	apiKey: string;
	/** In arrival order. */
	fired(): FiredEvent[];
	/** In arrival order. */
	requests(): RequestRecord[];
	/** Replaces every fault setting; those left out mean "no fault". */
	setFaults(faults: Partial<FaultSettings>): void;
	/** Forgets the records and the fault queue; the other fault settings stay. */
	reset(): void;
	/** Also cuts hanging and keep-alive connections, so it returns promptly. */
	close(): Promise<void>;
}

export function startSandbox(options?: SandboxOptions): Promise<Sandbox>;

export const SANDBOX_API_KEY: string;
export const SANDBOX_ACCOUNT: Readonly<{
	account_id: number;
	first_name: string;
	last_name: string;
	email: string;
	company: string;
}>;
export const SANDBOX_PROJECTS: ReadonlyArray<Readonly<{ id: number; name: string }>>;
export const SANDBOX_CONTACTS: ReadonlyArray<Readonly<Contact>>;
export const SANDBOX_EVENTS: ReadonlyArray<Readonly<SandboxEvent>>;
export const BULK_CONTACT_COUNT: number;
export const BULK_CONTACT_ID_OFFSET: number;
export function bulkContactEmail(n: number): string;
export function findContactById(id: number): Contact | undefined;
export function findContactByEmail(email: string): Contact | undefined;
export function findEventById(id: number): SandboxEvent | undefined;

/** The `message` texts the sandbox answers with. */
export const MESSAGES: Readonly<{
	processed: string;
	invalidApiKey: string;
	unknownAction: string;
	expectedForm: string;
	invalidValue: string;
	contactRequired: string;
	contactNotFound: string;
	eventRequired: string;
	eventNotFound: string;
	invalidOptions: string;
	simulatedFailure: string;
}>;
export const FAULT_NAMES: readonly FaultName[];
/** The body of a 'non-json' fault. */
export const PROXY_ERROR_PAGE: string;
