import type { IExecuteFunctions } from 'n8n-workflow';

import type { PlatformlyRequest } from '../shared/transport';

/** Reads one item's fields and returns the call to make, or throws a field error. */
export type PrepareRequest = (context: IExecuteFunctions, itemIndex: number) => PlatformlyRequest;

export type OperationHandlers = Record<string, PrepareRequest>;
