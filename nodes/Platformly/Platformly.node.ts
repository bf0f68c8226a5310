import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listSearch, loadOptions } from './methods';
import { credentialTest } from './methods/credentialTest';
import { operationSubtitle, resourceProperties } from './resources';
import { runOperation } from './router';
import { settingsProperty } from './settings';
import { PLATFORMLY_CREDENTIAL_TYPE } from './shared/actions';

export class Platformly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Platformly',
		name: 'platformly',
		icon: { light: 'file:platformly.svg', dark: 'file:platformly.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle,
		description: 'Fire Platformly events for contacts, and manage contacts, tags, segments, events and custom fields',
		defaults: { name: 'Platformly' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: PLATFORMLY_CREDENTIAL_TYPE, required: true, testedBy: 'platformlyApiTest' }],
		properties: [...resourceProperties, settingsProperty],
	};

	methods = { loadOptions, listSearch, credentialTest };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [await runOperation(this)];
	}
}
