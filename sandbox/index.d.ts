// Types for the sandbox's public surface (sandbox/index.js). The sandbox is plain CommonJS so that it
// runs without a build; this file is how TypeScript callers, such as the tests, see it. The .js
// modules take their shared types from here too, so each shape is written down once.

export interface Project {
	id: number;
	name: string;
}

/** The standard contact fields of add_contact and update_contact (CONTACT_FIELDS). */
export type ContactField =
	| 'first_name'
	| 'last_name'
	| 'organization'
	| 'address'
	| 'address2'
	| 'city'
	| 'state'
	| 'zip'
	| 'country'
	| 'phone'
	| 'fax'
	| 'sms_number'
	| 'birthday'
	| 'website'
	| 'date'
	| 'ip'
	| 'timezone'
	| 'facebook_profile'
	| 'twitter'
	| 'linked_in'
	| 'instagram'
	| 'pinterest'
	| 'skype'
	| 'role';

export interface ContactNote {
	note: string;
	/** ISO time the request that added it arrived. */
	at: string;
}

/** A contact as the sandbox stores it. Standard fields appear once set, with the value as sent. */
export interface Contact extends Partial<Record<ContactField, unknown>> {
	id: number;
	project_id: number;
	email: string;
	/** Tag ids, in the order they were added. */
	tags: number[];
	/** Segment ids, in the order they were added. */
	segments: number[];
	notes: ContactNote[];
	/** Values as sent, by `cf_<alias>_<id>` key. */
	custom_fields: Record<string, unknown>;
}

/** Seeded and bulk contacts all have names. */
export interface SeedContact extends Contact {
	first_name: string;
	last_name: string;
}

export interface Tag {
	id: number;
	project_id: number;
	name: string;
	desc: string;
}

export interface Segment {
	id: number;
	project_id: number;
	name: string;
}

/** A contact holds its value under the key `cf_<alias>_<id>`. */
export interface CustomField {
	id: number;
	project_id: number;
	name: string;
	alias: string;
	/** add_custom_field makes text fields only. */
	type: 'text';
	/** Only when add_custom_field was sent one. */
	desc?: string;
}

/** Shaped like the `project_id`, `action`, `desc` and `options` that Platformly's add_event takes. */
export interface SandboxEvent {
	id: number;
	project_id: number;
	action: string;
	desc: string;
	options: Record<string, unknown>;
}

/**
 * Everything a sandbox knows now, each list in id order. `contacts` holds the seeded contacts and
 * those created or changed since; the other bulk contacts are left out. New ids count up from 1000
 * for contacts and from 900 for events and custom fields.
 */
export interface SandboxState {
	projects: Project[];
	contacts: Contact[];
	tags: Tag[];
	segments: Segment[];
	customFields: CustomField[];
	events: SandboxEvent[];
}

export type RandomFaultName = '429' | '503' | '500' | 'non-json' | 'hang' | 'error';
/**
 * The faults beyond the random ones are queue-only. '500-after-fire', 'trickle' and 'cut-off' run the
 * action before the answer goes wrong, to reproduce "the event may already have fired"; random ones
 * would make exactly-once checks meaningless. The others each play one particular hostile server,
 * which a test provokes on purpose:
 * - 'redirect': HTTP 307 to `redirectTo`, empty body.
 * - 'trickle': HTTP 200 with the action's answer, chunked, one byte every `trickleMs`.
 * - 'cut-off': HTTP 200 with the content-length of the action's whole answer, then half of it (at
 *   least a byte), then the connection drops.
 * - 'empty': HTTP 200, content-type JSON, empty body.
 * - 'error-capitalised': HTTP 200 `{"status":"Error","message":"Simulated failure"}`.
 * - 'echo-key': HTTP 200 `{"status":"error","message":"Invalid API key: <the api_key sent>
 *   (sent as api_key=<it, form-encoded>)"}`.
 * - 'huge-message': HTTP 200 `{"status":"error","message":"xxx…"}`, the message 8 MiB long.
 */
