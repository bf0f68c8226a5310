// @ts-check
// The node as a user meets it in n8n's editor: found in the nodes panel, added, and filled in.
// Every check reads what the page shows (texts, attributes, the DOM), never pixels.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seed, firedEvents } from '../../harness/stand-ins/sandbox.mjs';
import { loadExampleWorkflow } from '../../harness/n8n/examples.mjs';
import {
	assertFieldLabels,
	canvasNode,
	chooseOption,
	hoverText,
	isCutOff,
	manualWorkflow,
	newPage,
	onNewPage,
	openDropdownEntries,
	openNode,
	openNodeWithDropdownEntries,
	openPlatformlyNode,
	openWorkflow,
	parameterInput,
	parameterIssue,
	platformlyWorkflow,
	readmePicture,
	screenshot,
	searchNodesPanel,
	visibleOption,
} from './editor-page.mjs';
import { actionGroups, iconPath, optionNames, panelEntryDescription } from './node-description.mjs';
import { browserSession } from './session.mjs';

/** @typedef {import('playwright-core').Page} Page */

// Contact › Fire Event as a new node shows it, top to bottom.
const FIRE_EVENT_FIELDS = [
	'Credential',
	'Resource',
	'Operation',
	'Contact ID',
	'Email',
	'Event ID',
	'Event Options',
	'Create Contact If Missing',
	'Options',
];
const OPTION_NAMES = optionNames();
const EVENT_OPTIONS_EXAMPLE = '{"path": "/home"}';

/**
 * FIRE_EVENT_FIELDS with `extra` inserted after `field`.
 * @param {string} field
 * @param {string[]} extra
 */
function fieldsWith(field, extra) {
	const at = FIRE_EVENT_FIELDS.indexOf(field) + 1;
	return [...FIRE_EVENT_FIELDS.slice(0, at), ...extra, ...FIRE_EVENT_FIELDS.slice(at)];
}

describe('The nodes panel', () => {
	/** @type {Page} */
	let page;
	before(async () => {
		page = await newPage();
		// A workflow with a trigger, so that the panel offers the node's actions rather than triggers.
		await openWorkflow(page, manualWorkflow('Nodes panel', []));
	});
	after(() => page.close());

	test('finds Platformly with its icon, an SVG without a status-like dot, described for both nodes', async () => {
		const creator = await searchNodesPanel(page, 'Platformly');
		const item = creator.getByTestId('item-iterator-item').filter({
			has: page.getByTestId('node-creator-item-name').getByText('Platformly', { exact: true }),
		});
		await item.waitFor();
		await screenshot(page, 'nodes-panel-search');
		// One entry for both nodes, described for both.
		assert.ok(
			(await item.textContent())?.includes(panelEntryDescription),
			`the entry reads: ${await item.textContent()}`,
		);
		const icon = item.locator('img').first();
		assert.equal(await icon.getAttribute('src'), iconPath());

		const response = await page.request.get(`${browserSession().editor.url}${iconPath()}`);
		assert.equal(response.status(), 200);
		const svg = await response.text();
		assert.match(svg, /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/);
		assert.doesNotMatch(svg, /<circle/, 'the icon still has its dot');
	});

	test('lists every action of the node, grouped by resource, as the description has them', async () => {
		const creator = page.getByTestId('node-creator');
		await creator
			.getByTestId('item-iterator-item')
			.filter({ has: page.getByText('Platformly', { exact: true }) })
			.click();
		const expected = actionGroups();
		const total = expected.reduce((sum, { actions }) => sum + actions.length, 0);
		assert.equal(total, 19);
		const actionsCategory = creator.getByTestId('node-creator-category-item').first();
		await actionsCategory.waitFor();
		assert.equal((await actionsCategory.textContent())?.trim(), `Actions (${total})`);

		// The list is one run of items: a group's title, then its actions.
		// The search's own result (a 'node' item) may still be there, sliding out.
		const entries = await creator.getByTestId('item-iterator-item').evaluateAll((items) =>
			items
				.filter((item) => item.getAttribute('data-keyboard-nav-type') !== 'node')
				.map((item) => ({
					isAction: item.getAttribute('data-keyboard-nav-type') === 'action',
					text: item.textContent?.trim() ?? '',
				})),
		);
		/** @type {{ group: string, actions: string[] }[]} */
		const shown = [];
		for (const { isAction, text } of entries) {
			if (isAction) shown[shown.length - 1].actions.push(text);
			else shown.push({ group: text, actions: [] });
		}
		assert.deepEqual(shown, expected);
		await screenshot(page, 'nodes-panel-actions');
		// Tall enough for the whole list in the picture, then back to the size the tests run at.
		const viewport = page.viewportSize();
		await page.setViewportSize({ width: 1440, height: 1700 });
		await readmePicture(creator, 'actions-list.png');
		if (viewport) await page.setViewportSize(viewport);
	});

	test('adds Contact › Fire Event with its fields in order', async () => {
		await page
			.getByTestId('node-creator')
			.locator('[data-keyboard-nav-type="action"]')
			.filter({ hasText: 'Fire an event for a contact' })
			.click();
		const panel = page.getByTestId('ndv');
		await panel.getByTestId('node-parameters').waitFor();
		await assertFieldLabels(panel, FIRE_EVENT_FIELDS);
		assert.equal(
			await panel
				.getByTestId('collection-parameter-add')
				.locator('input')
				.getAttribute('placeholder'),
			'Add Option',
		);
		await screenshot(page, 'fire-event-new');
	});

	test('an empty Event ID is a parameter issue, in the panel and on the canvas', async () => {
		const panel = page.getByTestId('ndv');
		const nodeName = (await panel.getByTestId('inline-edit-preview').first().textContent())?.trim();
		assert.ok(nodeName);
		await panel.getByTestId('ndv-close-button').click();
		const issues = canvasNode(page, nodeName).getByTestId('node-issues');
		assert.match((await hoverText(issues)) ?? '', /Parameter "Event ID" is required\./);
		await screenshot(page, 'fire-event-issues-on-canvas');

		const reopened = await openNode(page, nodeName);
		assert.match(
			(await parameterIssue(reopened, 'eventId')) ?? '',
			/Parameter "Event ID" is required\./,
		);
		await screenshot(page, 'fire-event-issue-event-id');
	});
});

