#!/usr/bin/env node
// `npm run demo`: runs examples/fire-contact-event.workflow.json in real n8n against the local
// Platformly sandbox and prints what happened, as n8n saw it and as the sandbox recorded it.
//   PLATFORMLY_N8N_VERSION=1.123.x npm run demo    to use the last n8n 1.x instead of 2.40.7
import { formatDuration, say } from './progress.mjs';
import { prepareExampleInstance } from './example.mjs';
import { seed, startSandbox } from './sandbox.mjs';
import { nodeOutputs, runError } from './workflows.mjs';

// The example's two branches after the Platformly node (see the workflow file).
const FIRED_NODE = 'Event fired';
const NOT_FIRED_NODE = 'Not fired';

async function main() {
	const started = Date.now();
	// The sandbox's own public key: nothing secret, and the demo shows where it goes.
	const sandbox = await startSandbox();
	let instance;
	try {
		const prepared = await prepareExampleInstance(sandbox, 'demo');
		instance = prepared.instance;
		say(`▶ Running "${prepared.example.workflow.name}" with n8n execute`);
		const { run, durationMs } = await instance.execute(prepared.example.workflow.id);
		const failure = runError(run);
		if (failure) throw new Error(`the workflow failed in node "${failure.node}": ${failure.message}`);

		const fired = branchItems(run, FIRED_NODE);
		const notFired = branchItems(run, NOT_FIRED_NODE);
		const platformlyMs = nodeOutputs(run, prepared.example.platformlyNodeName)?.task.executionTime;
		const lines = summarize({ n8nVersion: prepared.n8n.version, sandbox, fired, notFired });
		lines.push(
			'',
			`n8n ${prepared.n8n.version}: \`n8n execute\` took ${formatDuration(durationMs)}, of which the Platformly node ` +
				`${platformlyMs} ms; demo total ${formatDuration(Date.now() - started)}.`,
		);
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await sandbox.close();
		await instance?.remove();
	}
}

function branchItems(run, nodeName) {
	const outputs = nodeOutputs(run, nodeName);
	return outputs ? outputs.main.map(({ json }) => json) : [];
}

/**
 * What n8n's two branches say, each fired item matched with the sandbox's record of it. Throws when
 * they disagree: the demo is also a quick check that the node reports what really happened.
 */
function summarize({ n8nVersion, sandbox, fired, notFired }) {
	const eventNames = new Map(seed.SANDBOX_EVENTS.map((event) => [event.id, event.action]));
	const records = sandbox.fired();
	const recordFor = (email) => records.find((record) => record.email === email.trim().toLowerCase());
	const unconfirmed = fired.filter(({ email }) => !recordFor(email));
	const unreported = records.filter((record) => !fired.some(({ email }) => recordFor(email) === record));
	if (unconfirmed.length > 0 || unreported.length > 0 || records.length !== fired.length) {
		throw new Error(
			`n8n and the sandbox disagree: n8n reports events for [${fired.map(({ email }) => email).join(', ')}], ` +
				`the sandbox recorded [${records.map(({ email }) => email).join(', ')}]`,
		);
	}
	if (notFired.some(({ reason }) => !reason)) throw new Error('an item on the error output carries no reason');

	return [
		'',
		`Platformly demo: n8n ${n8nVersion} → sandbox ${sandbox.url} (public sandbox key ${sandbox.apiKey})`,
		'',
		`Fired (${fired.length}), per n8n's "${FIRED_NODE}" branch, confirmed by the sandbox's records:`,
		...fired.map(({ email, result }) => {
			const record = recordFor(email);
			const options = record.options ? `, options ${JSON.stringify(record.options)}` : '';
			return `  ✔ ${email}: ${result} (contact ${record.contactId}, event ${record.event} "${eventNames.get(record.event)}"${options})`;
		}),
		'',
		`Not fired (${notFired.length}), per n8n's "${NOT_FIRED_NODE}" branch (the node's error output):`,
		...notFired.map(({ email, reason }) => `  ✖ ${email}: ${reason}`),
	];
}

main().catch((error) => {
	say(`\nDemo failed: ${error.message}`);
	process.exitCode = 1;
});
