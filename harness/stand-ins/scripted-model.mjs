// @ts-check
// A scripted stand-in for OpenAI's API on loopback, for tests of n8n's AI Agent. n8n's OpenAI Chat
// Model node sends its requests here (its openAiApi credential's Base URL is this server's `url`)
// and each one is answered by the next step of a script instead of a model. It speaks both APIs the
// node uses: Chat Completions (`POST /v1/chat/completions`, the node's "Use Responses API" off,
// and every version before 1.3) and the Responses API (`POST /v1/responses`, on by default from
// version 1.3). A run asks nothing else: the model is named in the node's parameters, and
// `GET /v1/models` is only the editor's model list and the credential's Test.
//
// Every completion request is recorded the same way for both APIs: the tools the model was offered
// (name, description, parameters' JSON schema) and the conversation it was sent, tool results
// included. The API key is never kept: a request without the expected one is answered 401.
//
// Anything the script does not expect is answered with an OpenAI-style error whose message says what
// went wrong, and is listed by errors(): another path (404), a request without the key (401), a
// request after the last step, a step that throws, a tool call naming a tool the request did not
// offer, a streamed request, a body that is not JSON (400) or is over MAX_BODY_BYTES (413).
import http from 'node:http';

/**
 * What one completion request told the model about one tool.
 * @typedef {object} OfferedTool
 * @property {string} name
 * @property {string} description
 * @property {unknown} parameters the JSON schema of its arguments
 *
 * A tool call, as the model made it in an earlier turn, or as a step makes it.
 * @typedef {object} ToolCall
 * @property {string} id
 * @property {string} name
 * @property {unknown} arguments parsed from the JSON text sent
 *
 * One message of the conversation a request sent, the same for both APIs.
 * @typedef {object} ConversationMessage
 * @property {string} role 'system', 'developer', 'user', 'assistant' or 'tool'
 * @property {string} content its text; '' for an assistant message that only calls tools
 * @property {ToolCall[]} [toolCalls] an assistant message's
 * @property {string} [toolCallId] a tool result's: the call it answers
 *
 * One completion request, as recorded and as a step gets it.
 * @typedef {object} ModelRequest
 * @property {number} turn from 1, in arrival order
 * @property {ModelApi} api
 * @property {string} model
 * @property {OfferedTool[]} tools
 * @property {ConversationMessage[]} messages
 *
 * @typedef {'chat.completions' | 'responses'} ModelApi
 *
 * What a step answers: a call to one of the offered tools, or the final text.
 * @typedef {{ tool: string, arguments: Record<string, unknown> } | { text: string }} StepReply
 *
 * @callback ScriptStep
 * @param {ModelRequest} request
 * @returns {StepReply}
 *
 * Any other request (another path, or one without the expected key), as recorded.
 * @typedef {{ method: string, path: string, status: number }} OtherRequest
 *
 * @typedef {object} ScriptedModel
 * @property {string} url the Base URL for the openAiApi credential, ending in /v1
 * @property {() => ModelRequest[]} requests every completion request, in arrival order
 * @property {() => OtherRequest[]} otherRequests
 * @property {() => string[]} errors what every error answer said, in order
 * @property {() => Promise<void>} close
 */

/** A completion request with the whole conversation and tool list stays far below this. */
const MAX_BODY_BYTES = 1024 * 1024;
/** @type {Readonly<Record<string, ModelApi | undefined>>} */
const COMPLETION_APIS = {
	'/v1/chat/completions': 'chat.completions',
	'/v1/responses': 'responses',
};

class ScriptError extends Error {
	/**
	 * @param {string} message
	 * @param {number} [status]
	 */
	constructor(message, status = 400) {
		super(message);
		this.status = status;
	}
}

/**
 * Starts the server on a free loopback port.
 * @param {object} options
 * @param {ScriptStep[]} options.steps one per completion request, in order
 * @param {string} options.apiKey the key the credential holds
 * @returns {Promise<ScriptedModel>}
 */
