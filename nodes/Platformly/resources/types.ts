import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PlatformlyFailure } from '../shared/failures';
import type { PlatformlyOutcome, PlatformlyRequest } from '../shared/transport';

/** Sends one request with the node's pacing and retries. */
export type SendRequest = (request: PlatformlyRequest) => Promise<PlatformlyOutcome>;

/** What one item produced: its output items' JSON, or why it failed. */
export type ItemOutcome = { ok: true; json: IDataObject[] } | { ok: false; failure: PlatformlyFailure };

/**
 * The calls one item makes. Built only after every field of the item has been checked, so it
 * holds nothing that can still turn out to be wrong before the first request.
 */
export type ItemCalls = (send: SendRequest) => Promise<ItemOutcome>;

/** Reads and checks one item's fields and returns its calls, or throws a field error. */
export type PrepareItem = (context: IExecuteFunctions, itemIndex: number) => ItemCalls;

export type OperationHandlers = Record<string, PrepareItem>;
