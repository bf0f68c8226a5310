import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { byName, readProjects } from './listing';

export const listSearch = {
	/** Project › From List: the account's projects whose name holds the filter, or whose ID is it. */
	async searchProjects(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		const projects = await readProjects(this);
		const wanted = filter?.trim().toLowerCase() ?? '';
		const results = projects
			.map((project) => ({ name: String(project.name), value: String(project.id) }))
			.filter(({ name, value }) => name.toLowerCase().includes(wanted) || value === wanted)
			.sort(byName);
		return { results };
	},
};