export async function startScriptedModel({ steps, apiKey }) {
	/** @type {ModelRequest[]} */
	const requests = [];
	/** @type {OtherRequest[]} */
	const otherRequests = [];
	/** @type {string[]} */
	const errors = [];

	/**
	 * @param {http.IncomingMessage} request
	 * @returns {Promise<{ status: number, body: unknown }>}
	 */
	async function answer(request) {
		const path = new URL(request.url ?? '/', 'http://localhost').pathname;
		if (request.headers.authorization !== `Bearer ${apiKey}`) {
			otherRequests.push({ method: request.method ?? '', path, status: 401 });
			request.resume();
			return {
				status: 401,
				body: errorBody('scripted model: the API key is not the expected one'),
			};
		}
		const api = request.method === 'POST' ? COMPLETION_APIS[path] : undefined;
		if (!api) {
			otherRequests.push({ method: request.method ?? '', path, status: 404 });
			request.resume();
			const answered = Object.keys(COMPLETION_APIS).join(' and ');
			return {
				status: 404,
				body: errorBody(`scripted model: no ${request.method} ${path} here, only POST ${answered}`),
			};
		}
		const body = await readJsonBody(request);
		if (body.stream)
			throw new ScriptError('streamed requests are not scripted; send stream: false');
		/** @type {ModelRequest} */
		const modelRequest = {
			turn: requests.length + 1,
			api,
			model: typeof body.model === 'string' ? body.model : '',
			...(api === 'responses' ? readResponsesRequest(body) : readChatRequest(body)),
		};
		requests.push(modelRequest);
		const step = steps[modelRequest.turn - 1];
		if (!step) {
			throw new ScriptError(
				`request ${modelRequest.turn} is unexpected: the script has ${steps.length} step(s)`,
			);
		}
		let reply;
		try {
			reply = step(modelRequest);
		} catch (error) {
			throw new ScriptError(`step ${modelRequest.turn} failed: ${error.message}`);
		}
		if ('tool' in reply && !modelRequest.tools.some(({ name }) => name === reply.tool)) {
			throw new ScriptError(
				`step ${modelRequest.turn} calls the tool "${reply.tool}", which the request did not offer (offered: ${modelRequest.tools.map(({ name }) => name).join(', ') || 'none'})`,
			);
		}
		const format = api === 'responses' ? responsesReply : chatReply;
		return { status: 200, body: format(reply, modelRequest) };
	}

	const server = http.createServer((request, response) => {
		answer(request)
			.catch((error) => {
				const status = error instanceof ScriptError ? error.status : 500;
				return { status, body: errorBody(`scripted model: ${error.message}`) };
			})
			.then(({ status, body }) => {
				if (status >= 400) errors.push(/** @type {ErrorBody} */ (body).error.message);
				response.writeHead(status, {
					'content-type': 'application/json',
					...(status === 413 && { connection: 'close' }),
				});
				response.end(JSON.stringify(body));
			});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(undefined));
	});
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests: () => structuredClone(requests),
		otherRequests: () => [...otherRequests],
		errors: () => [...errors],
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/**
 * @typedef {{ error: { message: string, type: string, param: null, code: null } }} ErrorBody
 * @param {string} message
 * @returns {ErrorBody}
 */
function errorBody(message) {
	return { error: { message, type: 'invalid_request_error', param: null, code: null } };
}

/**
 * @param {http.IncomingMessage} request
 * @returns {Promise<Record<string, any>>}
 */
async function readJsonBody(request) {
	/** @type {Buffer[]} */
	const chunks = [];
	let size = 0;
	for await (const chunk of request) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) {
			// Not read any further: the answer closes the connection.
			throw new ScriptError(`the body is over ${MAX_BODY_BYTES} bytes`, 413);
		}
		chunks.push(chunk);
	}
	let body;
	try {
		body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new ScriptError('the body is not JSON');
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new ScriptError('the body is not a JSON object');
	}
	return body;
}

