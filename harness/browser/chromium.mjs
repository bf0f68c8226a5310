// @ts-check
// Debian's Chromium, driven by playwright-core. Playwright's own browser download comes from its
// CDN, not a package registry; the browser comes from Debian's packages instead, installed once
// with apt-get.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { phase } from '../progress.mjs';
import { cleanEnv, run } from '../proc.mjs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

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

const APT_TIMEOUT_MS = 10 * 60_000;

/**
 * A running Chromium with one browser context, as launchChromium() returns it.
 * @typedef {object} ChromiumSession
 * @property {import('playwright-core').BrowserContext} context
 * @property {() => Promise<void>} close closes the browser and removes its profile folder
 */

/**
 * Installs Debian's `chromium` package when /usr/bin/chromium is missing (needs root).
 * @returns {Promise<string>} the browser's path
 */
export async function ensureChromium() {
	if (await isExecutable(CHROMIUM_PATH)) return CHROMIUM_PATH;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${CHROMIUM_PATH} is missing; install Debian's chromium (apt-get install chromium) as root`,
		);
	}
	const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
	await phase(
		'Installing Debian’s Chromium (apt-get update, apt-get install chromium)',
		async () => {
			await run('apt-get', ['update'], { env, timeoutMs: APT_TIMEOUT_MS });
			await run('apt-get', ['install', '-y', 'chromium'], {
				env,
				timeoutMs: APT_TIMEOUT_MS,
			});
		},
		{ heartbeat: { intervalMs: 15_000 } },
	);
	if (!(await isExecutable(CHROMIUM_PATH))) {
		throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is still missing`);
	}
	return CHROMIUM_PATH;
}

/**
 * Launches Chromium with a fresh profile in a temp folder (removed by `close`).
 * @param {{ viewport: { width: number, height: number } }} options
 * @returns {Promise<ChromiumSession>}
 */
export async function launchChromium({ viewport }) {
	const executablePath = await ensureChromium();
	const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'platformly-chromium-'));
	const removeProfile = () => fs.rm(userDataDir, { recursive: true, force: true });
	try {
		const context = await chromium.launchPersistentContext(userDataDir, {
			executablePath,
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

/**
 * @param {string} file
 * @returns {Promise<boolean>}
 */
async function isExecutable(file) {
	return fs.access(file, fs.constants.X_OK).then(
		() => true,
		() => false,
	);
}
