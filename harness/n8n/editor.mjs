// @ts-check
// Talks to a running n8n (`n8n start`) the way its editor does: signed in as a user, asking the
// node for the entries of its dropdowns and resource locators. This is the path the editor takes
// when a list opens, so it proves the node's loaders inside n8n rather than in a test context.
import { randomUUID } from 'node:crypto';
import { CREDENTIAL_TYPE, NODE_TYPE } from './config.mjs';

/**
 * @typedef {import('n8n-workflow').INodePropertyOptions} INodePropertyOptions
 * @typedef {import('n8n-workflow').INodeListSearchResult} INodeListSearchResult
 * @typedef {import('n8n-workflow').INodeCredentialTestResult} INodeCredentialTestResult
 * @typedef {import('./workflows.mjs').CredentialRef} CredentialRef
 * @typedef {import('./workflows.mjs').PlatformlyCredential} PlatformlyCredential
 * @typedef {import('./instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../proc.mjs').Cleanup} Cleanup
 *
 * What n8n's owner set-up form takes.
 * @typedef {{ email: string, firstName: string, lastName: string, password: string }} Owner
 */

/**
 * n8n's answer to a REST request: `data` on success, its error `message` otherwise.
 * @template T
 * @typedef {object} EditorAnswer
 * @property {number} status
 * @property {T | undefined} data
 * @property {string | undefined} message
 */

/**
 * What the editor sends for a dropdown or a resource locator of the Platformly node.
 * @typedef {object} NodeListRequest
 * @property {string} methodName
 * @property {string} path the parameter's path, e.g. 'additionalFields.tagIds'
 * @property {Record<string, unknown>} parameters the node's current, unsaved parameters
 * @property {CredentialRef} credential
 */

/** The owner startEditor() sets n8n up with; the editor's requests are made as them. */
const EDITOR_OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'Platformly-e2e-1',
};

/**
 * Imports `credentials` into the user folder, starts `n8n start` on it (stopped by `cleanups`),
 * and signs in a new owner: the editor's side of a running n8n.
 * @param {N8nUserFolder} instance
 * @param {PlatformlyCredential[]} credentials
 * @param {Cleanup[]} cleanups
 * @returns {Promise<EditorSession>}
 */
export async function startEditor(instance, credentials, cleanups) {
	await instance.importCredentials(credentials);
	const server = await instance.start({ quiet: true });
	cleanups.push(() => server.stop());
	await server.ready();
	return signInAsNewOwner(server.url, EDITOR_OWNER);
}

/**
 * Creates the instance's owner (n8n's set-up form) and returns a session signed in as them. n8n
 * ties its session cookie to the browser that got it, named in a `browser-id` header.
 * @param {string} url
 * @param {Owner} owner
 * @returns {Promise<EditorSession>}
 */
async function signInAsNewOwner(url, owner) {
	const browserId = randomUUID();
	const response = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': browserId },
		body: JSON.stringify(owner),
	});
	if (!response.ok)
		throw new Error(
			`n8n refused the owner set-up: HTTP ${response.status} ${await response.text()}`,
		);
	const cookie = response.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.join('; ');
	return new EditorSession(url, { cookie, 'browser-id': browserId });
}

export class EditorSession {
	/**
	 * @param {string} url
	 * @param {Record<string, string>} headers
	 */
	constructor(url, headers) {
		this.url = url;
		this.headers = headers;
	}

	/**
	 * `{ status, data, message }`: n8n's `data` on success, its error `message` otherwise.
	 * @template T
	 * @param {string} path
	 * @param {unknown} body
	 * @returns {Promise<EditorAnswer<T>>}
	 */
	async post(path, body) {
		const response = await fetch(`${this.url}/rest${path}`, {
			method: 'POST',
			headers: { ...this.headers, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const answer = /** @type {{ data?: T, message?: string }} */ (
			await response.json().catch(() => ({}))
		);
		return { status: response.status, data: answer.data, message: answer.message };
	}

	/**
	 * What a dropdown of the Platformly node lists. `parameters` are the node's current, unsaved
	 * parameters, as the editor sends them; `credential` is `{ id, name }`.
	 * @param {NodeListRequest} request
	 * @returns {Promise<EditorAnswer<INodePropertyOptions[]>>}
	 */
	loadOptions({ methodName, path, parameters, credential }) {
		return this.post('/dynamic-node-parameters/options', {
			...this.#nodeRequest(path, parameters, credential),
			methodName,
		});
	}

	/**
	 * What the credential form's Test button shows: n8n's `{ status, message }`. `credential` is
	 * one that exists in n8n (`{ id, name, type, data }`); `data` is what the form holds now.
	 * @param {PlatformlyCredential} credential
	 * @returns {Promise<INodeCredentialTestResult>}
	 */
	async testCredential(credential) {
		/** @type {EditorAnswer<INodeCredentialTestResult>} */
		const answer = await this.post('/credentials/test', { credentials: credential });
		if (answer.status !== 200)
			throw new Error(`n8n refused the credential test: HTTP ${answer.status} ${answer.message}`);
		// HTTP 200: n8n answered with the test's result.
		return /** @type {INodeCredentialTestResult} */ (answer.data);
	}

	/**
	 * What a resource locator's "From List" mode lists for `filter`.
	 * @param {NodeListRequest & { filter?: string }} request
	 * @returns {Promise<EditorAnswer<INodeListSearchResult>>}
	 */
	searchList({ methodName, path, parameters, credential, filter }) {
		return this.post('/dynamic-node-parameters/resource-locator-results', {
			...this.#nodeRequest(path, parameters, credential),
			methodName,
			...(filter === undefined ? {} : { filter }),
		});
	}

	/**
	 * @param {string} path
	 * @param {Record<string, unknown>} parameters
	 * @param {CredentialRef} credential
	 */
	#nodeRequest(path, parameters, credential) {
		return {
			nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
			path,
			currentNodeParameters: parameters,
			credentials: { [CREDENTIAL_TYPE]: credential },
		};
	}
}