/**
 * A message's text, from a string or a list of text parts (`text`, `input_text`, `output_text`).
 * @param {unknown} content
 */
function textOf(content) {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

/**
 * @param {unknown} text a tool call's arguments, sent as JSON text
 * @returns {unknown}
 */
function parseArguments(text) {
	if (typeof text !== 'string') return text;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * @param {Record<string, any>} body
 * @returns {{ tools: OfferedTool[], messages: ConversationMessage[] }}
 */
function readChatRequest(body) {
	const tools = (Array.isArray(body.tools) ? body.tools : []).map(({ function: fn }) => ({
		name: fn?.name,
		description: fn?.description ?? '',
		parameters: fn?.parameters,
	}));
	const messages = (Array.isArray(body.messages) ? body.messages : []).map((message) => ({
		role: message.role,
		content: textOf(message.content),
		...(Array.isArray(message.tool_calls) && {
			toolCalls: message.tool_calls.map((/** @type {Record<string, any>} */ call) => ({
				id: call.id,
				name: call.function?.name,
				arguments: parseArguments(call.function?.arguments),
			})),
		}),
		...(message.tool_call_id !== undefined && { toolCallId: message.tool_call_id }),
	}));
	return { tools, messages };
}

/**
 * The Responses API's `input` (a text or a list of messages, function calls and their outputs) and
 * `instructions`, as the same conversation Chat Completions would send.
 * @param {Record<string, any>} body
 * @returns {{ tools: OfferedTool[], messages: ConversationMessage[] }}
 */
function readResponsesRequest(body) {
	const tools = (Array.isArray(body.tools) ? body.tools : []).map((tool) => ({
		name: tool.name,
		description: tool.description ?? '',
		parameters: tool.parameters,
	}));
	/** @type {ConversationMessage[]} */
	const messages = [];
	if (typeof body.instructions === 'string') {
		messages.push({ role: 'system', content: body.instructions });
	}
	const input =
		typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
	for (const item of Array.isArray(input) ? input : []) {
		if (item.type === 'function_call') {
			messages.push({
				role: 'assistant',
				content: '',
				toolCalls: [
					{ id: item.call_id, name: item.name, arguments: parseArguments(item.arguments) },
				],
			});
		} else if (item.type === 'function_call_output') {
			messages.push({ role: 'tool', content: textOf(item.output), toolCallId: item.call_id });
		} else {
			messages.push({ role: item.role, content: textOf(item.content) });
		}
	}
	return { tools, messages };
}

/**
 * @param {StepReply} reply
 * @param {ModelRequest} request
 */
function chatReply(reply, { turn, model }) {
	const message =
		'tool' in reply
			? {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: `call_${turn}`,
							type: 'function',
							function: { name: reply.tool, arguments: JSON.stringify(reply.arguments) },
						},
					],
				}
			: { role: 'assistant', content: reply.text };
	return {
		id: `chatcmpl-scripted-${turn}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [
			{ index: 0, message, logprobs: null, finish_reason: 'tool' in reply ? 'tool_calls' : 'stop' },
		],
		usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
	};
}

/**
 * @param {StepReply} reply
 * @param {ModelRequest} request
 */
function responsesReply(reply, { turn, model }) {
	const output =
		'tool' in reply
			? {
					type: 'function_call',
					id: `fc_${turn}`,
					call_id: `call_${turn}`,
					name: reply.tool,
					arguments: JSON.stringify(reply.arguments),
					status: 'completed',
				}
			: {
					type: 'message',
					id: `msg_${turn}`,
					status: 'completed',
					role: 'assistant',
					content: [{ type: 'output_text', text: reply.text, annotations: [] }],
				};
	return {
		id: `resp_scripted_${turn}`,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		error: null,
		incomplete_details: null,
		model,
		output: [output],
		parallel_tool_calls: true,
		tool_choice: 'auto',
		tools: [],
		text: { format: { type: 'text' } },
		usage: {
			input_tokens: 0,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens: 0,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: 0,
		},
	};
}
