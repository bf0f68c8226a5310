// @ts-check
// Names and versions the harness pins. Everything that runs real n8n reads them from here.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const PACKAGE_NAME = 'n8n-nodes-platformly';
export const NODE_TYPE = `${PACKAGE_NAME}.platformly`;
export const CREDENTIAL_TYPE = 'platformlyApi';
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.platformlyTrigger`;
export const TRIGGER_CREDENTIAL_TYPE = 'platformlyTriggerApi';

// 2.41.x depends on a package the registry here lacks; 2.40.7 installs completely.
export const DEFAULT_N8N_VERSION = '2.40.7';
// The newest release of the last 1.x line; users still on 1.x run it.
export const LAST_1X_N8N_VERSION = '1.123.81';
/** @type {Readonly<Record<string, string>>} */
const N8N_VERSION_ALIASES = {
	'2.x': DEFAULT_N8N_VERSION,
	'1.123.x': LAST_1X_N8N_VERSION,
	'1.x': LAST_1X_N8N_VERSION,
};

// n8n 2.x requires Node >= 24 and 1.123 needs it for its native modules; the machine's Node is 20.
export const NODE24_VERSION = '24.21.0';

// The registry's copy; n8n's own dependency points at a CDN tarball that cannot be reached here.
export const XLSX_OVERRIDE = '0.18.5';

// Fixed so that a user folder prepared once (template) can be copied and still decrypt its credentials.
export const N8N_ENCRYPTION_KEY = 'platformly-harness-fixed-encryption-key';

// How harness/e2e.mjs tells each test file which n8n to use and which prepared user folder to copy.
// A test file run alone, without them, uses the default n8n and prepares its own folder.
export const E2E_ENV = {
	version: 'PLATFORMLY_E2E_N8N_VERSION',
	template: 'PLATFORMLY_E2E_TEMPLATE',
	keep: 'PLATFORMLY_E2E_KEEP',
};

/** @returns {string} */
export function cacheDir() {
	return process.env.PLATFORMLY_N8N_CACHE || path.join(os.homedir(), '.cache', PACKAGE_NAME);
}

/**
 * Turns "2.40.7,1.123.x" (or undefined for the default pair) into exact, de-duplicated versions.
 * @param {string | undefined} list
 * @returns {string[]}
 */
export function resolveN8nVersions(list) {
	const requested = (list ?? `${DEFAULT_N8N_VERSION},${LAST_1X_N8N_VERSION}`)
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
	const exact = requested.map((entry) => {
		const version = N8N_VERSION_ALIASES[entry] ?? entry;
		if (!/^\d+\.\d+\.\d+$/.test(version)) {
			throw new Error(
				`Unknown n8n version "${entry}": use an exact version or one of ${Object.keys(N8N_VERSION_ALIASES).join(', ')}`,
			);
		}
		return version;
	});
	return [...new Set(exact)];
}
