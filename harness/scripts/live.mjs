#!/usr/bin/env node
// @ts-check
// `npm run test:live`: asks a real Platformly account the node's own questions and compares the
// shape of each answer (which fields, of which types) with what the node reads and the sandbox
// answers (harness/scripts/live-contract.cjs). Platformly documents none of its answers, so this is how a
// wrong guess in the node or the sandbox shows up. Read-only unless writes are asked for, and then
// only with the IDs given: nothing is ever guessed into a change. Prints the API key nowhere, and of
// a contact only field names and types.
//
//   PLATFORMLY_API_KEY            the account's key; without it the check is skipped (exit 0)
//   PLATFORMLY_BASE_URL           default https://api.platform.ly (e.g. a sandbox's URL instead)
//   PLATFORMLY_LIVE_EMAIL         a contact's email: checks fetch_contact (and is whom an event fires for)
//   PLATFORMLY_LIVE_PROJECT_ID    the project to list tags, segments and custom fields of (default:
//                                 the first of list_projects) and to create the contact in
//   PLATFORMLY_LIVE_WRITE=1       also checks these changes, each only when its IDs are given:
//     PLATFORMLY_LIVE_EVENT_ID      contact_event_fire of this event for PLATFORMLY_LIVE_EMAIL
//     PLATFORMLY_LIVE_NEW_EMAIL     add_contact of this address in PLATFORMLY_LIVE_PROJECT_ID (use a
//                                   new address each run: Platformly may refuse one it has)
//     PLATFORMLY_LIVE_TAG_ID        contact_tag_add of this tag to PLATFORMLY_LIVE_NEW_EMAIL
//
// Exit 0 when every answer came and had the expected shape; 1 when a request failed (network,
// timeout, HTTP status, redirect, not JSON, `status: "error"`) or an answer differed; 2 when a
// variable above is not usable.
import { shapeDifferences, WRITE_ACTIONS } from './live-contract.cjs';

const DEFAULT_BASE_URL = 'https://api.platform.ly';
const TIMEOUT_MS = 30_000;
/** As the node's bound on an answer (transport/client.ts MAX_ANSWER_BYTES). */
const MAX_ANSWER_BYTES = 16 * 2 ** 20;
/** Platformly's error messages are short; a longer one is cut, as it may be a whole page. */
const MAX_MESSAGE_LENGTH = 200;

const SKIPPED_LINE =
	'test:live skipped: set PLATFORMLY_API_KEY to check against your Platformly account (see docs/development.md, “Checking against your Platformly account”)';

/**
 * @typedef {object} Settings
 * @property {string} apiKey
 * @property {{ url: string, shown: string }} base `shown` has no query, user or password
 * @property {string | undefined} email
 * @property {string | undefined} newEmail
 * @property {number | undefined} projectId
 * @property {number | undefined} eventId
 * @property {number | undefined} tagId
 * @property {boolean} write
 */

/**
 * @param {string | undefined} raw
 * @returns {string | undefined}
 */
function optional(raw) {
	const text = raw?.trim() ?? '';
	return text === '' ? undefined : text;
}

/**
 * Reads the variables; a problem names the variable, never its value, which may be a pasted key.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} apiKey
 * @returns {{ ok: true, settings: Settings } | { ok: false, problem: string }}
 */
function readSettings(env, apiKey) {
	/** @type {string[]} */
	const problems = [];
	/** @param {string} name */
	const id = (name) => {
		const raw = optional(env[name]);
		if (raw === undefined) return undefined;
		if (/^\d+$/.test(raw) && Number(raw) > 0 && Number.isSafeInteger(Number(raw)))
			return Number(raw);
		problems.push(`${name} must be a whole number above 0`);
		return undefined;
	};
	/** @param {string} name */
	const email = (name) => {
		const raw = optional(env[name]);
		if (raw !== undefined && !raw.includes('@')) problems.push(`${name} must be an email address`);
		return raw;
	};
	const base = checkBaseUrl(optional(env.PLATFORMLY_BASE_URL) ?? DEFAULT_BASE_URL);
	if (!base.ok) problems.push(base.problem);
	const settings = {
		apiKey,
		email: email('PLATFORMLY_LIVE_EMAIL'),
		newEmail: email('PLATFORMLY_LIVE_NEW_EMAIL'),
		projectId: id('PLATFORMLY_LIVE_PROJECT_ID'),
		eventId: id('PLATFORMLY_LIVE_EVENT_ID'),
		tagId: id('PLATFORMLY_LIVE_TAG_ID'),
		write: env.PLATFORMLY_LIVE_WRITE === '1',
	};
	if (!base.ok || problems.length > 0) return { ok: false, problem: problems.join('; ') };
	return { ok: true, settings: { ...settings, base: base.address } };
}

