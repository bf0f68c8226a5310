// Preloaded into `n8n execute-batch` (see N8nUserFolder.executeBatch). n8n 1.x resolves an
// execution's promise before its workflowExecuteAfter hook has saved the run, and execute-batch
// calls process.exit(1) the moment the last execution resolves if any of them failed: the run data
// of the executions that finished last could then be missing from the database (seen once in CI).
// Holding the exit back a moment lets those saves finish; n8n's own shutdown runs meanwhile.
'use strict';

const GRACE_MS = 1000;
const exitNow = process.exit.bind(process);
let pendingCode;

process.exit = (code) => {
	if (pendingCode !== undefined) return;
	pendingCode = code ?? process.exitCode ?? 0;
	setTimeout(() => exitNow(pendingCode), GRACE_MS);
};