describe('The Fire Event panel', () => {
	/** @type {Page} */
	let page;
	/** @type {import('playwright-core').Locator} */
	let panel;
	const [contact] = seed.SANDBOX_CONTACTS;
	const [event] = seed.SANDBOX_EVENTS;

	before(async () => {
		page = await newPage();
		panel = await openPlatformlyNode(page, 'Fire Event panel', {
			contactId: String(contact.id),
			eventId: String(event.id),
		});
	});
	after(() => page.close());

	test('"None" shows no event option fields', async () => {
		await chooseOption(panel, 'specifyEventOptions', 'None');
		await assertFieldLabels(panel, FIRE_EVENT_FIELDS);
	});

	test('"Using Fields Below" shows name/value rows added with "Add Event Option"', async () => {
		await chooseOption(panel, 'specifyEventOptions', 'Using Fields Below');
		await assertFieldLabels(
			panel,
			fieldsWith('Event Options', ['Event Option Fields', 'Name', 'Value']),
		);
		const rows = panel.getByTestId('fixed-collection-eventOptionsParameters');
		assert.equal(
			(await rows.getByTestId('fixed-collection-add').textContent())?.trim(),
			'Add Event Option',
		);
		await parameterInput(rows, 'name').locator('input').waitFor();
		await parameterInput(rows, 'value').locator('input').waitFor();
		await screenshot(page, 'event-options-fields');
	});

	test('"Using JSON" shows a JSON field with no options, the example only as a hint', async () => {
		await chooseOption(panel, 'specifyEventOptions', 'Using JSON');
		await assertFieldLabels(panel, fieldsWith('Event Options', ['Event Options (JSON)']));
		const content = parameterInput(panel, 'eventOptionsJson').locator('.cm-content');
		await screenshot(page, 'event-options-json');
		assert.equal(await content.textContent(), '{}', 'the JSON field holds more than no options');
		// The hint, under the field.
		await panel.getByText(`e.g. ${EVENT_OPTIONS_EXAMPLE}`, { exact: true }).waitFor();
	});

	test('executing with "Using JSON" left untouched sends no options', async () => {
		const { sandbox } = browserSession();
		sandbox.reset();
		await panel.getByTestId('node-execute-button').click();
		await panel.getByTestId('output-panel').getByTestId('ndv-items-count').waitFor();
		await screenshot(page, 'event-options-json-executed');
		assert.deepEqual(firedEvents(sandbox), [
			{ contactId: contact.id, email: contact.email, event: event.id, options: null },
		]);
	});

	test('Create Contact If Missing shows Project, listing the sandbox projects, and requires Email', async () => {
		await chooseOption(panel, 'specifyEventOptions', 'None');
		await parameterInput(panel, 'createContactIfMissing').locator('.el-switch').click();
		await assertFieldLabels(panel, fieldsWith('Create Contact If Missing', ['Project']));

		const project = panel.getByTestId('resource-locator-projectId');
		await project.getByTestId('rlc-mode-selector').click();
		// n8n names a locator's standard modes in its own words ("From list" for the node's "From List").
		assert.deepEqual(await openDropdownEntries(page), ['From list', 'By ID']);
		await page.keyboard.press('Escape');
		await project.getByTestId('rlc-input').click();
		const items = page.getByTestId('rlc-item').filter({ visible: true });
		await items.first().waitFor();
		assert.deepEqual(
			(await items.allTextContents()).map((text) => text.trim()),
			seed.SANDBOX_PROJECTS.map(({ name }) => name),
		);
		await screenshot(page, 'create-contact-project-list');
		await page.keyboard.press('Escape');

		assert.match((await parameterIssue(panel, 'email')) ?? '', /Parameter "Email" is required\./);
		await screenshot(page, 'create-contact-email-issue');
		await parameterInput(panel, 'createContactIfMissing').locator('.el-switch').click();
	});

	test('"Add Option" offers the options by their full names, none cut off', async () => {
		const add = panel.getByTestId('collection-parameter-add');
		await add.click();
		assert.deepEqual(await openDropdownEntries(page), OPTION_NAMES);
		for (const name of OPTION_NAMES) {
			assert.equal(
				await isCutOff(visibleOption(page, name)),
				false,
				`"${name}" is cut off in the list`,
			);
		}
		await screenshot(page, 'options-list');
		await page.keyboard.press('Escape');

		for (const name of OPTION_NAMES) {
			await add.click();
			await visibleOption(page, name).click();
		}
		const labels = panel.getByTestId('node-parameters').locator('label.n8n-input-label');
		for (const name of OPTION_NAMES) {
			const label = labels.filter({ hasText: name }).filter({ visible: true }).last();
			assert.equal(await isCutOff(label), false, `the label "${name}" is cut off`);
		}
		await screenshot(page, 'options-added');
	});
});

