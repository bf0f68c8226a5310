// @ts-check
// n8n's AI Agent using the Platformly node as its tools, in real n8n: the shipped example
// (examples/ai-agent-fire-event.workflow.json) run with `n8n execute-batch`, its OpenAI Chat Model
// pointed at a scripted model (harness/stand-ins/scripted-model.mjs) and its Platformly tools at the sandbox.
// The script plays the model: it reads the email and the event ID from the prompt it is sent, calls
// Get contact, takes the contact's ID from the tool result n8n passes back, calls Fire event, and
// ends with a text. Run as shipped (the Responses API, the node's default from version 1.3), with
// "Use Responses API" off (Chat Completions, what the node's earlier versions use), and for a contact
// Platformly does not know (the model gets the failed lookup and fires nothing).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NODE_TYPE, REPO_ROOT } from '../../harness/n8n/config.mjs';
import { e2eN8nVersion, e2eUserFolder, runCleanups } from './cases.mjs';
import { loadExampleWorkflow } from '../../harness/n8n/examples.mjs';
import { firedEvents, randomApiKey, seed, startSandbox } from '../../harness/stand-ins/sandbox.mjs';
import { startScriptedModel } from '../../harness/stand-ins/scripted-model.mjs';
import { newId, nodeOutputs, sandboxCredential, runError } from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('./cases.mjs').Cleanup} Cleanup
 * @typedef {import('./cases.mjs').FiredRecord} FiredRecord
 * @typedef {import('../../harness/n8n/instance.mjs').CompleteExecution} CompleteExecution
 * @typedef {import('../../harness/stand-ins/scripted-model.mjs').ModelApi} ModelApi
 * @typedef {import('../../harness/stand-ins/scripted-model.mjs').ModelRequest} ModelRequest
 * @typedef {import('../../harness/stand-ins/scripted-model.mjs').OtherRequest} OtherRequest
 * @typedef {import('../../harness/stand-ins/scripted-model.mjs').ScriptStep} ScriptStep
 * @typedef {import('../../harness/n8n/workflows.mjs').CredentialRef} CredentialRef
 * @typedef {import('../../harness/n8n/workflows.mjs').N8nItem} N8nItem
 * @typedef {import('../../harness/n8n/workflows.mjs').N8nRun} N8nRun
 * @typedef {import('../../harness/n8n/workflows.mjs').Workflow} Workflow
 *
 * What one run of the example left behind, in n8n, at the sandbox and at the scripted model.
 * @typedef {object} AgentRun
 * @property {string} workflowId
 * @property {CompleteExecution} execution
 * @property {FiredRecord[]} fired
 * @property {import('../../sandbox/index.js').RequestRecord[]} platformlyRequests
 * @property {import('../../sandbox/index.js').SandboxState} sandboxState
 * @property {ModelRequest[]} modelRequests
 * @property {OtherRequest[]} otherModelRequests
 * @property {string[]} modelErrors
 *
 * One run of the example: which API its chat model uses, the email its prompt names in place of
 * the example's, and the model's script.
 * @typedef {object} AgentCase
 * @property {ModelApi} api
 * @property {string} [email]
 * @property {Partial<import('../../sandbox/index.js').FaultSettings>} [faults] the sandbox's
 * @property {() => ScriptStep[]} script
 *
 * What a tool's parameter is, as a `$fromAI(key, description, type)` in the example gives it.
 * @typedef {{ type: string, description: string }} ToolParameter
 */

const EXAMPLE_FILE = path.join(REPO_ROOT, 'examples', 'ai-agent-fire-event.workflow.json');
const AGENT_NODE_NAME = 'AI Agent';
const CHAT_MODEL_TYPE = '@n8n/n8n-nodes-langchain.lmChatOpenAi';
const OPENAI_CREDENTIAL_TYPE = 'openAiApi';
const PLATFORMLY_TOOL_TYPE = `${NODE_TYPE}Tool`;
const ANN = seed.SANDBOX_CONTACTS.find(({ email }) => email === 'ann@example.com');
const EVENT_ID = 102;
const FINAL_TEXT = 'I looked up ann@example.com and fired event 102 for that contact.';

/**
 * The example's two tools and what the model must be told about them. n8n names a node's tool after
 * the node (each run of characters other than A-Z, a-z, 0-9, _ and - becomes "_"), describes it by
 * the operation's action and the node's name ("Set Automatically"), and builds the parameters'
 * schema from the node's $fromAI() calls.
 */
