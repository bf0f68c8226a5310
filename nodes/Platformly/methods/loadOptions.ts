import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { projectFirst } from '../errors';
import { checkPositiveInteger } from '../helpers/validation';
import { PLATFORMLY_ACTIONS } from '../transport/actions';
import { forEachConcurrently } from '../helpers/concurrency';
import { byName, readForEditor, readProjects } from './listing';

/** Projects whose tags or segments are read at once for one dropdown; the rest wait their turn. */
const PROJECTS_AT_ONCE = 4;

/**
 * The project chosen in the node, if one is chosen and valid; dropdowns that depend on it read it.
 * Read raw: n8n's value extraction throws for operations that have no project field.
 */
function chosenProjectId(context: ILoadOptionsFunctions): number | undefined {
	const raw = context.getCurrentNodeParameter('projectId') as
		{ value?: unknown } | string | undefined;
	const projectId = checkPositiveInteger(typeof raw === 'object' ? raw?.value : raw);
	return projectId.ok ? projectId.value : undefined;
}

/**
 * Tags and segments belong to a project. With a project chosen in the node, its own are listed;
 * otherwise (adding tags to a contact needs no project) those of every project, each named with
 * its project, a few projects at a time.
 */
async function listAcrossProjects(
	context: ILoadOptionsFunctions,
	action: string,
): Promise<INodePropertyOptions[]> {
	const projectId = chosenProjectId(context);
	const projects: IDataObject[] =
		projectId === undefined ? await readProjects(context) : [{ id: projectId }];
	const perProject: INodePropertyOptions[][] = new Array(projects.length);
	await forEachConcurrently(
		projects.length,
		PROJECTS_AT_ONCE,
		async (index) => {
			const project = projects[index];
			const entries = await readForEditor(
				context,
				{ action, value: { project_id: project.id } },
				true,
			);
			const suffix = projectId === undefined ? ` (${String(project.name)})` : '';
			perProject[index] = entries.map((entry) => ({
				name: `${String(entry.name)}${suffix}`,
				value: Number(entry.id),
			}));
		},
		() => false,
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
		if (projectId === undefined) throw projectFirst(this.getNode());
		const call = { action: PLATFORMLY_ACTIONS.listCustomFields, value: { project_id: projectId } };
		const fields = await readForEditor(this, call, false);
		return fields
			.map((field) => {
				const key = `cf_${String(field.alias)}_${String(field.id)}`;
				return { name: String(field.name), value: key, description: key };
			})
			.sort(byName);
	},
};