describe('The example workflow in the editor', () => {
	test('its Fire Event panel, as the README shows it', async () => {
		const { workflow, platformlyNodeName } = await loadExampleWorkflow();
		const fire = workflow.nodes.find(({ name }) => name === platformlyNodeName);
		await onNewPage(async (page) => {
			// Tall enough for the whole panel, so that the picture needs no scrolling.
			await page.setViewportSize({ width: 1440, height: 1300 });
			await openWorkflow(page, workflow);
			const panel = await openNode(page, platformlyNodeName);
			// An expression shows without its leading "=".
			const email = String(fire?.parameters.email).replace(/^=/, '');
			const shownEmail = parameterInput(panel, 'email').locator('.cm-content');
			assert.equal((await shownEmail.textContent())?.trim(), email);
			await page.mouse.move(0, 0);
			await screenshot(page, 'example-fire-event');
			const parametersColumn = panel
				.getByTestId('node-parameters')
				.locator('xpath=ancestor::*[.//*[@data-test-id="tab-params"]][1]');
			await readmePicture(parametersColumn, 'fire-event-panel.png');
		});
	});
});

describe('Add Tags', () => {
	test('the Tags dropdown lists the sandbox tags of every project', async () => {
		await onNewPage(async (page) => {
			await openWorkflow(
				page,
				platformlyWorkflow('Add Tags', {
					operation: 'addTags',
					contactId: String(seed.SANDBOX_CONTACTS[0].id),
				}),
			);
			const panel = await openNodeWithDropdownEntries(page);
			await parameterInput(panel, 'tagIds').click();
			const projectName = new Map(seed.SANDBOX_PROJECTS.map(({ id, name }) => [id, name]));
			const expected = seed.SANDBOX_TAGS.map(
				({ name, project_id: projectId }) => `${name} (${projectName.get(projectId)})`,
			);
			assert.deepEqual([...(await openDropdownEntries(page))].sort(), [...expected].sort());
			await screenshot(page, 'add-tags-dropdown');
		});
	});
});
