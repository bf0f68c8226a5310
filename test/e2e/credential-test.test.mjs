// @ts-check
// The credential's Test button in a running n8n, asked through n8n's REST API as the editor asks
// it, against the sandbox behaving well and badly; and a dropdown's error with a careless Base URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { e2eN8nVersion, e2eUserFolder, runCleanups } from './cases.mjs';
import { startEditor } from '../../harness/n8n/editor.mjs';
import { randomApiKey, startSandbox, unreachableUrl } from '../../harness/stand-ins/sandbox.mjs';
import { newId, platformlyCredential } from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('./cases.mjs').Cleanup} Cleanup
 * @typedef {import('../../harness/n8n/editor.mjs').EditorSession} EditorSession
 * @typedef {import('../../harness/n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../../harness/stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('../../harness/n8n/workflows.mjs').PlatformlyCredential} PlatformlyCredential
 * @typedef {import('../../sandbox/index.js').FaultName} FaultName
 */

const PASSWORD = `pw${randomApiKey()}`;
const NORMALLY = 'Check the Base URL (normally https://api.platform.ly).';

describe(`The credential Test in the n8n ${e2eN8nVersion()} editor`, () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	const apiKey = randomApiKey();
	/** @type {Record<string, PlatformlyCredential>} */
	const credentials = {};
	// Set in `before`.
	/** @type {EditorSession} */
	let editor;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {Sandbox} */
	let elsewhere;
	/** @type {N8nUserFolder} */
	let instance;

	before(
		async () => {
			instance = await e2eUserFolder(cleanups);
			sandbox = await startSandbox({ apiKey });
			// Where a redirect points: it must never receive the key.
			elsewhere = await startSandbox({ apiKey });
			cleanups.push(
				() => sandbox.close(),
				() => elsewhere.close(),
			);
			/**
			 * @param {string} name
			 * @param {{ apiKey?: string, baseUrl?: string }} [data] instead of the sandbox's key and URL
			 */
			const make = (name, data) => {
				credentials[name] = platformlyCredential({
					id: newId('cred'),
					name,
					apiKey,
					baseUrl: sandbox.url,
					...data,
				});
			};
			make('good');
			make('wrongKey', { apiKey: randomApiKey() });
			make('userInfo', { baseUrl: sandbox.url.replace('http://', `http://admin:${PASSWORD}@`) });
			make('notAUrl', { baseUrl: `pasted ${PASSWORD} here` });
			editor = await startEditor(instance, Object.values(credentials), cleanups);
		},
		{ timeout: 3 * 60_000 },
	);

	after(() => runCleanups(cleanups));

	/**
	 * The Test of a credential, with the sandbox told to answer its next request with `fault`.
	 * @param {string} name
	 * @param {FaultName} [fault]
	 */
	const testCredential = (name, fault) => {
		sandbox.setFaults({ queue: fault ? [fault] : [], redirectTo: `${elsewhere.url}/?token=abc` });
		return editor.testCredential(credentials[name]);
	};

	test('passes with the sandbox key', async () => {
		assert.deepEqual(await testCredential('good'), {
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	test("fails with a wrong key, with Platformly's reason", async () => {
		assert.deepEqual(await testCredential('wrongKey'), {
			status: 'Error',
			message:
				'Platformly rejected the API key: Invalid API key. Check that the key is copied whole and still active.',
		});
	});

	test('refuses a redirect, naming where it pointed, and sends the key nowhere else', async () => {
		assert.deepEqual(await testCredential('good', 'redirect'), {
			status: 'Error',
			message: `The Base URL answered with a redirect to ${new URL(elsewhere.url).host}, which was refused: the API key is never sent to another address. Enter the address that answers itself (normally https://api.platform.ly).`,
		});
		assert.deepEqual(elsewhere.requests(), []);
	});

	for (const [fault, why] of /** @type {[FaultName, string][]} */ ([
		['non-json', "Platformly's answer is not JSON (HTTP 200)"],
		['empty', "Platformly's answer is not JSON (HTTP 200)"],
	])) {
		test(`fails on an answer that is not Platformly's (${fault})`, async () => {
			assert.deepEqual(await testCredential('good', fault), {
				status: 'Error',
				message: `${sandbox.url} is not a Platformly address: ${why}. ${NORMALLY}`,
			});
		});
	}

	test('fails on {"status": "Error"}, whatever its case', async () => {
		assert.deepEqual(await testCredential('good', 'error-capitalised'), {
			status: 'Error',
			message:
				'Platformly rejected the API key: Simulated failure. Check that the key is copied whole and still active.',
		});
	});

	test('fails when nothing listens at the Base URL, naming the address', async () => {
		const unreachable = await unreachableUrl();
		const result = await editor.testCredential({
			...credentials.good,
			data: { apiKey, baseUrl: unreachable },
		});
		assert.deepEqual(result, {
			status: 'Error',
			message: `Could not connect to Platformly at ${unreachable}: connection refused. Check the Base URL, and that n8n can reach ${unreachable}.`,
		});
	});

	test('refuses a Base URL holding a user name and password, or no URL at all, without repeating it', async () => {
		assert.deepEqual(await testCredential('userInfo'), {
			status: 'Error',
			message:
				'The Base URL must not hold a user name or password (user:password@): the API key is all Platformly needs.',
		});
		assert.deepEqual(await testCredential('notAUrl'), {
			status: 'Error',
			message: 'The Base URL is not a web address; enter one like https://api.platform.ly.',
		});
	});

	test("a dropdown's error names the Base URL and holds no password", async () => {
		const options = await editor.loadOptions({
			methodName: 'getTags',
			path: 'tagIds',
			parameters: { resource: 'contact', operation: 'addTags' },
			credential: { id: credentials.userInfo.id, name: credentials.userInfo.name },
		});
		assert.notEqual(options.status, 200);
		assert.match(
			options.message ?? '',
			/The Base URL in the Platformly credential must not hold a user name or password/,
		);
		assert.ok(!JSON.stringify(options).includes(PASSWORD));
	});

	test("n8n's log, database and files hold neither the API key nor the password", async () => {
		assert.deepEqual(await instance.filesContaining(apiKey), []);
		assert.deepEqual(await instance.filesContaining(PASSWORD), []);
	});
});
