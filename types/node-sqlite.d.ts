// node:sqlite, which harness/n8n/read-executions.cjs uses under the cached Node 24, is newer than
// the @types/node (20.x) this package pins for its own Node. These are the parts that script uses,
// as @types/node 24 declares them; drop this file when @types/node declares node:sqlite itself.
declare module 'node:sqlite' {
	type SQLInputValue = null | number | bigint | string | NodeJS.ArrayBufferView;
	type SQLOutputValue = null | number | bigint | string | Uint8Array;

	interface DatabaseSyncOptions {
		readOnly?: boolean | undefined;
		/** How long to wait, in milliseconds, for a lock another connection holds. */
		timeout?: number | undefined;
	}

	class StatementSync {
		all(...anonymousParameters: SQLInputValue[]): Record<string, SQLOutputValue>[];
		get(...anonymousParameters: SQLInputValue[]): Record<string, SQLOutputValue> | undefined;
	}

	class DatabaseSync {
		constructor(path: string, options?: DatabaseSyncOptions);
		prepare(sql: string): StatementSync;
	}
}
