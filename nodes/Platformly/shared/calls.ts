import type { IDataObject } from 'n8n-workflow';

import type { ItemCalls, ItemOutcome } from '../resources/types';
import { unexpectedAnswerFailure } from './failures';
import type { PlatformlyAnswer, PlatformlyRequest } from './transport';

function asJsonList(answer: PlatformlyAnswer): IDataObject[] {
	return Array.isArray(answer) ? answer : [answer];
}

/** One request; its answer is the item's output. */
export function singleCall(request: PlatformlyRequest): ItemCalls {
	return async (send) => {
		const outcome = await send(request);
		return outcome.ok ? { ok: true, json: asJsonList(outcome.answer) } : outcome;
	};
}

export interface ListOptions {
	/** Whether the action takes a `page` (0-based); Platformly documents it for tags and segments. */
	paged: boolean;
	/** The most entries to return; undefined returns them all. */
	limit?: number;
}

/**
 * A list action's entries, one output item each. Pages are requested from 0 until one comes back
 * empty. Platformly documents neither its page size nor how the last page is marked, so a page
 * equal to the one before it also ends the list: a server that ignores `page` is read only once.
 */
export function listCall(request: PlatformlyRequest, { paged, limit }: ListOptions): ItemCalls {
	const enough = (entries: IDataObject[]) => limit !== undefined && entries.length >= limit;

	return async (send): Promise<ItemOutcome> => {
		const entries: IDataObject[] = [];
		let previousPage: string | undefined;
		for (let page = 0; ; page++) {
			const value = paged ? { ...request.value, page } : request.value;
			const outcome = await send({ action: request.action, value });
			if (!outcome.ok) return outcome;
			if (!Array.isArray(outcome.answer)) {
				return { ok: false, failure: unexpectedAnswerFailure(request.action, 'a list') };
			}
			const pageText = JSON.stringify(outcome.answer);
			if (outcome.answer.length === 0 || pageText === previousPage) break;
			entries.push(...outcome.answer);
			previousPage = pageText;
			if (!paged || enough(entries)) break;
		}
		return { ok: true, json: limit === undefined ? entries : entries.slice(0, limit) };
	};
}
