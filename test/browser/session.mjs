// @ts-check
// What harness/scripts/browser.mjs prepared for the browser tests: a signed-in Chromium on a running n8n
// with the package installed, the sandbox that n8n's credential points at, and where the pictures
// go. The entry sets it before it loads the test files, which run in its process.
import path from 'node:path';
import { REPO_ROOT } from '../../harness/n8n/config.mjs';

/**
 * @typedef {object} BrowserSession
 * @property {import('playwright-core').BrowserContext} context signed in as the instance's owner
 * @property {import('../../harness/n8n/editor.mjs').EditorSession} editor the same owner, over REST
 * @property {import('../../harness/stand-ins/sandbox.mjs').Sandbox} sandbox
 * @property {import('../../harness/n8n/workflows.mjs').PlatformlyCredential} credential in n8n, pointing at the sandbox
 * @property {string} n8nVersion
 */

/** Screenshots of every step, remade by each run. */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-results', 'browser');
/** The README's pictures, remade by each run. */
export const README_IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');

/** @type {BrowserSession | undefined} */
let current;

/** @param {BrowserSession} session */
export function setBrowserSession(session) {
	current = session;
}

/** @returns {BrowserSession} */
export function browserSession() {
	if (!current) {
		throw new Error('The browser tests run through `npm run test:browser`, which starts n8n first');
	}
	return current;
}
