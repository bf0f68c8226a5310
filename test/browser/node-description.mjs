// @ts-check
// What the browser tests compare the editor with: the node's description as built into dist/ by
// this run's `npm run build` (the same build that was packed and installed into n8n), and the
// sandbox's own texts.
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_NAME, REPO_ROOT } from '../../harness/n8n/config.mjs';

/**
 * @typedef {import('n8n-workflow').INodeTypeDescription} INodeTypeDescription
 * @typedef {import('n8n-workflow').INodeProperties} INodeProperties
 * @typedef {import('n8n-workflow').INodePropertyOptions} INodePropertyOptions
 */

const requireFromRepo = createRequire(path.join(REPO_ROOT, 'package.json'));

/** @type {{ n8n: { nodes: string[] } }} */
const packageJson = requireFromRepo('./package.json');
const nodeFile = packageJson.n8n.nodes.find((file) => file.endsWith('/Platformly.node.js'));
if (!nodeFile) throw new Error('package.json lists no Platformly.node.js');

/** @type {{ Platformly: new () => { description: INodeTypeDescription } }} */
const nodeModule = requireFromRepo(`./${nodeFile}`);

/** The Platformly node's description. */
export const description = new nodeModule.Platformly().description;

const triggerFile = packageJson.n8n.nodes.find((file) =>
	file.endsWith('/PlatformlyTrigger.node.js'),
);
if (!triggerFile) throw new Error('package.json lists no PlatformlyTrigger.node.js');

/** @type {{ PlatformlyTrigger: new () => { description: INodeTypeDescription } }} */
const triggerModule = requireFromRepo(`./${triggerFile}`);

/**
 * What the nodes panel says of the package's one entry, Platformly: n8n gives a node merged with
 * its trigger the trigger's description.
 */
export const panelEntryDescription = new triggerModule.PlatformlyTrigger().description.description;

/** `{ processed, contactNotFound, invalidApiKey, … }`: what the sandbox answers with. */
export const SANDBOX_MESSAGES = /** @type {Record<string, string>} */ (
	requireFromRepo('./sandbox').MESSAGES
);

/**
 * Where n8n serves the node's light icon: /icons/<package>/<the node's folder>/<file>.
 * @returns {string}
 */
export function iconPath() {
	const icon = /** @type {{ light: string }} */ (description.icon);
	const file = icon.light.replace(/^file:/, '');
	return `/icons/${PACKAGE_NAME}/${path.posix.dirname(/** @type {string} */ (nodeFile))}/${file}`;
}

/**
 * The actions the nodes panel should list, grouped as it groups them: per resource, in the
 * Resource dropdown's order, each operation's `action` text in the Operation dropdown's order.
 * @returns {{ group: string, actions: string[] }[]}
 */
export function actionGroups() {
	const properties = description.properties;
	const resource = properties.find(({ name }) => name === 'resource');
	if (!resource) throw new Error('The node has no Resource field');
	return /** @type {INodePropertyOptions[]} */ (resource.options).map((option) => {
		const operations = properties.find(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes(option.value),
		);
		if (!operations) throw new Error(`The node has no operations for ${option.name}`);
		return {
			group: `${option.name} Actions`,
			actions: /** @type {INodePropertyOptions[]} */ (operations.options).map(
				(operation) => operation.action ?? operation.name,
			),
		};
	});
}

/**
 * The labels of the Options collection's entries, in the order the node declares them (the unit
 * tests pin the names themselves).
 * @returns {string[]}
 */
export function optionNames() {
	const options = description.properties.find(({ name }) => name === 'options');
	if (!options) throw new Error('The node has no Options collection');
	return /** @type {INodeProperties[]} */ (options.options).map(({ displayName }) => displayName);
}
