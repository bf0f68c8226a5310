import type { IDataObject } from 'n8n-workflow';

import { tooManyPagesFailure, unexpectedAnswerFailure } from '../errors';
import type { Answer, ItemTask, PlatformlyCall } from '../types';

// The two shapes of an operation's requests: one call whose answer is the output, and a list read
// page by page. The operations build their tasks from these; the editor's dropdowns read lists too.

function asJsonList(answer: Answer): IDataObject[] {
	return Array.isArray(answer) ? answer : [answer];
}

/** One call; its answer is the item's output. */
export function oneCall(call: PlatformlyCall): ItemTask {
	return async (send) => {
		const outcome = await send(call);
		return outcome.ok ? { ok: true, value: asJsonList(outcome.value) } : outcome;
	};
}

export interface ListReading {
	/** Whether the action takes a `page` (0-based); Platformly documents it for tags and segments. */
	paged: boolean;
	/** The most entries to return; undefined returns them all. */
	limit?: number;
}

/** The most pages one list is read to; at 10 entries a page, 10,000 tags in one project. */
export const MAX_LIST_PAGES = 1_000;

/** An entry is known by its ID; one without an ID, by its whole content. */
function entryKey(entry: IDataObject): string {
	const { id } = entry;
	return typeof id === 'number' || typeof id === 'string'
		? `id:${id}`
		: `json:${JSON.stringify(entry)}`;
}

/**
 * A list action's entries, one output item each, each entry once. Pages are requested from 0
 * until one brings no entry that was not seen already: Platformly documents neither its page
 * size nor how the last page is marked, so an empty page, a page repeated, and a server that
 * ignores `page` or pages in circles all end the list. A list that is still growing after
 * MAX_LIST_PAGES pages fails rather than read on.
 */
export function readList(call: PlatformlyCall, { paged, limit }: ListReading): ItemTask {
	const enough = (entries: IDataObject[]) => limit !== undefined && entries.length >= limit;

	return async (send) => {
		const entries: IDataObject[] = [];
		const seen = new Set<string>();
		for (let page = 0; ; page++) {
			if (page === MAX_LIST_PAGES) {
				return { ok: false, failure: tooManyPagesFailure(call.action, MAX_LIST_PAGES) };
			}
			const value = paged ? { ...call.value, page } : call.value;
			const outcome = await send({ action: call.action, value });
			if (!outcome.ok) return outcome;
			if (!Array.isArray(outcome.value)) {
				return { ok: false, failure: unexpectedAnswerFailure(call.action, 'a list') };
			}
			const newEntries = outcome.value.filter((entry) => {
				const key = entryKey(entry);
				if (seen.has(key)) return false;
				seen.add(key);
				return true;
			});
			if (newEntries.length === 0) break;
			entries.push(...newEntries);
			if (!paged || enough(entries)) break;
		}
		return { ok: true, value: limit === undefined ? entries : entries.slice(0, limit) };
	};
}