export type FaultName =
	| RandomFaultName
	| '500-after-fire'
	| 'redirect'
	| 'trickle'
	| 'cut-off'
	| 'empty'
	| 'error-capitalised'
	| 'echo-key'
	| 'huge-message';

export interface FaultSettings {
	/** Delay before every answer, faulted or not. */
	latencyMs: number;
	/**
	 * Each answer waits a further [0, latencyJitterMs) milliseconds, drawn afresh for it from `seed`,
	 * so that concurrent requests are answered in another order than they came, the same order for
	 * the same seed and arrivals. Default 0.
	 */
	latencyJitterMs: number;
	/**
	 * API answers wait, before their latency, until this many API requests are in flight at once;
	 * then every held answer goes, and later ones are not held. A test that asserts a client's
	 * concurrency reaches N sets N here, so that reaching it does not depend on how fast a busy
	 * machine sends: no answer can free a slot before all N have arrived. Answers held 5 s go anyway,
	 * so that a client that never reaches N shows its lower maximum instead of hanging. Counted anew
	 * by each setFaults() and reset(). Default 0: nothing is held.
	 */
	holdUntilInFlight: number;
	/**
	 * list_tags and list_segments answer page `p` as page `p mod pageCount`, so a page past the end
	 * is never empty, as from a server whose pages wrap around; a project with no items still answers
	 * `[]`. Default false.
	 */
	wrapPages: boolean;
	/** Sent as `Retry-After` with each 429. */
	retryAfterSeconds: number;
	/** Where a 'redirect' points: an absolute http: or https: URL. Default `http://127.0.0.1:9/`. */
	redirectTo: string;
	/** Milliseconds between the bytes of a 'trickle', 1 or more. Default 400. */
	trickleMs: number;
	rate429: number;
	rate503: number;
	rate500: number;
	/** HTTP 200 with an HTML proxy error page. */
	rateNonJson: number;
	/** Accepted and never answered. */
	rateHang: number;
	/** HTTP 200 `{"status":"error","message":"Simulated failure"}`. */
	rateError: number;
	/** Makes the random faults and the latency jitter reproducible from run to run. */
	seed: number;
	/** Faults for the next API requests, in order, before faultsByEmail and any rate apply. */
	queue: FaultName[];
	/**
	 * The fault for every API request whose `value.email` is exactly the key (as sent: no case or
	 * spaces ignored), every time: after the queue, before any rate. Keys must contain an "@".
	 * Default {}.
	 */
	faultsByEmail: Record<string, FaultName>;
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
	/**
	 * Registered at the start with ids from 1, in this order, and registered again by reset(), as the
	 * seed data is restored; checked as addAutomation() checks one, before listening.
	 */
	automations?: AutomationSpec[];
	/** How long a delivery may take, answer and all, before it is cut as a 'timeout'. Default 5000. */
	deliveryTimeoutMs?: number;
	/**
	 * How many in-flight changes inFlightTimeline() keeps, the latest; a whole number, 1 or more.
	 * Default 100,000 (two per request).
	 */
	inFlightTimelineLimit?: number;
}

/** What starts an automation: the event fired for a contact, or the tag newly added to one. */
export type AutomationTrigger = { event: number } | { tag: number };

/**
 * An automation whose one step is an "HTTP post" of the contact, as Platformly's automations can
 * have. What `POST /__sandbox/automations` and addAutomation() take: every field is required, and
 * any other is refused.
 */
export interface AutomationSpec {
	/** `event` must be the id of an event the sandbox has, `tag` of a tag it has. */
	when: AutomationTrigger;
	/** An absolute http: or https: URL; a query in it (e.g. `?secret=…`) is sent as it stands. */
	url: string;
	/**
	 * 'form': `Content-Type: application/x-www-form-urlencoded`, body `contactID=<id>&email=<email>`.
	 * 'json': `Content-Type: application/json`, body `{"contactID":<id>,"email":"<email>"}`.
	 */
	format: 'form' | 'json';
}

