// @ts-check
// Preloaded into `n8n execute` and `execute-batch` (see N8nUserFolder), which end with process.exit.
// - n8n 1.x resolves an execution's promise before its workflowExecuteAfter hook has saved the run,
//   and execute-batch exits the moment the last execution resolves if any of them failed: the run
//   data of the executions that finished last could then be missing from the database (seen once
//   in CI). Holding the exit back a moment lets those saves finish; n8n's shutdown runs meanwhile.
// - Writes to a pipe are asynchronous: exiting at once cut `execute --rawOutput`'s run data short
//   (seen with 10,000 items), so the exit also waits until stdout has been flushed.
'use strict';

const GRACE_MS = 1000;
const exitNow = process.exit.bind(process);
/** @type {string | number | undefined} */
let pendingCode;

// Unlike the real process.exit this returns, and the process exits later: hence the cast, whose
// type says it never returns.
process.exit = /** @type {typeof process.exit} */ (
	(code) => {
		if (pendingCode !== undefined) return;
		pendingCode = code ?? process.exitCode ?? 0;
		setTimeout(() => process.stdout.write('', () => exitNow(pendingCode)), GRACE_MS);
	}
);