const TOOLS = {
	get: {
		node: 'Get contact',
		operation: 'get',
		// n8n 1.x stops the run at a failing tool unless it continues; 2.x passes the error back anyway.
		onError: 'continueRegularOutput',
		name: 'Get_contact',
		description: 'Get a contact in Platformly',
		/** @type {Record<string, ToolParameter>} */
		parameters: {
			email: { type: 'string', description: 'The email address of the contact to look up' },
		},
	},
	fire: {
		node: 'Fire event',
		operation: 'fireEvent',
		onError: undefined,
		name: 'Fire_event',
		description: 'Fire an event for a contact in Platformly',
		/** @type {Record<string, ToolParameter>} */
		parameters: {
			contactId: {
				type: 'number',
				description: 'The Platformly ID of the contact: the id that Get contact returned',
			},
			eventId: { type: 'number', description: 'The numeric ID of the Platformly event to fire' },
		},
	},
};

/** @type {Record<ModelApi, boolean>} "Use Responses API", as each API needs it */
const RESPONSES_API_ENABLED = { responses: true, 'chat.completions': false };
const UNKNOWN_EMAIL = 'nobody@example.com';
const NOT_FOUND_TEXT = `Platformly has no contact ${UNKNOWN_EMAIL}, so no event was fired.`;
const ECHOED_KEY_TEXT = 'Platformly refused the lookup, so no event was fired.';

/**
 * The model's first turn in every case: look up the contact the prompt names.
 * @type {ScriptStep}
 */
function getContactNamedInPrompt({ messages }) {
	const email = /\b[\w.+-]+@[\w-]+\.[\w.]+\b/.exec(promptOf(messages))?.[0];
	if (!email) throw new Error('no email in the prompt');
	return { tool: TOOLS.get.name, arguments: { email } };
}

/**
 * The model's part when the contact exists: three turns, each taking what it needs from what n8n sent.
 * @returns {ScriptStep[]}
 */
function fireEventScript() {
	return [
		getContactNamedInPrompt,
		({ messages }) => {
			const eventId = Number(/\bevent (\d+)\b/i.exec(promptOf(messages))?.[1]);
			if (!eventId) throw new Error('no event ID in the prompt');
			const [contact] = JSON.parse(toolResult(messages, 'call_1'));
			if (typeof contact?.id !== 'number') throw new Error('no contact id in the tool result');
			return { tool: TOOLS.fire.name, arguments: { contactId: contact.id, eventId } };
		},
		({ messages }) => {
			toolResult(messages, 'call_2');
			return { text: FINAL_TEXT };
		},
	];
}

/**
 * The model's part when the lookup fails: it reads the failed lookup and stops with `text`.
 * @param {string} text
 * @returns {() => ScriptStep[]}
 */
function failedLookupScript(text) {
	return () => [
		getContactNamedInPrompt,
		({ messages }) => {
			toolResult(messages, 'call_1');
			return { text };
		},
	];
}

/**
 * The example's runs: as shipped, with the other API, and for a contact Platformly does not know.
 * @type {Record<string, AgentCase>}
 */
const CASES = {
	responses: { api: 'responses', script: fireEventScript },
	chatCompletions: { api: 'chat.completions', script: fireEventScript },
	unknownContact: {
		api: 'responses',
		email: UNKNOWN_EMAIL,
		script: failedLookupScript(NOT_FOUND_TEXT),
	},
	// Platformly's answer quotes the API key: the tool result the model's provider gets must not.
	echoedKey: {
		api: 'responses',
		faults: { queue: ['echo-key'] },
		script: failedLookupScript(ECHOED_KEY_TEXT),
	},
};
const FIRING_CASES = ['responses', 'chatCompletions'];

/**
 * @param {ModelRequest['messages']} messages
 * @returns {string}
 */
function promptOf(messages) {
	return messages.find(({ role }) => role === 'user')?.content ?? '';
}

/**
 * The content of the tool result that answers `callId`.
 * @param {ModelRequest['messages']} messages
 * @param {string} callId
 * @returns {string}
 */
function toolResult(messages, callId) {
	const result = messages.find(({ role, toolCallId }) => role === 'tool' && toolCallId === callId);
	if (!result) throw new Error(`no tool result for ${callId}`);
	return result.content;
}

/**
 * @param {Workflow} workflow
 * @returns {Workflow['nodes'][number]} its OpenAI Chat Model
 */
function chatModelOf(workflow) {
	const node = workflow.nodes.find(({ type }) => type === CHAT_MODEL_TYPE);
	if (!node) throw new Error(`${workflow.name} has no ${CHAT_MODEL_TYPE} node`);
	return node;
}

