import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentialTest, listSearch, loadOptions } from './methods';
import { optionsProperty } from './options';
import { operationSubtitle, resourceProperties } from './resources';
import { runOperation } from './router';
import { PLATFORMLY_CREDENTIAL_TYPE } from './transport/credential';

export class Platformly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Platformly',
		name: 'platformly',
		icon: { light: 'file:platformly.svg', dark: 'file:platformly.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle,
		description:
			'Fire Platformly events for contacts, and manage contacts, tags, segments, events and custom fields',
		defaults: { name: 'Platformly' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: PLATFORMLY_CREDENTIAL_TYPE, required: true, testedBy: 'platformlyApiTest' },
		],
		properties: [...resourceProperties, optionsProperty],
	};

	methods = { loadOptions, listSearch, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await runOperation(this)];
	}
}
