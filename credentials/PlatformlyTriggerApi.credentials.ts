import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { PLATFORMLY_TRIGGER_CREDENTIAL_TYPE } from '../nodes/Platformly/transport/credential';

/**
 * The shared secret of a Platformly Trigger, kept in a credential so that n8n stores it
 * encrypted rather than in the workflow. Platformly does not see it: the user puts it in the URL
 * they paste into an automation, and the trigger checks it on every post. Its Test is the
 * trigger's `platformlyTriggerSecretTest` (named in the trigger's `testedBy`): there is nothing
 * to ask Platformly, only whether the secret can travel in a URL.
 */
export class PlatformlyTriggerApi implements ICredentialType {
	name = PLATFORMLY_TRIGGER_CREDENTIAL_TYPE;

	displayName = 'Platformly Trigger API';

	icon: Icon = {
		light: 'file:../nodes/Platformly/platformly.svg',
		dark: 'file:../nodes/Platformly/platformly.dark.svg',
	};

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-platformly#platformly-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A secret of your own, 16 to 256 letters, digits or . _ ~ -. Add ?secret=<it> to the URL you paste into Platformly.',
		},
	];
}