/**
 * The tool calls a conversation holds and the results passed back for them, in order.
 * @param {ModelRequest['messages']} messages
 * @returns {({ call: string, tool: string } | { result: string | undefined })[]}
 */
function toolExchanges(messages) {
	return messages.flatMap(
		/** @returns {ReturnType<typeof toolExchanges>} */
		({ role, toolCalls = [], toolCallId }) =>
			role === 'tool'
				? [{ result: toolCallId }]
				: toolCalls.map(({ id, name }) => ({ call: id, tool: name })),
	);
}

/**
 * The example with its credentials replaced, "Use Responses API" set and the case's email in the
 * prompt, under a new id.
 * @param {Workflow} example
 * @param {{ platformly: CredentialRef, openAi: CredentialRef }} credentials
 * @param {string} name
 * @param {AgentCase} agentCase
 * @returns {Workflow}
 */
function exampleFor(example, credentials, name, { api, email }) {
	/** @type {Workflow} */
	const workflow = structuredClone(example);
	workflow.id = newId('wf');
	workflow.name = `${example.name} (${name})`;
	for (const node of workflow.nodes) {
		if (node.name === AGENT_NODE_NAME && email && ANN) {
			node.parameters.text = String(node.parameters.text).replaceAll(ANN.email, email);
		}
		if (node.credentials?.platformlyApi) node.credentials.platformlyApi = credentials.platformly;
		if (node.credentials?.[OPENAI_CREDENTIAL_TYPE]) {
			node.credentials[OPENAI_CREDENTIAL_TYPE] = credentials.openAi;
		}
		if (node.type === CHAT_MODEL_TYPE) {
			node.parameters.responsesApiEnabled = RESPONSES_API_ENABLED[api];
		}
	}
	return workflow;
}

/**
 * What a tool node gave the agent in the run: its output items, which n8n records under ai_tool.
 * @param {N8nRun} run
 * @param {string} nodeName
 * @returns {Record<string, unknown>[] | undefined}
 */
function toolOutput(run, nodeName) {
	const tasks = run.data.resultData.runData[nodeName] ?? [];
	const outputs = /** @type {{ ai_tool?: (N8nItem[] | null)[] } | undefined} */ (tasks[0]?.data);
	return tasks.length === 1 ? outputs?.ai_tool?.[0]?.map(({ json }) => json) : undefined;
}

/**
 * Every `$fromAI('key', 'description', 'type')` in a node's parameters.
 * @param {Record<string, unknown>} parameters
 * @returns {Record<string, ToolParameter>}
 */
function fromAiCalls(parameters) {
	const calls = JSON.stringify(parameters).matchAll(/\$fromAI\('([^']*)', '([^']*)', '([^']*)'\)/g);
	return Object.fromEntries(
		[...calls].map(([, key, description, type]) => [key, { type, description }]),
	);
}

