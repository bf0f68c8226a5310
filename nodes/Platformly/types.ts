import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { PlatformlyFailure } from './transport/failures';

/** One call of Platformly's API: a method and the parameters that go, JSON-encoded, into `value`. */
export interface PlatformlyCall {
	action: string;
	value: IDataObject;
}

/** What Platformly answers: an object, or a list for the list actions. */
export type Answer = IDataObject | IDataObject[];

/** A call's answer or an item's output, or why there is none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: PlatformlyFailure };

/** Sends one call with the node's pacing and retries. */
export type Send = (call: PlatformlyCall) => Promise<Outcome<Answer>>;

/**
 * What one item does once every field of it has been checked: its calls, made in turn, and the
 * JSON of its output items. Built only after the checks, so it holds nothing that can still turn
 * out to be wrong before the first request.
 */
export type ItemTask = (send: Send) => Promise<Outcome<IDataObject[]>>;

/** One operation of the node: the fields the editor shows for it, and how an item becomes its task. */
export interface Operation {
	properties: INodeProperties[];
	/** Reads and checks one item's fields and returns its task, or throws a field error. */
	prepare(context: IExecuteFunctions, itemIndex: number): ItemTask;
}

/** A resource of the node: its Operation dropdown, and each operation by the dropdown's value. */
export interface Resource {
	operationDropdown: INodeProperties;
	operations: Record<string, Operation>;
}