/**
 * As the node's credential checks its Base URL: http or https, and no user or password in it.
 * @param {string} text
 * @returns {{ ok: true, address: Settings['base'] } | { ok: false, problem: string }}
 */
function checkBaseUrl(text) {
	/** @type {URL} */
	let url;
	try {
		url = new URL(text);
	} catch {
		return { ok: false, problem: `PLATFORMLY_BASE_URL must be a URL such as ${DEFAULT_BASE_URL}` };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		return { ok: false, problem: 'PLATFORMLY_BASE_URL must start with https:// or http://' };
	if (url.username !== '' || url.password !== '')
		return { ok: false, problem: 'PLATFORMLY_BASE_URL must not hold a user name or password' };
	const path = url.pathname === '/' ? '' : url.pathname;
	return {
		ok: true,
		address: { url: text, shown: `${url.protocol}//${url.host}${path}${url.search ? '?…' : ''}` },
	};
}

/** Printed nowhere: wherever an answer or an error echoes one, its variable's name stands instead. */
const SECRET_VARIABLES = [
	'PLATFORMLY_API_KEY',
	'PLATFORMLY_LIVE_EMAIL',
	'PLATFORMLY_LIVE_NEW_EMAIL',
];

/**
 * Every line goes through this: the key and the contact addresses are replaced (as given or
 * form-encoded, in any case), and control characters from an answer cannot break the
 * one-line-per-finding output.
 * @param {NodeJS.ProcessEnv} env
 * @returns {(line: string) => void}
 */
function printer(env) {
	const secrets = SECRET_VARIABLES.flatMap((name) => {
		const text = optional(env[name]);
		return text === undefined
			? []
			: [text, encodeURIComponent(text)].map((form) => ({
					pattern: new RegExp(form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'),
					name: `<${name}>`,
				}));
	});
	return (line) => {
		const redacted = secrets.reduce((text, { pattern, name }) => text.replace(pattern, name), line);
		process.stdout.write(`${oneLine(redacted)}\n`);
	};
}

/**
 * @param {string} text
 * @returns {string} the text with each run of control characters (U+0000–U+001F, U+007F) one space
 */
function oneLine(text) {
	let line = '';
	let inRun = false;
	for (const character of text) {
		const code = character.charCodeAt(0);
		const control = code < 0x20 || code === 0x7f;
		if (control && !inRun) line += ' ';
		if (!control) line += character;
		inRun = control;
	}
	return line;
}

/**
 * @param {unknown} error
 * @returns {string} the system's code, e.g. ECONNREFUSED, from the error or what it wraps; else
 *   the innermost message, e.g. fetch's "bad port"
 */
function networkReason(error) {
	let current = /** @type {{ code?: unknown, message?: unknown, cause?: unknown }} */ (error);
	for (let depth = 0; depth < 5; depth++) {
		if (typeof current.code === 'string') return current.code;
		if (typeof current.cause !== 'object' || current.cause === null) break;
		current = current.cause;
	}
	return typeof current.message === 'string' ? current.message : 'the connection failed';
}

/**
 * @param {unknown} error thrown by fetch or while reading the body
 * @param {string} shown the Base URL as it may be printed
 */
function transportProblem(error, shown) {
	if (error instanceof Error && error.name === 'TimeoutError')
		return `no complete answer from ${shown} within ${TIMEOUT_MS / 1000} s`;
	return `no answer from ${shown}: ${networkReason(error)}`;
}

/**
 * @param {Record<string, unknown>} answer
 * @returns {boolean} as the node reads Platformly's `status` (transport/client.ts): in any case
 */
function isErrorStatus(answer) {
	return typeof answer.status === 'string' && answer.status.trim().toLowerCase() === 'error';
}

/**
 * One request, as the node sends it: form-encoded `api_key`, `action` and `value` (JSON). A
 * redirect is not followed, since the key is in the body and must go nowhere but the Base URL.
 * @param {Settings} settings
 * @param {string} action
 * @param {Record<string, unknown>} value
 * @returns {Promise<{ ok: true, answer: unknown } | { ok: false, problem: string }>}
 */
async function call(settings, action, value) {
	const { base } = settings;
	const signal = AbortSignal.timeout(TIMEOUT_MS);
	/** @type {Response} */
	let response;
	/** @type {string} */
	let text;
	try {
		response = await fetch(base.url, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
			},
			body: new URLSearchParams({ api_key: settings.apiKey, action, value: JSON.stringify(value) }),
			redirect: 'manual',
			signal,
		});
		if (response.status < 200 || response.status >= 300) {
			await response.body?.cancel();
			return { ok: false, problem: httpProblem(response, base.url) };
		}
		const body = await readAtMost(response, MAX_ANSWER_BYTES);
		if (body === undefined) {
			return { ok: false, problem: `answered more than ${MAX_ANSWER_BYTES / 2 ** 20} MB` };
		}
		text = body;
	} catch (error) {
		return { ok: false, problem: transportProblem(error, base.shown) };
	}
	/** @type {unknown} */
	let answer;
	try {
		answer = JSON.parse(text);
	} catch {
		const size = Buffer.byteLength(text);
		return {
			ok: false,
			problem: `answered HTTP ${response.status} with ${size} bytes that are not JSON`,
		};
	}
	if (typeof answer !== 'object' || answer === null)
		return { ok: false, problem: 'answered JSON that is neither an object nor a list' };
	if (!Array.isArray(answer) && isErrorStatus(/** @type {Record<string, unknown>} */ (answer))) {
		const { message } = /** @type {{ message?: unknown }} */ (answer);
		const said =
			typeof message === 'string'
				? `: ${message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message}`
				: ', without a message';
		return { ok: false, problem: `Platformly answered status "error"${said}` };
	}
	return { ok: true, answer };
}

