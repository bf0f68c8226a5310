// The local Platformly stand-in (sandbox/, CommonJS), loaded into this process.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from './config.mjs';

const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

/** `{ SANDBOX_API_KEY, SANDBOX_CONTACTS, SANDBOX_EVENTS, bulkContactEmail, … }` from sandbox/seed.js */
export const seed = requireFromRepo('./sandbox/seed');

/** Starts a sandbox on a free port; see sandbox/server.js for the options and the returned handle. */
export function startSandbox(options = {}) {
	return requireFromRepo('./sandbox/server').startSandbox(options);
}

/**
 * A key shaped like a real Platformly key (32 alphanumerics) that exists nowhere else, so finding it in
 * what n8n stored can only mean n8n stored the credential in clear.
 */
export function randomApiKey() {
	return randomBytes(24)
		.toString('base64')
		.replace(/[^A-Za-z0-9]/g, '')
		.slice(0, 32)
		.padEnd(32, '7');
}

/**
 * What the sandbox fired, without the per-run `seq` and `at`: for whom, which event, which options.
 */
export function firedEvents(sandbox) {
	return sandbox.fired().map(({ contactId, email, event, options }) => ({ contactId, email, event, options }));
}
