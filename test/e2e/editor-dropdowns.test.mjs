// @ts-check
// The dropdowns and the project locator in a running n8n: asked for through n8n's REST API, as its
// editor does when a list opens, with the node's current parameters and the sandbox credential.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { e2eN8nVersion, e2eUserFolder, runCleanups } from './cases.mjs';
import { startEditor } from '../../harness/n8n/editor.mjs';
import { randomApiKey, seed, startSandbox } from '../../harness/stand-ins/sandbox.mjs';
import { sandboxCredential } from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('./cases.mjs').Cleanup} Cleanup
 * @typedef {import('../../harness/n8n/editor.mjs').EditorSession} EditorSession
 * @typedef {import('../../harness/n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../../harness/stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('../../harness/n8n/workflows.mjs').PlatformlyCredential} PlatformlyCredential
 */

const mainProject = { __rl: true, mode: 'list', value: '1' };

/**
 * @param {{ name: string }} a
 * @param {{ name: string }} b
 */
const byName = (a, b) => a.name.localeCompare(b.name);
/** @param {number} projectId */
const tagsOf = (projectId) => seed.SANDBOX_TAGS.filter(({ project_id: id }) => id === projectId);

describe(`Dropdowns in the n8n ${e2eN8nVersion()} editor`, () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	const apiKey = randomApiKey();
	// Set in `before`.
	/** @type {EditorSession} */
	let editor;
	/** @type {PlatformlyCredential} */
	let credential;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {N8nUserFolder} */
	let instance;

	before(
		async () => {
			instance = await e2eUserFolder(cleanups);
			sandbox = await startSandbox({ apiKey });
			cleanups.push(() => sandbox.close());
			credential = sandboxCredential(sandbox);
			editor = await startEditor(instance, [credential], cleanups);
		},
		{ timeout: 3 * 60_000 },
	);

	after(() => runCleanups(cleanups));

	/**
	 * @param {string} methodName
	 * @param {string} path
	 * @param {Record<string, unknown>} parameters
	 */
	const ask = (methodName, path, parameters) =>
		editor.loadOptions({
			methodName,
			path,
			parameters,
			credential: { id: credential.id, name: credential.name },
		});

	test('Project › From List searches the projects by name', async () => {
		const found = await editor.searchList({
			methodName: 'searchProjects',
			path: 'projectId',
			parameters: { resource: 'tag', operation: 'getAll', projectId: mainProject },
			credential: { id: credential.id, name: credential.name },
			filter: 'web',
		});
		assert.equal(found.status, 200);
		assert.deepEqual(found.data?.results, [{ name: 'Webinars', value: '2' }]);
	});

	test('tags of the chosen project, every page of them, by name', async () => {
		const options = await ask('getTags', 'additionalFields.tagIds', {
			resource: 'contact',
			operation: 'create',
			projectId: mainProject,
		});
		assert.equal(options.status, 200);
		assert.deepEqual(
			options.data,
			tagsOf(1)
				.map(({ id, name }) => ({ name, value: id }))
				.sort(byName),
		);
	});

	test('with no project in the operation, the tags of every project, named with their project', async () => {
		const options = await ask('getTags', 'tagIds', { resource: 'contact', operation: 'addTags' });
		assert.equal(options.status, 200);
		const expected = seed.SANDBOX_TAGS.map(({ id, name, project_id: projectId }) => ({
			name: `${name} (${seed.SANDBOX_PROJECTS.find(({ id: candidate }) => candidate === projectId)?.name})`,
			value: id,
		})).sort(byName);
		assert.deepEqual(options.data, expected);
	});

	test('segments of the chosen project', async () => {
		const options = await ask('getSegments', 'updateFields.segmentIds', {
			resource: 'contact',
			operation: 'update',
			projectId: { __rl: true, mode: 'id', value: '2' },
		});
		assert.deepEqual(options.data, [{ name: 'Webinar registrants', value: 311 }]);
	});

	test('custom fields offer the key Platformly sets them by', async () => {
		const options = await ask('getCustomFields', 'customFields.field.key', {
			resource: 'contact',
			operation: 'update',
			projectId: mainProject,
		});
		assert.deepEqual(options.data, [
			{
				name: 'Favourite colour',
				value: 'cf_favourite_colour_7',
				description: 'cf_favourite_colour_7',
			},
			{ name: 'Plan', value: 'cf_plan_8', description: 'cf_plan_8' },
		]);
	});

	test('custom fields without a project: the editor gets the reason, and nothing is asked of Platformly', async () => {
		const requestsBefore = sandbox.requests().length;
		const options = await ask('getCustomFields', 'customFields.field.key', {
			resource: 'contact',
			operation: 'update',
		});
		assert.notEqual(options.status, 200);
		assert.match(
			options.message ?? '',
			/Choose the project first: custom fields belong to a project/,
		);
		assert.equal(sandbox.requests().length, requestsBefore);
	});

	test("n8n's log, database and files hold the API key nowhere", async () => {
		assert.deepEqual(await instance.filesContaining(apiKey), []);
	});
});
