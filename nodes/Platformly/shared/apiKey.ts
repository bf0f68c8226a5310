import type { IDataObject } from 'n8n-workflow';

/**
 * Platformly reads the key from the form body, not from a header. The one place that puts it
 * there: the credential's `authenticate` for the node's requests, and the credential's Test.
 */
export function withApiKey(body: IDataObject, apiKey: unknown): IDataObject {
	return { ...body, api_key: apiKey as string };
}
