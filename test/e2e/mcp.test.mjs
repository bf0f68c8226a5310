// @ts-check
// The node's tools for any MCP client: examples/mcp-server.workflow.json (n8n's MCP Server Trigger
// with bearer authentication, and two Platformly tools, Get contact and Fire event) active in a
// running n8n, driven by the official MCP TypeScript SDK's client over loopback, through both
// transports n8n serves: streamable HTTP and SSE.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { REPO_ROOT } from '../../harness/n8n/config.mjs';
import { e2eN8nVersion, e2eUserFolder, runCleanups, startWithActiveWorkflows } from './cases.mjs';
import { loadExampleWorkflow } from '../../harness/n8n/examples.mjs';
import { postToWebhook } from '../../harness/n8n/instance.mjs';
import { randomApiKey, seed, startSandbox } from '../../harness/stand-ins/sandbox.mjs';
import { sandboxCredential } from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('./cases.mjs').Cleanup} Cleanup
 * @typedef {import('../../harness/n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../../harness/stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('../../harness/n8n/workflows.mjs').Workflow} Workflow
 * @typedef {'streamable HTTP' | 'SSE'} TransportName
 * @typedef {{ content?: { type: string, text?: string }[], isError?: boolean }} ToolResult
 */

const EXAMPLE_FILE = path.join(REPO_ROOT, 'examples', 'mcp-server.workflow.json');
const TRANSPORTS = /** @type {const} */ (['streamable HTTP', 'SSE']);
const ANN = seed.SANDBOX_CONTACTS[0];
// The event the example's Fire event tool is fixed to.
const EXAMPLE_EVENT_ID = 102;

/**
 * What the example's tools must tell a client, read from the example: their names (n8n's, from the
 * node names), their descriptions (written in the workflow) and their parameters ($fromAI calls).
 */
const EXPECTED_TOOLS = [
	{
		name: 'Get_contact',
		parameters: {
			email: { type: 'string', description: 'The email address of the contact to look up' },
		},
	},
	{
		name: 'Fire_event',
		parameters: {
			contactId: {
				type: 'number',
				description: 'The Platformly ID of the contact: the id that Get contact returned',
			},
		},
	},
];

/** @param {ToolResult} result */
const textOf = (result) => (result.content ?? []).map(({ text }) => text ?? '').join('');

describe(`Platformly's tools for an MCP client, n8n ${e2eN8nVersion()}`, () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	const apiKey = randomApiKey();
	const token = `mcp${randomApiKey()}`;
	/** @type {N8nUserFolder} */
	let instance;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {Workflow} */
	let workflow;
	/** @type {string} */
	let mcpUrl;

	/**
	 * A connected client of the example's MCP server, closed after the test file.
	 * @param {TransportName} transportName
	 * @param {string | null} [bearer] the token it sends; null for none
	 */
	async function connect(transportName, bearer = token) {
		/** @type {Record<string, string>} */
		const headers = bearer === null ? {} : { authorization: `Bearer ${bearer}` };
		const url = new URL(mcpUrl);
		const transport =
			transportName === 'SSE'
				? new SSEClientTransport(url, {
						requestInit: { headers },
						// The SDK opens the event stream with fetch; the bearer must go on it too.
						eventSourceInit: {
							fetch: (input, init) =>
								fetch(input, { ...init, headers: { ...init?.headers, ...headers } }),
						},
					})
				: new StreamableHTTPClientTransport(url, { requestInit: { headers } });
		const client = new Client({ name: 'platformly-e2e', version: '1.0.0' });
		await client.connect(transport);
		cleanups.push(() => client.close());
		return client;
	}

	/**
	 * @param {Client} client
	 * @param {string} name
	 * @param {Record<string, unknown>} args
	 * @returns {Promise<ToolResult>}
	 */
	const call = (client, name, args) =>
		/** @type {Promise<ToolResult>} */ (client.callTool({ name, arguments: args }));

	before(
		async () => {
			instance = await e2eUserFolder(cleanups);
			sandbox = await startSandbox({ apiKey });
			cleanups.push(() => sandbox.close());
			({ workflow } = await loadExampleWorkflow(EXAMPLE_FILE));
			const [trigger] = workflow.nodes;
			const platformlyRef = workflow.nodes[1].credentials?.platformlyApi;
			const tokenRef = trigger.credentials?.httpBearerAuth;
			assert.ok(platformlyRef && tokenRef, 'the example names its credentials');
			const platformly = sandboxCredential(sandbox, platformlyRef);
			// n8n's Bearer Auth credential, as the MCP Server Trigger checks it.
			const bearer = { ...tokenRef, type: 'httpBearerAuth', data: { token } };
			const n8nUrl = await startWithActiveWorkflows(
				instance,
				{ credentials: [platformly, bearer], workflows: [workflow] },
				cleanups,
			);
			mcpUrl = `${n8nUrl}/mcp/${trigger.parameters.path}`;
			// n8n answers 404 until it has registered the trigger; without a token, 401 after.
			const probe = await postToWebhook(mcpUrl, {
				headers: { 'content-type': 'application/json' },
				body: '{}',
			});
			await probe.body?.cancel();
		},
		{ timeout: 4 * 60_000 },
	);

	after(() => runCleanups(cleanups));

	for (const transportName of TRANSPORTS) {
		describe(`over ${transportName}`, () => {
			test('without the token, or with another one, the client is refused and nothing runs', async () => {
				const executionsBefore = (await instance.allExecutions(workflow.id)).length;
				const requestsBefore = sandbox.requests().length;
				// n8n answers 403, "Authorization data is wrong!", without a token as with another one.
				const refused = /Authorization data is wrong|\(403\)/;
				await assert.rejects(connect(transportName, null), refused);
				await assert.rejects(connect(transportName, `${token}x`), refused);
				assert.equal((await instance.allExecutions(workflow.id)).length, executionsBefore);
				assert.equal(sandbox.requests().length, requestsBefore);
			});

			test('tools/list gives exactly the two tools, with their descriptions and parameters', async () => {
				const client = await connect(transportName);
				const { tools } = await client.listTools();
				tools.sort((a, b) => b.name.localeCompare(a.name));
				const descriptions = Object.fromEntries(
					workflow.nodes
						.slice(1)
						.map((node) => [
							node.name.replaceAll(' ', '_'),
							String(node.parameters.toolDescription),
						]),
				);
				assert.deepEqual(
					tools.map(({ name, description, inputSchema }) => ({
						name,
						description,
						properties: inputSchema.properties,
						required: inputSchema.required,
					})),
					EXPECTED_TOOLS.map(({ name, parameters }) => ({
						name,
						description: descriptions[name],
						properties: parameters,
						required: Object.keys(parameters),
					})),
				);
			});

			test('Get contact returns the contact; an unknown email is an error result naming it, and the session goes on', async () => {
				const client = await connect(transportName);
				const found = await call(client, 'Get_contact', { email: ANN.email });
				assert.equal(found.isError, undefined);
				const [contact] = JSON.parse(textOf(found));
				assert.deepEqual(
					{ id: contact.id, email: contact.email, first_name: contact.first_name },
					{ id: ANN.id, email: ANN.email, first_name: ANN.first_name },
				);

				const unknown = await call(client, 'Get_contact', { email: 'nobody@example.com' });
				assert.equal(unknown.isError, true);
				assert.match(textOf(unknown), /^\w*Error: Contact Not Found: email "nobody@example\.com"/);
				const again = await call(client, 'Get_contact', { email: ANN.email });
				assert.equal(JSON.parse(textOf(again))[0].id, ANN.id);
			});
		});
	}

	test('Fire event fires exactly the fixed event, once; text for the contact ID is an error result and sends nothing', async () => {
		const client = await connect('streamable HTTP');
		const firedBefore = sandbox.fired().length;
		const requestsBefore = sandbox.requests().length;

		const bad = await call(client, 'Fire_event', { contactId: 'the first one' });
		assert.equal(sandbox.requests().length, requestsBefore, 'the bad call sent something');
		assert.equal(bad.isError, true);
		assert.match(
			textOf(bad),
			/did not match expected schema[\s\S]*Expected number, received string[\s\S]*at contactId/,
		);

		const fired = await call(client, 'Fire_event', { contactId: ANN.id });
		assert.deepEqual(JSON.parse(textOf(fired)), [
			{ status: 'success', message: 'The action has been processed' },
		]);
		assert.deepEqual(
			sandbox
				.fired()
				.slice(firedBefore)
				.map(({ contactId, event }) => ({ contactId, event })),
			[{ contactId: ANN.id, event: EXAMPLE_EVENT_ID }],
		);
	});

	test('ten calls at once from two clients: each fires once, none lost', async () => {
		const clients = await Promise.all(TRANSPORTS.map((transportName) => connect(transportName)));
		const firedBefore = sandbox.fired().length;
		const contactIds = Array.from({ length: 10 }, (_, n) => seed.BULK_CONTACT_ID_OFFSET + 500 + n);

		const results = await Promise.all(
			contactIds.map((contactId, n) =>
				call(clients[n % clients.length], 'Fire_event', { contactId }),
			),
		);

		for (const result of results) assert.equal(result.isError, undefined, textOf(result));
		const fired = sandbox.fired().slice(firedBefore);
		assert.deepEqual(
			fired.map(({ contactId }) => contactId).sort((a, b) => a - b),
			contactIds,
		);
		assert.ok(fired.every(({ event }) => event === EXAMPLE_EVENT_ID));
	});

	test('the API key and the token are in no tool result and nothing n8n stored or logged', async () => {
		const client = await connect('streamable HTTP');
		sandbox.setFaults({ queue: ['echo-key'] });
		const echoed = await call(client, 'Get_contact', { email: ANN.email });
		sandbox.setFaults({});
		assert.match(textOf(echoed), /Invalid API key: \[hidden\]/);
		assert.ok(!textOf(echoed).includes(apiKey));
		assert.deepEqual(await instance.filesContaining(apiKey), []);
		assert.deepEqual(await instance.filesContaining(token), []);
	});
});
