// @ts-check
// Prints, as JSON, what n8n stored in its sqlite database for the executions of each given
// workflow, the latest one or all of them, oldest first: the raw rows (for searching them for
// secrets) and the run data decoded.
// Runs under the cached Node 24, whose built-in node:sqlite reads the database without a native module.
// Usage: node read-executions.cjs <database.sqlite> <path of n8n's `flatted` module> latest|all <workflowId>...
'use strict';

const { DatabaseSync } = require('node:sqlite');

/**
 * The columns of n8n's tables that this script reads (the rows are printed whole).
 * @typedef {object} ExecutionEntityRow
 * @property {number} id
 * @property {string} status
 * @property {string} mode
 * @property {number} finished 0 or 1
 * @property {string} startedAt
 * @property {string} stoppedAt
 *
 * @typedef {{ data: string }} ExecutionDataRow the run data, in flatted's format
 */
/**
 * Types from the harness's ES modules, hence the resolution mode.
 * @typedef {import('./instance.mjs', { with: { 'resolution-mode': 'import' } }).StoredExecutionEntry} StoredExecutionEntry
 * @typedef {import('./instance.mjs', { with: { 'resolution-mode': 'import' } }).StoredExecution} StoredExecution
 * @typedef {import('./workflows.mjs', { with: { 'resolution-mode': 'import' } }).N8nRun} N8nRun
 */

const [databasePath, flattedPath, which, ...workflowIds] = process.argv.slice(2);
/** @type {{ parse: (text: string) => unknown }} */
const { parse: parseFlatted } = require(flattedPath);
// n8n may be writing while this reads (a running n8n): wait for its lock rather than fail at once.
const db = new DatabaseSync(databasePath, { readOnly: true, timeout: 10_000 });

const executionsOf = db.prepare(
	which === 'all'
		? 'SELECT * FROM execution_entity WHERE workflowId = ? ORDER BY id'
		: 'SELECT * FROM execution_entity WHERE workflowId = ? ORDER BY id DESC LIMIT 1',
);
const executionData = db.prepare('SELECT * FROM execution_data WHERE executionId = ?');
const executionMetadata = db.prepare('SELECT * FROM execution_metadata WHERE executionId = ?');

/**
 * @param {ExecutionEntityRow} entity
 * @returns {StoredExecution}
 */
function storedExecution(entity) {
	const data = /** @type {ExecutionDataRow | undefined} */ (executionData.get(entity.id));
	const metadata = executionMetadata.all(entity.id);
	return {
		id: String(entity.id),
		status: entity.status,
		mode: entity.mode,
		finished: Boolean(entity.finished),
		// Shaped like the run `n8n execute` prints (IRun), so callers read both the same way.
		run: data
			? {
					data: /** @type {N8nRun['data']} */ (parseFlatted(data.data)),
					status: entity.status,
					mode: entity.mode,
					startedAt: entity.startedAt,
					stoppedAt: entity.stoppedAt,
				}
			: null,
		storedRows: JSON.stringify({
			execution_entity: entity,
			execution_data: data,
			execution_metadata: metadata,
		}),
	};
}

/** @type {StoredExecutionEntry[]} */
const result = workflowIds.map((workflowId) => ({
	workflowId,
	executions: executionsOf
		.all(workflowId)
		.map((row) =>
			storedExecution(/** @type {ExecutionEntityRow} */ (/** @type {unknown} */ (row))),
		),
}));

process.stdout.write(JSON.stringify(result));
