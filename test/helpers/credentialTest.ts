import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';

import { PlatformlyApi } from '../../credentials/PlatformlyApi.credentials';
import { Platformly } from '../../nodes/Platformly/Platformly.node';

const credential = new PlatformlyApi();
const node = new Platformly();

/**
 * What n8n's credential tester does when the editor's Test button is pressed: it finds the node
 * that names this credential with `testedBy` and calls that method in n8n-core's own
 * CredentialTestContext, whose only request helper is the legacy `request`.
 */
export async function runCredentialTest(
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const [{ testedBy }] = node.description.credentials!;
	const test = node.methods.credentialTest[testedBy as 'platformlyApiTest'];
	return await test.call(new CredentialTestContext(), {
		id: 'cred-1',
		name: 'Platformly',
		type: credential.name,
		data,
	});
}