export interface Automation extends AutomationSpec {
	/** Counts from 1. */
	id: number;
}

/**
 * One post of an automation. It starts after a successful contact_event_fire of its event (also one
 * of the faults '500-after-fire', 'trickle' and 'cut-off', which run the action), or once its tag is
 * added to a contact that did not have it (contact_tag_add, add_contact, update_contact), and never
 * before the API answer is written out (or cut off). One attempt, no retries; at most 20 in flight
 * at once, the others queued in order.
 */
export interface DeliveryRecord {
	/** Counts from 1, in the order the posts started. */
	seq: number;
	automationId: number;
	url: string;
	format: 'form' | 'json';
	contactId: number;
	/** The contact's address when the automation started. */
	email: string;
	/** ISO time the post started; for one cut before it started, the time it was given up. */
	at: string;
	/** The receiver's HTTP status; null until it answers, or when it never does. */
	status: number | null;
	/**
	 * null unless it failed: a system error code such as 'ECONNREFUSED' or 'ECONNRESET', 'timeout'
	 * (after deliveryTimeoutMs), 'sandbox closed' (cut by close()). A status with an error means the
	 * receiver answered, then failed to finish its body.
	 */
	error: string | null;
	/** null while the post is in flight; 0 for one cut before it started. */
	durationMs: number | null;
}

/** What `GET /__sandbox/deliveries?settled=1` answers. */
export interface SettledDeliveries {
	/** false when the deliveries had not settled after 10 s; `deliveries` is then what there is. */
	settled: boolean;
	deliveries: DeliveryRecord[];
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
	/** ISO time the request arrived, to the millisecond; `Date.parse(at)` gives it as a number. */
	at: string;
	action: string | null;
	/** `value.email` exactly as sent; null when the request sent none, or not as a string. */
	email: string | null;
	apiKeyValid: boolean;
	/**
	 * 'success', 'error:<message>' or 'fault:<fault name>'. A 'trickle' becomes
	 * 'fault:trickle:complete' once its last byte is sent, or 'fault:trickle:client-hung-up' when the
	 * connection closes before that (the client hung up, or close() cut it).
	 */
	outcome: string;
}

/** API requests held open: from their arrival until their answer is written out or their connection closes. */
export interface InFlight {
	now: number;
	/** The most at once since the sandbox started or was last reset. */
	max: number;
}

/** The number of API requests in flight just after one arrived or was done with. */
export interface InFlightChange {
	/** Epoch milliseconds. */
	at: number;
	inFlight: number;
}

/**
 * How the number in flight changed over time: one entry when the sandbox starts or is reset, then
 * one at every arrival and every end, in order.
 */
export interface InFlightTimeline {
	changes: InFlightChange[];
	/** How many of the oldest changes were dropped to stay within inFlightTimelineLimit. */
	dropped: number;
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
	/** A copy of what the sandbox knows now; the same as `GET /__sandbox/state` answers. */
	state(): SandboxState;
	/** The same as `GET /__sandbox/in-flight` answers, for a sandbox in another process. */
	inFlight(): InFlight;
	/** A copy; the same as `GET /__sandbox/in-flight/timeline` answers. */
	inFlightTimeline(): InFlightTimeline;
	/** Replaces every fault setting; those left out mean "no fault". */
	setFaults(faults: Partial<FaultSettings>): void;
	/**
	 * Registers an automation, as `POST /__sandbox/automations` does, and returns it. Throws an
	 * error whose message names the bad field (the route answers 400 with it).
	 */
	addAutomation(spec: AutomationSpec): Automation;
	/** In id order; the same as `GET /__sandbox/automations` answers. */
	automations(): Automation[];
	/**
	 * In start order; the same as `GET /__sandbox/deliveries` answers. A record in flight is
	 * completed in place once its answer (or failure) comes; read again to see it.
	 */
	deliveries(): DeliveryRecord[];
	/**
	 * Resolves once every delivery started so far is done: those whose API answer is still being
	 * written, those queued and those in flight. `GET /__sandbox/deliveries?settled=1` waits likewise,
	 * for at most 10 s.
	 */
	deliveriesSettled(): Promise<void>;
	/**
	 * Forgets the records and the fault queue, restores the seed data and the automations given to
	 * startSandbox (forgetting those added since), cuts the deliveries queued or in flight and
	 * forgets them, and starts the in-flight maximum and timeline again from the requests open now;
	 * the other fault settings stay.
	 */
	reset(): void;
	/**
	 * Also cuts hanging, trickling and keep-alive connections, and the deliveries queued or in
	 * flight (recorded with the error 'sandbox closed'), so it returns promptly.
	 */
	close(): Promise<void>;
}

