// @ts-check
// Names and versions the harness pins. Everything that runs real n8n reads them from here.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../proc.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const PACKAGE_NAME = 'n8n-nodes-platformly';
export const NODE_TYPE = `${PACKAGE_NAME}.platformly`;
export const CREDENTIAL_TYPE = 'platformlyApi';
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.platformlyTrigger`;

// The newest n8n that installs from the npm registry: 2.41.3, the registry's `latest`, pins
// @n8n/agents@0.26.2 and six more exact versions the registry does not have.
export const DEFAULT_N8N_VERSION = '2.41.1';
// The newest release of the last 1.x line; users still on 1.x run it.
const LAST_1X_N8N_VERSION = '1.123.81';
/** @type {Readonly<Record<string, string>>} */
const N8N_VERSION_ALIASES = {
	'2.x': DEFAULT_N8N_VERSION,
	'1.123.x': LAST_1X_N8N_VERSION,
	'1.x': LAST_1X_N8N_VERSION,
};
// n8n's dist-tags, looked up on the registry when asked for: what a user upgrading gets.
const N8N_DIST_TAGS = ['latest', 'next'];

// n8n 2.x requires Node >= 24 and 1.123 needs it for its native modules; the package's own tools
// run on Node >= 20, so n8n gets a Node 24 of its own.
export const NODE24_VERSION = '24.21.0';

// The registry's copy: n8n's own dependency points at a tarball on SheetJS's CDN, not the registry,
// which is all an offline or mirrored install can reach.
export const XLSX_OVERRIDE = '0.18.5';

// Fixed so that a user folder prepared once (template) can be copied and still decrypt its credentials.
export const N8N_ENCRYPTION_KEY = 'platformly-harness-fixed-encryption-key';

// How harness/scripts/e2e.mjs tells each test file which n8n to use and which prepared user folder to copy.
// A test file run alone, without them, uses the default n8n and prepares its own folder.
export const E2E_ENV = {
	version: 'PLATFORMLY_E2E_N8N_VERSION',
	template: 'PLATFORMLY_E2E_TEMPLATE',
	keep: 'PLATFORMLY_E2E_KEEP',
};

export function cacheDir() {
	return process.env.PLATFORMLY_N8N_CACHE || path.join(os.homedir(), '.cache', PACKAGE_NAME);
}

/**
 * Turns "2.41.1,1.123.x,latest" (or undefined for the default pair) into exact, de-duplicated
 * versions: an alias names a pinned one, a dist-tag (latest, next) is looked up on the registry.
 * @param {string | undefined} list
 * @returns {Promise<string[]>}
 */
export async function resolveN8nVersions(list) {
	const requested = (list ?? `${DEFAULT_N8N_VERSION},${LAST_1X_N8N_VERSION}`)
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
	const exact = await Promise.all(
		requested.map(async (entry) => {
			const version = N8N_DIST_TAGS.includes(entry)
				? await n8nDistTag(entry)
				: (N8N_VERSION_ALIASES[entry] ?? entry);
			if (!/^\d+\.\d+\.\d+$/.test(version)) {
				throw new Error(
					`Unknown n8n version "${entry}": use an exact version, one of ${Object.keys(N8N_VERSION_ALIASES).join(', ')}, or a dist-tag (${N8N_DIST_TAGS.join(', ')})`,
				);
			}
			return version;
		}),
	);
	return [...new Set(exact)];
}

/**
 * The one n8n a command runs: the environment variable's version (exact, an alias or a
 * dist-tag), else the default.
 * @param {string} variable
 * @returns {Promise<string>}
 */
export async function oneN8nVersion(variable) {
	const versions = await resolveN8nVersions(process.env[variable] || DEFAULT_N8N_VERSION);
	if (versions.length !== 1) throw new Error(`${variable}: give one n8n version`);
	return versions[0];
}

/**
 * The version an n8n dist-tag points to now, as the npm registry says.
 * @param {string} tag
 * @returns {Promise<string>}
 */
async function n8nDistTag(tag) {
	const { stdout } = await run('npm', ['view', 'n8n', 'dist-tags', '--json'], {
		timeoutMs: 60_000,
	});
	/** @type {Record<string, string>} */
	const tags = JSON.parse(stdout);
	if (!tags[tag]) {
		throw new Error(
			`The npm registry has no n8n dist-tag "${tag}" (it has ${Object.keys(tags).join(', ')})`,
		);
	}
	return tags[tag];
}
