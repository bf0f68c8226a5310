// @ts-check
// The parts of n8n's editor the browser tests use, found the way n8n's own Playwright tests find
// them (n8n-io/n8n packages/testing/playwright: NodeCreator, NodeDetailsViewPage, CanvasPage,
// CredentialModal): by n8n's `data-test-id` attributes, and by the texts a user reads.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { selectors } from 'playwright-core';
import { PLATFORMLY_NODE_NAME, platformlyNode } from '../../harness/n8n/workflows.mjs';
import { ARTIFACTS_DIR, README_IMAGES_DIR, browserSession } from './session.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('playwright-core').Locator} Locator
 * @typedef {import('../../harness/n8n/workflows.mjs').Workflow} Workflow
 * @typedef {import('../../harness/n8n/workflows.mjs').WorkflowNode} WorkflowNode
 */

selectors.setTestIdAttribute('data-test-id');

// Long enough for n8n to load a node's list from the sandbox or run a workflow, short enough that
// a missing element fails the test in seconds rather than minutes.
const STEP_TIMEOUT_MS = 15_000;
const MANUAL_TRIGGER_NAME = 'Start';
// How long the panel may take to redraw after a change, and how often it is looked at meanwhile.
const REDRAW_TIMEOUT_MS = 5_000;
const REDRAW_POLL_MS = 100;

let screenshotCount = 0;

/**
 * Saves the page as test-results/browser/<nn>-<name>.png, numbered in the order taken.
 * @param {Page} page
 * @param {string} name
 */
export async function screenshot(page, name) {
	screenshotCount += 1;
	const file = `${String(screenshotCount).padStart(2, '0')}-${name}.png`;
	await page.screenshot({ path: path.join(ARTIFACTS_DIR, file) });
}

/**
 * Saves one element as a README picture, docs/images/<file>.
 * @param {Locator} element
 * @param {string} file
 */
export async function readmePicture(element, file) {
	await fs.mkdir(README_IMAGES_DIR, { recursive: true });
	await element.screenshot({ path: path.join(README_IMAGES_DIR, file) });
}

/**
 * A new tab of the signed-in browser. Close it with `page.close()`.
 * @returns {Promise<Page>}
 */
export async function newPage() {
	const page = await browserSession().context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	return page;
}

/**
 * Runs `work` on a new page, and closes the page after, also when `work` fails.
 * @template T
 * @param {(page: import('playwright-core').Page) => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function onNewPage(work) {
	const page = await newPage();
	try {
		return await work(page);
	} finally {
		await page.close();
	}
}

/**
 * A Manual Trigger named Start, then `nodes`, each fed by the one before.
 * @param {string} name
 * @param {WorkflowNode[]} nodes
 * @returns {Pick<Workflow, 'name' | 'nodes' | 'connections' | 'settings'>}
 */
