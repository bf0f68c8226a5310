// @ts-check
// The Platformly API credential in n8n's credential modal: n8n tests it when it is saved, and
// shows the node's own message when the test fails.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomApiKey } from '../../harness/stand-ins/sandbox.mjs';
import { newPage, openPlatformlyNode, screenshot } from './editor-page.mjs';
import { SANDBOX_MESSAGES } from './node-description.mjs';
import { browserSession } from './session.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('playwright-core').Locator} Locator
 */

const CREDENTIAL_NAME = 'Platformly from the modal';

describe('The credential modal', () => {
	/** @type {Page} */
	let page;
	/** @type {Locator} */
	let panel;
	/** @type {Locator} */
	let modal;

	before(async () => {
		page = await newPage();
		panel = await openPlatformlyNode(page, 'Credential modal', {});
		modal = page.getByTestId('editCredential-modal');
	});
	after(() => page.close());

	/**
	 * @param {string} parameterName
	 * @param {string} value
	 */
	const fill = (parameterName, value) =>
		modal.getByTestId(`parameter-input-${parameterName}`).locator('input').fill(value);

	test('a wrong API key fails the test on save, with the node’s message', async () => {
		await panel.getByTestId('node-credentials-select').click();
		await page.getByText('Create new credential').filter({ visible: true }).click();
		await modal.getByTestId('credential-name').click();
		await modal
			.getByTestId('credential-name')
			.getByTestId('inline-edit-input')
			.fill(CREDENTIAL_NAME);
		await fill('apiKey', randomApiKey());
		await fill('baseUrl', browserSession().sandbox.url);
		await modal.getByTestId('credential-save-button').click();

		await modal.getByText('Couldn’t connect with these settings').waitFor();
		await modal.getByText('More details').click();
		await modal
			.getByText(
				`Platformly rejected the API key: ${SANDBOX_MESSAGES.invalidApiKey}. Check that the key is copied whole and still active.`,
				{ exact: true },
			)
			.waitFor();
		await screenshot(page, 'credential-wrong-key');
	});

	test('the sandbox key passes it: saved, and "Connection tested successfully" on reopening', async () => {
		await fill('apiKey', browserSession().credential.data.apiKey);
		await modal.getByTestId('credential-save-button').click();
		// After a passing test on save, n8n closes the modal and picks the credential in the node.
		await modal.waitFor({ state: 'hidden' });
		const chosen = panel.getByTestId('node-credentials-select').locator('input');
		assert.equal(await chosen.inputValue(), CREDENTIAL_NAME);

		await panel.getByTestId('credential-edit-button').click();
		const passed = modal.getByTestId('credentials-config-container-test-success');
		await passed.waitFor();
		assert.match((await passed.textContent()) ?? '', /Connection tested successfully/);
		await screenshot(page, 'credential-sandbox-key');

		await modal.getByTestId('credential-delete-button').click();
		await page.getByRole('button', { name: 'Yes, delete' }).click();
		await modal.waitFor({ state: 'hidden' });
	});
});
