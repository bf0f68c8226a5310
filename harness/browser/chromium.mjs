// @ts-check
// Debian's Chromium, driven by playwright-core. Playwright's own browser download comes from its
// CDN, not a package registry; the browser comes from Debian's packages instead, installed once
// with apt-get.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ensureDebianPackage } from '../n8n/install.mjs';

const CHROMIUM_PATH = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach Google's servers, which a
// test has no business with; the GPU and Chromium's sandbox are not available in a container.
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * A running Chromium with one browser context, as launchChromium() returns it.
 * @typedef {object} ChromiumSession
 * @property {import('playwright-core').BrowserContext} context
 * @property {() => Promise<void>} close closes the browser and removes its profile folder
 */

/** Installs Debian's `chromium` package when /usr/bin/chromium is missing (needs root). */
export function ensureChromium() {
	return ensureDebianPackage(CHROMIUM_PATH, 'chromium');
}

/**
 * Launches Chromium with a fresh profile in a temp folder (removed by `close`).
 * @param {{ viewport: { width: number, height: number } }} options
 * @returns {Promise<ChromiumSession>}
 */
export async function launchChromium({ viewport }) {
	await ensureChromium();
	const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'platformly-chromium-'));
	const removeProfile = () => fs.rm(userDataDir, { recursive: true, force: true });
	try {
		const context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM_PATH,
			args: CHROMIUM_FLAGS,
			viewport,
			timeout: 60_000,
		});
		return {
			context,
			close: async () => {
				await context.close();
				await removeProfile();
			},
		};
	} catch (error) {
		await removeProfile();
		throw error;
	}
}