describe(`An AI agent using the Platformly node as its tools, n8n ${e2eN8nVersion()}`, () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	const platformlyKey = randomApiKey();
	// Shaped like an OpenAI key; it exists nowhere else, so finding it in n8n's files means a leak.
	const openAiKey = `sk-${randomApiKey()}`;
	/** @type {Workflow} */
	let example;
	/** @type {Record<keyof typeof CASES, AgentRun>} */
	const runs = /** @type {never} */ ({});
	/** @type {Record<string, string[]>} */
	let filesWithSecrets = {};

	before(
		async () => {
			const instance = await e2eUserFolder(cleanups);
			({ workflow: example } = await loadExampleWorkflow(EXAMPLE_FILE));
			const prepared = await Promise.all(
				Object.entries(CASES).map(async ([name, agentCase]) => {
					const sandbox = await startSandbox({ apiKey: platformlyKey, faults: agentCase.faults });
					cleanups.push(() => sandbox.close());
					const model = await startScriptedModel({
						steps: agentCase.script(),
						apiKey: openAiKey,
					});
					cleanups.push(() => model.close());
					const platformly = sandboxCredential(sandbox, { name: `Platformly for ${name}` });
					// n8n's OpenAI credential: its Base URL field is `url`.
					const openAi = {
						id: newId('cred'),
						name: `Scripted model for ${name}`,
						type: OPENAI_CREDENTIAL_TYPE,
						data: { apiKey: openAiKey, url: model.url },
					};
					const workflow = exampleFor(example, { platformly, openAi }, name, agentCase);
					return { name, sandbox, model, credentials: [platformly, openAi], workflow };
				}),
			);
			await instance.importCredentials(prepared.flatMap((entry) => entry.credentials));
			await instance.importWorkflows(prepared.map(({ workflow }) => workflow));
			const { executions } = await instance.executeBatch(
				prepared.map(({ workflow }) => workflow.id),
			);
			for (const { name, sandbox, model, workflow } of prepared) {
				runs[name] = {
					workflowId: workflow.id,
					execution: executions[workflow.id],
					fired: firedEvents(sandbox),
					platformlyRequests: sandbox.requests(),
					sandboxState: sandbox.state(),
					modelRequests: model.requests(),
					otherModelRequests: model.otherRequests(),
					modelErrors: model.errors(),
				};
			}
			// Named, not keyed by the keys: a failing comparison prints its objects.
			filesWithSecrets = {
				platformlyKey: await instance.filesContaining(platformlyKey),
				openAiKey: await instance.filesContaining(openAiKey),
			};
		},
		{ timeout: 5 * 60_000 },
	);

	after(() => runCleanups(cleanups));

	test("the example's tools are Platformly tool nodes whose fields are the $fromAI() calls the model is told of", () => {
		assert.equal(
			chatModelOf(example).parameters.responsesApiEnabled,
			RESPONSES_API_ENABLED.responses,
		);
		for (const tool of Object.values(TOOLS)) {
			const node = example.nodes.find(({ name }) => name === tool.node);
			assert.equal(node?.type, PLATFORMLY_TOOL_TYPE);
			assert.deepEqual(
				{ resource: node.parameters.resource, operation: node.parameters.operation },
				{ resource: 'contact', operation: tool.operation },
			);
			assert.equal(node.parameters.descriptionType, 'auto');
			assert.equal(node.onError, tool.onError);
			assert.deepEqual(fromAiCalls(node.parameters), tool.parameters);
		}
		const agent = example.nodes.find(({ name }) => name === AGENT_NODE_NAME);
		assert.ok(ANN);
		assert.match(String(agent?.parameters.text), new RegExp(`event ${EVENT_ID} .*${ANN.email}`));
	});

	for (const name of FIRING_CASES) {
		const { api } = CASES[name];
		describe(`through the ${api === 'responses' ? 'Responses API' : 'Chat Completions API'}`, () => {
			test("the run succeeds and the agent's output is the model's final text", () => {
				const { execution, modelErrors } = runs[name];
				assert.deepEqual(modelErrors, []);
				assert.equal(runError(execution.run), undefined);
				assert.equal(execution.status, 'success');
				assert.deepEqual(
					nodeOutputs(execution.run, AGENT_NODE_NAME)?.main.map(({ json }) => json),
					[{ output: FINAL_TEXT }],
				);
			});

			test('the sandbox fired exactly one event, for the contact Get contact found by email', () => {
				assert.ok(ANN);
				assert.deepEqual(runs[name].fired, [
					{ contactId: ANN.id, email: ANN.email, event: EVENT_ID, options: null },
				]);
				assert.deepEqual(
					runs[name].platformlyRequests.map(({ action, email, apiKeyValid, outcome }) => ({
						action,
						email,
						apiKeyValid,
						outcome,
					})),
					[
						{ action: 'fetch_contact', email: ANN.email, apiKeyValid: true, outcome: 'success' },
						{ action: 'contact_event_fire', email: null, apiKeyValid: true, outcome: 'success' },
					],
				);
			});

			test(`the model was asked three times, through ${api}, for the chosen model, with the credential's key, first with the prompt alone`, () => {
				const { model: chosen } = chatModelOf(example).parameters;
				const modelId = /** @type {{ value: string }} */ (chosen).value;
				assert.deepEqual(
					runs[name].modelRequests.map(({ turn, api, model }) => ({ turn, api, model })),
					[1, 2, 3].map((turn) => ({ turn, api, model: modelId })),
				);
				const agent = example.nodes.find(({ name }) => name === AGENT_NODE_NAME);
				assert.deepEqual(runs[name].modelRequests[0].messages, [
					{ role: 'user', content: agent?.parameters.text },
				]);
				// A request without the credential's key, or to any other path, would be listed here.
				assert.deepEqual(runs[name].otherModelRequests, []);
			});

			test('every request offered both tools, each with its description and parameters', () => {
				const expected = Object.values(TOOLS)
					.map(({ name, description, parameters }) => ({
						name,
						description,
						parameters: {
							type: 'object',
							properties: parameters,
							required: Object.keys(parameters),
							additionalProperties: false,
							$schema: 'http://json-schema.org/draft-07/schema#',
						},
					}))
					.sort((a, b) => a.name.localeCompare(b.name));
				for (const { turn, tools } of runs[name].modelRequests) {
					const offered = [...tools].sort((a, b) => a.name.localeCompare(b.name));
					assert.deepEqual(offered, expected, `the tools offered in request ${turn}`);
				}
			});

			test('the tool results passed back hold the contact the sandbox has, then the answer to the fire', () => {
				const { execution, modelRequests, sandboxState } = runs[name];
				const [, second, third] = modelRequests;
				const getCall = { call: 'call_1', tool: TOOLS.get.name };
				const fireCall = { call: 'call_2', tool: TOOLS.fire.name };
				assert.deepEqual(toolExchanges(second.messages), [getCall, { result: 'call_1' }]);
				assert.deepEqual(toolExchanges(third.messages), [
					getCall,
					{ result: 'call_1' },
					fireCall,
					{ result: 'call_2' },
				]);
				const lookedUp = toolOutput(execution.run, TOOLS.get.node);
				assert.ok(lookedUp, 'Get contact did not run once');
				assert.deepEqual(JSON.parse(toolResult(second.messages, 'call_1')), lookedUp);
				const held = sandboxState.contacts.find(({ id }) => id === ANN?.id);
				assert.ok(held);
				const { id, email, first_name, last_name } = lookedUp[0];
				assert.deepEqual(
					{ id, email, first_name, last_name },
					{
						id: held.id,
						email: held.email,
						first_name: held.first_name,
						last_name: held.last_name,
					},
				);
				const fireAnswer = JSON.parse(toolResult(third.messages, 'call_2'));
				assert.deepEqual(fireAnswer, toolOutput(execution.run, TOOLS.fire.node));
				assert.deepEqual(fireAnswer, [
					{ status: 'success', message: 'The action has been processed' },
				]);
			});
		});
	}

	describe('for a contact Platformly does not know', () => {
		test('the failed lookup goes back to the model as the tool result, and nothing is fired', () => {
			const { execution, modelErrors, fired, platformlyRequests, modelRequests } =
				runs.unknownContact;
			assert.deepEqual(modelErrors, []);
			assert.equal(runError(execution.run), undefined);
			assert.deepEqual(
				nodeOutputs(execution.run, AGENT_NODE_NAME)?.main.map(({ json }) => json),
				[{ output: NOT_FOUND_TEXT }],
			);
			assert.deepEqual(fired, []);
			assert.deepEqual(
				platformlyRequests.map(({ action, email, outcome }) => ({ action, email, outcome })),
				[{ action: 'fetch_contact', email: UNKNOWN_EMAIL, outcome: 'error:Contact Not Found' }],
			);
			assert.equal(modelRequests.length, 2);
			// With On Error › Continue, the node's output is the error item; n8n passes it back as it is.
			const errorItems = toolOutput(execution.run, TOOLS.get.node);
			assert.deepEqual(JSON.parse(toolResult(modelRequests[1].messages, 'call_1')), errorItems);
			assert.equal(errorItems?.length, 1);
			const [{ error, ...rest }] = errorItems;
			assert.deepEqual(rest, {});
			assert.match(String(error), /^Contact Not Found\b.*nobody@example\.com/);
		});
	});

	describe("when Platformly's answer quotes the API key", () => {
		test('the tool result the model gets holds the error with the key hidden, and no request to the model holds the key', () => {
			const { execution, modelErrors, fired, modelRequests } = runs.echoedKey;
			assert.deepEqual(modelErrors, []);
			assert.equal(runError(execution.run), undefined);
			assert.deepEqual(fired, []);
			assert.equal(modelRequests.length, 2);
			assert.deepEqual(JSON.parse(toolResult(modelRequests[1].messages, 'call_1')), [
				{ error: 'Invalid API key: [hidden] (sent as api_key=[hidden])' },
			]);
			assert.ok(
				!JSON.stringify(modelRequests).includes(platformlyKey),
				'a request to the model holds the key',
			);
		});
	});

	test('neither API key is in what n8n stored or logged, nor in a stored execution', () => {
		assert.deepEqual(filesWithSecrets, { platformlyKey: [], openAiKey: [] });
		for (const { workflowId, execution } of Object.values(runs)) {
			// The search must look at real data: every stored execution names its workflow.
			assert.ok(execution.storedRows.includes(workflowId), 'the stored execution was not read');
			for (const key of [platformlyKey, openAiKey]) {
				assert.ok(!execution.storedRows.includes(key), 'a stored execution contains a key');
			}
		}
	});
});
