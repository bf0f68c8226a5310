import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerRefusals } from './errors';
import { PLATFORMLY_CREDENTIAL_TYPE, TRIGGER_SECRET_FIELD } from './transport/credential';
import { redactor } from './helpers/redaction';
import { fetchTimeoutProperty, withFetchedContacts } from './trigger/fetchContact';
import type { ReceivedRequest, Refusal } from './trigger/post';
import { itemOfPost, readPost } from './trigger/post';
import { isUsableSecret, secretsMatch } from './trigger/secret';

/** The parts of n8n's (Express) response the trigger uses. */
interface Response {
	status(code: number): { json(body: IDataObject): void };
}

/** Turns the request away with `refusal`; no execution starts. */
function refuse(response: Response, refusal: Refusal): IWebhookResponseData {
	response.status(refusal.status).json({ message: refusal.message });
	return { noWebhookResponse: true };
}

/**
 * Without a credential, or with one whose Trigger Secret is empty, every post is let in; with a
 * secret, only those that carry it. A post let in comes back with the secrets its fields must not
 * repeat.
 */
async function checkSecret(
	context: IWebhookFunctions,
	given: unknown,
): Promise<{ refusal: Refusal } | { secrets: string[] }> {
	if (!context.getNode().credentials?.[PLATFORMLY_CREDENTIAL_TYPE]) return { secrets: [] };
	const { [TRIGGER_SECRET_FIELD]: secret } = await context.getCredentials<{
		[TRIGGER_SECRET_FIELD]?: unknown;
	}>(PLATFORMLY_CREDENTIAL_TYPE);
	if (secret === undefined || secret === '') return { secrets: [] };
	if (!isUsableSecret(secret)) {
		return { refusal: { status: 500, message: triggerRefusals.unusableSecret } };
	}
	if (given === undefined || given === '') {
		return { refusal: { status: 401, message: triggerRefusals.noSecret } };
	}
	if (typeof given !== 'string' || !secretsMatch(given, secret)) {
		return { refusal: { status: 403, message: triggerRefusals.wrongSecret } };
	}
	return { secrets: [secret] };
}

export class PlatformlyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Platformly Trigger',
		name: 'platformlyTrigger',
		icon: { light: 'file:platformly.svg', dark: 'file:platformly.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["fetchContact"] ? "Automation posts, with their contact" : "Automation posts" }}',
		// n8n's nodes panel shows the package as one entry, Platformly, with the trigger's description
		// (its node creator gives a merged node and trigger the trigger's): so it speaks of both.
		description:
			'Fire events and manage contacts in Platformly, or start a workflow when a Platformly automation posts to it',
		defaults: { name: 'Platformly Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// One credential for the account, as for the Platformly node: its Trigger Secret guards the
		// URL, its API key is what Fetch Contact reads with. Optional: a trigger without either
		// needs none. Its Test is the Platformly node's, which n8n finds by that node's testedBy.
		credentials: [{ name: PLATFORMLY_CREDENTIAL_TYPE, required: false }],
		// Platformly's automation posts form fields; GET is taken too, in case it sends them in the
		// query. Both are the same URL. n8n answers with the webhookResponse the trigger returns
		// only when responseData is set and empty: left out, n8n sends the word "firstEntryJson".
		webhooks: (['POST', 'GET'] as const).map((httpMethod) => ({
			name: 'default',
			httpMethod,
			responseMode: 'onReceived',
			responseData: '',
			path: 'platformly',
		})),
		properties: [
			{
				displayName:
					'In Platformly, add an "HTTP Post" action to an automation and paste the Production URL above into it. Each post starts one execution with the fields it carries; contactID becomes contact_id.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName:
					'With a Platformly API credential that has a Trigger Secret, add ?secret=<the secret> to the URL you paste: posts without it are answered 401, with another one 403, and start nothing. Without one, anyone who learns the URL can start this workflow.',
				name: 'secretNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Fetch Contact',
				name: 'fetchContact',
				type: 'boolean',
				default: false,
				description:
					"Whether to read the post's contact from Platformly (by contact ID, else by email) with the Platformly API credential, and add it as contact. An unknown contact gives contact: null and the reason in contact_error.",
			},
			fetchTimeoutProperty,
		],
	};

	/**
	 * Nothing is registered at Platformly, which has no API for it: the user pastes the URL into
	 * an automation. So the URL exists as soon as the workflow is active, and creating or deleting
	 * it has nothing to do.
	 */
	webhookMethods = {
		default: {
			async checkExists(): Promise<boolean> {
				return true;
			},
			async create(): Promise<boolean> {
				return true;
			},
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject() as unknown as ReceivedRequest & {
			headers?: Record<string, string | undefined>;
		};
		const response = this.getResponseObject() as unknown as Response;
		const post = readPost({
			method: request.method,
			contentType: request.contentType,
			contentEncoding: request.headers?.['content-encoding'],
			rawBody: request.rawBody,
			body: request.body,
			query: request.query ?? {},
		});
		if (!post.ok) return refuse(response, post.refusal);
		const checked = await checkSecret(this, post.secret);
		if ('refusal' in checked) return refuse(response, checked.refusal);

		// n8n answers once it has stored the execution, so a post answered 2xx is never lost, even
		// if n8n stops right after; one it cannot store gets an error. Fetch Contact runs in the
		// execution (execute below), so it holds nobody up.
		const item = itemOfPost(redactor(checked.secrets).data(post.fields));
		return {
			workflowData: [this.helpers.returnJsonArray([item])],
			webhookResponse: { message: 'Workflow was started' },
		};
	}

	/** Runs in the execution the post started, with the post as its one item. */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		if (!this.getNodeParameter('fetchContact', 0, false)) return [items];
		return [await withFetchedContacts(this, items)];
	}
}