export function manualWorkflow(name, nodes) {
	/** @type {WorkflowNode} */
	const trigger = {
		id: 'manual-trigger',
		name: MANUAL_TRIGGER_NAME,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const chain = [trigger, ...nodes];
	const connections = Object.fromEntries(
		chain
			.slice(0, -1)
			.map((node, index) => [
				node.name,
				{ main: [[{ node: chain[index + 1].name, type: 'main', index: 0 }]] },
			]),
	);
	return { name, nodes: chain, connections, settings: { executionOrder: 'v1' } };
}

/**
 * Saves a workflow in n8n (as the editor's Save does) and opens it on the canvas.
 * @param {Page} page
 * @param {Pick<Workflow, 'name' | 'nodes' | 'connections' | 'settings'>} workflow
 * @returns {Promise<string>} the workflow's id
 */
export async function openWorkflow(page, { name, nodes, connections, settings }) {
	const { editor } = browserSession();
	/** @type {import('../../harness/n8n/editor.mjs').EditorAnswer<{ id: string }>} */
	const saved = await editor.post('/workflows', { name, nodes, connections, settings });
	if (!saved.data) throw new Error(`n8n did not save the workflow: ${saved.message}`);
	await page.goto(`${editor.url}/workflow/${saved.data.id}`);
	await page.getByTestId('canvas-node').first().waitFor();
	return saved.data.id;
}

/**
 * Start → the Platformly node with `parameters` (on top of Contact › Fire Event), using the
 * sandbox credential.
 * @param {string} name the workflow's
 * @param {Record<string, unknown>} parameters
 */
export function platformlyWorkflow(name, parameters) {
	const { credential } = browserSession();
	return manualWorkflow(name, [platformlyNode({ parameters, credential })]);
}

/**
 * Saves and opens platformlyWorkflow(name, parameters), then opens the node's panel.
 * @param {Page} page
 * @param {string} name the workflow's
 * @param {Record<string, unknown>} parameters
 * @returns {Promise<Locator>} the panel
 */
export async function openPlatformlyNode(page, name, parameters) {
	await openWorkflow(page, platformlyWorkflow(name, parameters));
	return openNode(page);
}

/**
 * A node on the canvas.
 * @param {Page} page
 * @param {string} name
 * @returns {Locator}
 */
export function canvasNode(page, name) {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
}

/**
 * Opens a node's panel (the node details view) from the canvas.
 * @param {Page} page
 * @param {string} [name]
 * @returns {Promise<Locator>} the panel
 */
export async function openNode(page, name = PLATFORMLY_NODE_NAME) {
	await canvasNode(page, name).dblclick();
	const panel = page.getByTestId('ndv');
	await panel.getByTestId('node-parameters').waitFor();
	return panel;
}

/**
 * Opens the nodes panel from the canvas's + button and searches it.
 * @param {Page} page
 * @param {string} text
 * @returns {Promise<Locator>} the nodes panel
 */
export async function searchNodesPanel(page, text) {
	await page.getByTestId('node-creator-plus-button').click();
	const creator = page.getByTestId('node-creator');
	await creator.getByTestId('node-creator-search-bar').fill(text);
	return creator;
}

/**
 * Opens a node's panel from the canvas, like openNode, and waits until the panel has had n8n's
 * answer for a dropdown's entries: a dropdown clicked before that does not open. The wait starts
 * with the workflow already on the canvas, so its step timeout is the panel's alone (opening the
 * editor in a new tab took most of it on a loaded machine, and the wait timed out).
 * @param {Page} page
 * @param {string} [name]
 * @returns {Promise<Locator>} the panel
 */
export async function openNodeWithDropdownEntries(page, name) {
	const loaded = page.waitForResponse((response) =>
		response.url().endsWith('/rest/dynamic-node-parameters/options'),
	);
	const panel = await openNode(page, name);
	await loaded;
	return panel;
}

/**
 * The labels of the fields the panel shows, top to bottom (nested ones included), as a user reads
 * them: the credential, the parameters, a collection's options. n8n redraws the panel a moment
 * after a change, so this waits (up to a few seconds) for `expected` before failing.
 * @param {Locator} panel
 * @param {string[]} expected
 */
export async function assertFieldLabels(panel, expected) {
	const labels = panel.getByTestId('node-parameters').locator('label.n8n-input-label');
	const read = () =>
		labels.evaluateAll((elements) =>
			elements
				.filter((label) => label.checkVisibility())
				.map((label) => label.querySelector('.n8n-text')?.textContent?.trim() ?? ''),
		);
	const deadline = Date.now() + REDRAW_TIMEOUT_MS;
	let shown = await read();
	while (JSON.stringify(shown) !== JSON.stringify(expected) && Date.now() < deadline) {
		await panel.page().waitForTimeout(REDRAW_POLL_MS);
		shown = await read();
	}
	assert.deepEqual(shown, expected);
}

/**
 * A parameter's input, by the parameter's name in the node's description.
 * @param {Locator} panel
 * @param {string} parameterName
 * @returns {Locator}
 */
export function parameterInput(panel, parameterName) {
	return panel.getByTestId(`parameter-input-${parameterName}`);
}

/**
 * The innermost block of the panel that holds a parameter: its label, input, hint and issues.
 * @param {Locator} panel
 * @param {string} parameterName
 * @returns {Locator}
 */
export function parameterItem(panel, parameterName) {
	// A `has` locator is looked for inside each item, so it starts from the page, not the panel.
	const input = panel.page().getByTestId(`parameter-input-${parameterName}`);
	return panel.getByTestId('parameter-item').filter({ has: input }).last();
}

/**
 * Picks an entry of a dropdown parameter.
 * @param {Locator} panel
 * @param {string} parameterName
 * @param {string} optionName
 */
export async function chooseOption(panel, parameterName, optionName) {
	await parameterInput(panel, parameterName).click();
	await visibleOption(panel.page(), optionName).click();
}

/**
 * An entry of the dropdown that is open now.
 * @param {Page} page
 * @param {string} name
 * @returns {Locator}
 */
export function visibleOption(page, name) {
	return page.getByRole('option', { name, exact: true }).filter({ visible: true });
}

/**
 * The texts of the entries of the dropdown that is open now.
 * @param {Page} page
 * @returns {Promise<string[]>}
 */
export async function openDropdownEntries(page) {
	const entries = page.getByRole('option').filter({ visible: true });
	await entries.first().waitFor();
	const texts = await entries.allTextContents();
	return texts.map((text) => text.trim());
}

/**
 * What n8n says is wrong with a parameter: the text of the tooltip of the warning sign beside its
 * input (waited for: a parameter without one fails the step). The tooltip opens on hover.
 * @param {Locator} panel
 * @param {string} parameterName
 * @returns {Promise<string | undefined>}
 */
export async function parameterIssue(panel, parameterName) {
	const sign = parameterItem(panel, parameterName).getByTestId('parameter-issues');
	await sign.waitFor();
	return hoverText(sign);
}

/**
 * The text of the tooltip an element opens on hover (n8n fills it in after a short delay).
 * @param {Locator} element
 * @returns {Promise<string | undefined>}
 */
export async function hoverText(element) {
	const page = element.page();
	await element.hover();
	const tooltip = page.getByTestId('tooltip-content').filter({ visible: true, hasText: /\S/ });
	await tooltip.first().waitFor();
	const text = (await tooltip.first().textContent())?.trim();
	// Away again, so that the tooltip does not cover what the test looks at next.
	await page.mouse.move(0, 0);
	return text;
}

/**
 * The node's output in its panel, read from the JSON view.
 * @param {Locator} panel
 * @returns {Promise<unknown>}
 */
export async function outputJson(panel) {
	const output = panel.getByTestId('output-panel');
	await output.getByRole('radio', { name: 'JSON' }).click();
	const text = await output.locator('.json-data').textContent();
	// The view indents with no-break spaces, which JSON does not take as white space.
	return JSON.parse((text ?? '').replace(/\u00a0/g, ' '));
}

/**
 * Whether an element, or anything in it, is cut off (its content wider than its box, as text cut
 * with an ellipsis is).
 * @param {Locator} element
 * @returns {Promise<boolean>}
 */
export function isCutOff(element) {
	return element.evaluate((root) =>
		[root, ...root.querySelectorAll('*')].some((part) => part.scrollWidth > part.clientWidth),
	);
}
