// @ts-check
// Running the node from the editor: what the output panel shows, and what reached the sandbox.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firedEvents, seed } from '../../harness/stand-ins/sandbox.mjs';
import { PLATFORMLY_NODE_NAME } from '../../harness/n8n/workflows.mjs';
import {
	canvasNode,
	onNewPage,
	openNode,
	openPlatformlyNode,
	openWorkflow,
	outputJson,
	platformlyWorkflow,
	screenshot,
} from './editor-page.mjs';
import { SANDBOX_MESSAGES } from './node-description.mjs';
import { browserSession } from './session.mjs';

/** @typedef {import('playwright-core').Locator} Locator */

const [contact] = seed.SANDBOX_CONTACTS;
const [event] = seed.SANDBOX_EVENTS;
const UNKNOWN_CONTACT_ID = 999999;
const UNKNOWN_EMAIL = 'x@example.com';

/**
 * Runs Start → Platformly (Contact › Fire Event with `parameters`) from its panel's Execute step,
 * against a freshly reset sandbox; returns the panel.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {Record<string, unknown>} parameters
 * @returns {Promise<Locator>}
 */
async function executeInPanel(page, name, parameters) {
	const panel = await openPlatformlyNode(page, name, parameters);
	browserSession().sandbox.reset();
	await panel.getByTestId('node-execute-button').click();
	await panel.getByTestId('output-panel').getByTestId('ndv-items-count').waitFor();
	return panel;
}

/**
 * The error the output panel shows for a failed run: its message, and whether the sandbox
 * received any event.
 * @param {Locator} panel
 */
async function shownError(panel) {
	const output = panel.getByTestId('output-panel');
	return {
		message: (await output.getByTestId('node-error-message').textContent())?.trim(),
		fired: firedEvents(browserSession().sandbox),
	};
}

describe('Running the node from the editor', () => {
	test('Execute workflow fires the event; the output panel shows the sandbox answer', async () => {
		await onNewPage(async (page) => {
			const { sandbox } = browserSession();
			await openWorkflow(
				page,
				platformlyWorkflow('Fire from the editor', {
					contactId: String(contact.id),
					eventId: String(event.id),
				}),
			);
			sandbox.reset();
			await page.getByTestId('execute-workflow-button').click();
			await canvasNode(page, PLATFORMLY_NODE_NAME)
				.getByTestId('canvas-node-status-success')
				.waitFor();
			await screenshot(page, 'run-canvas');
			const panel = await openNode(page);
			assert.deepEqual(await outputJson(panel), [
				{ status: 'success', message: SANDBOX_MESSAGES.processed },
			]);
			await screenshot(page, 'run-output');
			assert.deepEqual(firedEvents(sandbox), [
				{ contactId: contact.id, email: contact.email, event: event.id, options: null },
			]);
		});
	});

	test('a contact given by ID that does not exist: the error names it', async () => {
		await onNewPage(async (page) => {
			const panel = await executeInPanel(page, 'Unknown contact ID', {
				contactId: String(UNKNOWN_CONTACT_ID),
				eventId: String(event.id),
			});
			await screenshot(page, 'error-unknown-contact-id');
			assert.deepEqual(await shownError(panel), {
				message: `${SANDBOX_MESSAGES.contactNotFound}: contact ID ${UNKNOWN_CONTACT_ID}`,
				fired: [],
			});
		});
	});

	test('a contact given by email that does not exist: the error names it', async () => {
		await onNewPage(async (page) => {
			const panel = await executeInPanel(page, 'Unknown email', {
				email: UNKNOWN_EMAIL,
				eventId: String(event.id),
			});
			await screenshot(page, 'error-unknown-email');
			assert.deepEqual(await shownError(panel), {
				message: `${SANDBOX_MESSAGES.contactNotFound}: email "${UNKNOWN_EMAIL}"`,
				fired: [],
			});
		});
	});

	test('an Event ID that is not a number: the error names the field, nothing is sent', async () => {
		await onNewPage(async (page) => {
			const panel = await executeInPanel(page, 'Bad Event ID', {
				contactId: String(contact.id),
				eventId: 'abc',
			});
			await screenshot(page, 'error-bad-event-id');
			const { message, fired } = await shownError(panel);
			assert.match(message ?? '', /^Event ID\b.*"abc"/);
			assert.deepEqual(fired, []);
			assert.deepEqual(browserSession().sandbox.requests(), []);
		});
	});
});
