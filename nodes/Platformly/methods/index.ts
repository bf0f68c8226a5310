import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../settings';
import { PLATFORMLY_ACTIONS } from '../shared/actions';
import { listCall } from '../shared/calls';
import type { PlatformlyRequest } from '../shared/transport';
import { createPlatformlyClient, failureToNodeError } from '../shared/transport';
import { checkPositiveInteger } from '../shared/validation';

/**
 * Dropdowns filled from the account. Each reads every page, without the node's retries: the
 * editor shows a failure at once, and the user can open the list again.
 */
async function readList(context: ILoadOptionsFunctions, request: PlatformlyRequest, paged: boolean) {
	const client = await createPlatformlyClient(context, DEFAULT_TIMEOUT_MS);
	const outcome = await listCall(request, { paged })(client.send);
	if (!outcome.ok) throw failureToNodeError(context.getNode(), outcome.failure);
	return outcome.json;
}

// Platformly documents no paging for list_projects: one request returns them all.
const readProjects = (context: ILoadOptionsFunctions) =>
	readList(context, { action: PLATFORMLY_ACTIONS.listProjects, value: {} }, false);

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/**
 * The project chosen in the node, if one is chosen and valid; dropdowns that depend on it read it.
 * Read raw: n8n's value extraction throws for operations that have no project field.
 */
function chosenProjectId(context: ILoadOptionsFunctions): number | undefined {
	const raw = context.getCurrentNodeParameter('projectId') as { value?: unknown } | string | undefined;
	const projectId = checkPositiveInteger(typeof raw === 'object' ? raw?.value : raw);
	return projectId.ok ? projectId.value : undefined;
}

/**
 * Tags and segments belong to a project. With a project chosen in the node, its own are listed;
 * otherwise (adding tags to a contact needs no project) those of every project, each named with
 * its project.
 */
async function listAcrossProjects(
	context: ILoadOptionsFunctions,
	action: string,
): Promise<INodePropertyOptions[]> {
	const projectId = chosenProjectId(context);
	const projects =
		projectId === undefined
			? await readProjects(context)
			: [{ id: projectId }];
	const perProject = await Promise.all(
		projects.map(async (project) => {
			const entries = await readList(context, { action, value: { project_id: project.id } }, true);
			const suffix = projectId === undefined ? ` (${String(project.name)})` : '';
			return entries.map((entry) => ({ name: `${String(entry.name)}${suffix}`, value: Number(entry.id) }));
		}),
	);
	return perProject.flat().sort(byName);
}

export const loadOptions = {
	async getTags(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return await listAcrossProjects(this, PLATFORMLY_ACTIONS.listTags);
	},

	async getSegments(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		return await listAcrossProjects(this, PLATFORMLY_ACTIONS.listSegments);
	},

	/** Each field's value is the key Platformly sets it by: `cf_<alias>_<id>`. */
	async getCustomFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const projectId = chosenProjectId(this);
		if (projectId === undefined) {
			throw new NodeOperationError(this.getNode(), 'Choose the project first: custom fields belong to a project');
		}
		const fields = await readList(this, { action: PLATFORMLY_ACTIONS.listCustomFields, value: { project_id: projectId } }, false);
		return fields
			.map((field: IDataObject) => {
				const key = `cf_${String(field.alias)}_${String(field.id)}`;
				return { name: String(field.name), value: key, description: key };
			})
			.sort(byName);
	},
};

export const listSearch = {
	async searchProjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const projects = await readProjects(this);
		const wanted = filter?.trim().toLowerCase() ?? '';
		const results = projects
			.map((project) => ({ name: String(project.name), value: String(project.id) }))
			.filter(({ name, value }) => name.toLowerCase().includes(wanted) || value === wanted)
			.sort(byName);
		return { results };
	},
};