export function startSandbox(options?: SandboxOptions): Promise<Sandbox>;

/**
 * A loopback address where nothing listens and nothing will for the whole run (a port below 1024
 * that refuses connections now), for "Platformly cannot be reached" tests.
 */
export function unreachableUrl(): Promise<string>;

export const SANDBOX_API_KEY: string;
export const SANDBOX_ACCOUNT: Readonly<{
	account_id: number;
	first_name: string;
	last_name: string;
	email: string;
	company: string;
}>;
/** The seed: what a fresh sandbox, or one just reset, knows. Frozen; a sandbox changes its own copy. */
export const SANDBOX_PROJECTS: ReadonlyArray<Readonly<Project>>;
export const SANDBOX_CONTACTS: ReadonlyArray<Readonly<SeedContact>>;
export const SANDBOX_TAGS: ReadonlyArray<Readonly<Tag>>;
export const SANDBOX_SEGMENTS: ReadonlyArray<Readonly<Segment>>;
export const SANDBOX_CUSTOM_FIELDS: ReadonlyArray<Readonly<CustomField>>;
export const SANDBOX_EVENTS: ReadonlyArray<Readonly<SandboxEvent>>;
/** Items per page of list_tags and list_segments. */
export const SANDBOX_PAGE_SIZE: number;
export const CONTACT_FIELDS: readonly ContactField[];
export const BULK_CONTACT_COUNT: number;
export const BULK_CONTACT_ID_OFFSET: number;
export function bulkContactEmail(n: number): string;
/** Bulk contacts as seeded, a fresh copy each call; a sandbox's own may have changed since. */
export function findBulkContactById(id: number): SeedContact | undefined;
/** Matches only the address exactly as bulkContactEmail writes it. */
export function findBulkContactByEmail(email: string): SeedContact | undefined;

/**
 * The `message` texts the sandbox answers with. The ...NotFound texts of tags, segments and custom
 * fields, and unknownField, are answered with `: <what was sent>` appended.
 */
export const MESSAGES: Readonly<{
	processed: string;
	contactAdded: string;
	eventCreated: string;
	customFieldCreated: string;
	invalidApiKey: string;
	unknownAction: string;
	expectedForm: string;
	invalidValue: string;
	contactRequired: string;
	contactNotFound: string;
	contactExists: string;
	actionNotProcessed: string;
	emailRequired: string;
	projectRequired: string;
	projectNotFound: string;
	unknownField: string;
	customFieldNotFound: string;
	tagRequired: string;
	tagIdRequired: string;
	tagNotFound: string;
	segmentRequired: string;
	segmentNotFound: string;
	noteRequired: string;
	eventRequired: string;
	eventNotFound: string;
	actionRequired: string;
	descriptionRequired: string;
	nameRequired: string;
	nameOrDescriptionRequired: string;
	nothingToUpdate: string;
	invalidOptions: string;
	invalidPage: string;
	simulatedFailure: string;
}>;
export const FAULT_NAMES: readonly FaultName[];
/** The body of a 'non-json' fault. */
export const PROXY_ERROR_PAGE: string;
