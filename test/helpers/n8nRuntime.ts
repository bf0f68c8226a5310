import { ExecuteContext, LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	IDataObject,
	IExecuteData,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, Workflow } from 'n8n-workflow';

import { PlatformlyApi } from '../../credentials/PlatformlyApi.credentials';
import { Platformly } from '../../nodes/Platformly/Platformly.node';

/**
 * Runs the Platformly node the way n8n does: n8n-core's ExecuteContext resolves the parameters
 * (defaults and expressions, per item), decides continue-on-fail, and sends every request through
 * n8n-core's httpRequestWithAuthentication. Only the credential store is replaced: it hands out
 * the test credential and calls the credential type's `authenticate`, as n8n's own does.
 */

export const TEST_API_KEY = 'unitTestKey7f3a9c2e5b8d1046aa39';
export const TEST_BASE_URL = 'https://api.platformly.test';

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	parameters: INodeParameters;
	items?: IDataObject[];
	onError?: OnError;
	credentials?: ICredentialDataDecryptedObject;
	abortSignal?: AbortSignal;
}

const credentialType = new PlatformlyApi();

/** Decrypted credentials by credential type, as the test gives them. */
export type CredentialsByType = Record<string, ICredentialDataDecryptedObject>;

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: CredentialsByType) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		if (typeName !== credentialType.name) throw new Error(`unexpected credential type ${typeName}`);
		return await credentialType.authenticate(credentials, requestOptions as IHttpRequestOptions);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the Platformly node');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const credentials = this.credentials[type];
		if (!credentials) throw new Error(`no ${type} credential in this test`);
		return { ...credentials };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return credentialType.properties;
	}
}

/** The node types of a workflow holding only `nodeType`. */
export function onlyNodeType(nodeType: INodeType): INodeTypes {
	return {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
}

const nodeType: INodeType = new Platformly();
const nodeTypes = onlyNodeType(nodeType);

function createWorkflow(parameters: INodeParameters, onError: OnError = 'stopWorkflow') {
	const node: INode = {
		id: 'platformly-node',
		name: 'Platformly',
		type: 'n8n-nodes-platformly.platformly',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { platformlyApi: { id: 'cred-1', name: 'Platformly account' } },
		onError,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return { workflow, node: workflow.getNode(node.name) as INode };
}

export function createAdditionalData(
	credentials: ICredentialDataDecryptedObject = { apiKey: TEST_API_KEY, baseUrl: TEST_BASE_URL },
	currentNodeParameters?: INodeParameters,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper({ [credentialType.name]: credentials }),
		executionId: 'unit-test',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		currentNodeParameters,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** An n8n-core execution context for one Platformly node holding the given parameters and items. */
export function createExecuteContext(options: RunOptions): {
	context: ExecuteContext;
	workflow: Workflow;
} {
	const { workflow, node } = createWorkflow(options.parameters, options.onError);
	const items: INodeExecutionData[] = (options.items ?? [{}]).map((json) => ({ json }));
	const executeData: IExecuteData = { node, data: { main: [items] }, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		createAdditionalData(options.credentials),
		'manual',
		createRunExecutionData(),
		0,
		items,
		{ main: [items] },
		executeData,
		[],
		options.abortSignal,
	);
	return { context, workflow };
}

/**
 * The context n8n gives a dropdown's loader while the user edits the node: it sees the node's
 * current, unsaved parameters, and has no items.
 */
export function createLoadOptionsContext(
	parameters: INodeParameters,
	path = 'parameter',
): LoadOptionsContext {
	const { workflow, node } = createWorkflow(parameters);
	return new LoadOptionsContext(workflow, node, createAdditionalData(undefined, parameters), path);
}

/** The node's output items (its single output); throws what the node throws. */
export async function runPlatformly(options: RunOptions): Promise<INodeExecutionData[]> {
	const { context } = createExecuteContext(options);
	const [output] = (await nodeType.execute!.call(context)) as INodeExecutionData[][];
	return output;
}