/**
 * @param {Response} response
 * @param {number} limit bytes
 * @returns {Promise<string | undefined>} the body as text, or undefined once it passes `limit`
 */
async function readAtMost(response, limit) {
	if (!response.body) return '';
	/** @type {Uint8Array[]} */
	const chunks = [];
	let size = 0;
	for await (const chunk of response.body) {
		size += chunk.byteLength;
		// Leaving the loop cancels the stream, so the rest is never read.
		if (size > limit) return undefined;
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/**
 * @param {Response} response a status outside 2xx
 * @param {string} baseUrl
 */
function httpProblem(response, baseUrl) {
	if (response.status < 300 || response.status >= 400) return `answered HTTP ${response.status}`;
	const location = response.headers.get('location');
	let to = '';
	try {
		if (location) to = ` to ${new URL(location, baseUrl).host}`;
	} catch {
		to = ' to an address that is not a URL';
	}
	return `answered HTTP ${response.status}, a redirect${to}; not followed, as the API key must go nowhere else`;
}

/**
 * @param {number} count
 * @param {string} one
 * @param {string} [many]
 */
const counted = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/**
 * The first project's ID, as the node's dropdowns send it on (methods/loadOptions.ts), if it is one.
 * @param {unknown} projects list_projects' answer
 * @returns {number | string | undefined}
 */
function firstProjectId(projects) {
	const first = Array.isArray(projects) ? projects[0] : undefined;
	const id = typeof first === 'object' && first !== null ? first.id : undefined;
	if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return id;
	if (typeof id === 'string' && /^\d+$/.test(id)) return id;
	return undefined;
}

/**
 * @param {string[]} names of the variables a write lacks
 */
function missingVariables(names) {
	const list =
		names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
	return `${list} ${names.length === 1 ? 'is' : 'are'} not set (IDs are never guessed)`;
}

/**
 * @param {(line: string) => void} print
 * @returns {Promise<number>} the exit code
 */
async function main(print) {
	const apiKey = process.env.PLATFORMLY_API_KEY?.trim() ?? '';
	if (apiKey === '') {
		print(SKIPPED_LINE);
		return 0;
	}
	const read = readSettings(process.env, apiKey);
	if (!read.ok) {
		print(`test:live cannot run: ${read.problem}`);
		return 2;
	}
	const { settings } = read;
	const totals = { checked: 0, differences: 0, failed: 0 };

	/** @type {Check} */
	async function check(action, value, page) {
		const result = await call(settings, action, value);
		if (!result.ok) {
			totals.failed += 1;
			print(`✖ ${action}: ${result.problem}`);
			return { ok: false };
		}
		totals.checked += 1;
		const { answer } = result;
		const differences = shapeDifferences(action, answer);
		totals.differences += differences.length;
		for (const difference of differences) print(`✖ ${difference}`);
		if (differences.length === 0) {
			const size = Array.isArray(answer)
				? `${counted(answer.length, 'entry', 'entries')}${page ? ` on ${page}` : ''}, `
				: '';
			const unchecked =
				Array.isArray(answer) && answer.length === 0 ? ' (no entry whose fields to check)' : '';
			print(`✔ ${action}: ${size}shape as expected${unchecked}`);
		}
		return { ok: true, answer };
	}

	const mode = settings.write ? 'reads and writes' : 'read-only';
	print(`Checking ${settings.base.shown} against what the node and the sandbox assume (${mode}).`);
	await runChecks(settings, check, print);
	const failed = totals.failed > 0 ? `, ${counted(totals.failed, 'request')} failed` : '';
	print(
		`${counted(totals.checked, 'action')} checked, ${counted(totals.differences, 'difference')}${failed}.`,
	);
	return totals.failed > 0 || totals.differences > 0 ? 1 : 0;
}

/**
 * Sends one of the node's requests and prints how its answer compares with the contract; `page`
 * says how much of a paged list was asked for.
 * @callback Check
 * @param {string} action
 * @param {Record<string, unknown>} value
 * @param {string} [page]
 * @returns {Promise<{ ok: boolean, answer?: unknown }>}
 */

/**
 * The checks, each `value` as the node sends it.
 * @param {Settings} settings
 * @param {Check} check
 * @param {(line: string) => void} print
 */
async function runChecks(settings, check, print) {
	// resources/account/getProfile.ts, and the credential's Test (methods/credentialTest.ts).
	if (!(await check('profile', {})).ok) {
		print("The other checks were not run: profile is the node's connection check.");
		return;
	}
	// resources/project/getAll.ts and methods/listing.ts: no page, one request answers them all.
	const projects = await check('list_projects', {});
	const projectId = settings.projectId ?? firstProjectId(projects.answer);
	const projectLists = 'list_tags, list_segments and list_custom_fields';
	if (projectId === undefined) {
		print(
			`${projectLists} skipped: list_projects gave no project ID to list from; set PLATFORMLY_LIVE_PROJECT_ID`,
		);
	} else {
		const from =
			settings.projectId === undefined
				? 'the first of list_projects; PLATFORMLY_LIVE_PROJECT_ID chooses another'
				: 'PLATFORMLY_LIVE_PROJECT_ID';
		print(`${projectLists} of project ${projectId} (${from}):`);
		// resources/*/getAll.ts and methods/loadOptions.ts through resources/requests.ts readList: tags and
		// segments paged from page 0, custom fields unpaged.
		await check('list_tags', { project_id: projectId, page: 0 }, 'page 0');
		await check('list_segments', { project_id: projectId, page: 0 }, 'page 0');
		await check('list_custom_fields', { project_id: projectId });
	}
	// resources/contact/get.ts: the contact by its email.
	if (settings.email === undefined) {
		print(
			'fetch_contact skipped: set PLATFORMLY_LIVE_EMAIL to the email of a contact in the account',
		);
	} else {
		await check('fetch_contact', { email: settings.email });
	}

	if (!settings.write) {
		print(
			`Writes skipped (${WRITE_ACTIONS.join(', ')}): set PLATFORMLY_LIVE_WRITE=1 and the IDs they need to check them too.`,
		);
		return;
	}
	/**
	 * A change is sent only with everything it needs given.
	 * @param {string} action
	 * @param {Record<string, unknown>} needs by variable name
	 * @param {() => Record<string, unknown>} value
	 */
	async function write(action, needs, value) {
		const missing = Object.entries(needs)
			.filter(([, given]) => given === undefined)
			.map(([name]) => name);
		if (missing.length > 0) print(`${action} skipped: ${missingVariables(missing)}`);
		else await check(action, value());
	}
	const { email, eventId, newEmail, tagId } = settings;
	// resources/contact/fireEvent.ts: the contact by email, the event's ID as a number.
	await write(
		'contact_event_fire',
		{ PLATFORMLY_LIVE_EMAIL: email, PLATFORMLY_LIVE_EVENT_ID: eventId },
		() => ({ email, event: eventId }),
	);
	// resources/contact/create.ts: the project and the email, no further fields. The project is the
	// one given, never the first listed.
	await write(
		'add_contact',
		{ PLATFORMLY_LIVE_PROJECT_ID: settings.projectId, PLATFORMLY_LIVE_NEW_EMAIL: newEmail },
		() => ({ project_id: settings.projectId, email: newEmail }),
	);
	// resources/contact/addTags.ts: tag IDs as "201,202".
	await write(
		'contact_tag_add',
		{ PLATFORMLY_LIVE_NEW_EMAIL: newEmail, PLATFORMLY_LIVE_TAG_ID: tagId },
		() => ({ email: newEmail, tag: String(tagId) }),
	);
}

const print = printer(process.env);
main(print).then(
	(code) => {
		process.exitCode = code;
	},
	(error) => {
		print(`test:live could not run: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	},
);
