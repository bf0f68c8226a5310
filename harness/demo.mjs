#!/usr/bin/env node
// @ts-check
// `npm run demo`: runs the example workflows (examples/*.workflow.json) in real n8n against the local
// Platformly sandbox and prints what happened, as n8n saw it and as the sandbox recorded it.
//   PLATFORMLY_N8N_VERSION=1.123.x npm run demo    to use the last n8n 1.x instead of 2.40.7
import { formatDuration, say } from './progress.mjs';
import { prepareExampleInstance } from './example.mjs';
import { seed, startSandbox } from './sandbox.mjs';
import { allRunsMain, nodeOutputs, runError } from './workflows.mjs';

/**
 * @typedef {import('./workflows.mjs').N8nRun} N8nRun
 * @typedef {import('./sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('./sandbox.mjs').FiredEvent} FiredEvent
 * @typedef {import('./example.mjs').ExampleKey} ExampleKey
 * @typedef {import('./example.mjs').ExampleWorkflow} ExampleWorkflow
 *
 * What an example's run shows: checked against each other, then described.
 * @callback Summary
 * @param {{ run: N8nRun, sandbox: Sandbox, fired: FiredEvent[] }} outcome `fired`: what this run fired
 * @returns {string[]} the lines describing it
 *
 * The items the example workflows' branches put out, as the summaries read them.
 * @typedef {{ email: string, result: string }} FiredItem from "Event fired"
 * @typedef {{ email: string, reason: string }} NotFiredItem from "Not fired"
 * @typedef {{ email: string, firstName: string, city: string, plan: string }} CustomerItem from "New customers"
 * @typedef {{ data?: { cc_id: number } }} CreatedItem from "Create contact"
 */

const eventNames = new Map(seed.SANDBOX_EVENTS.map((event) => [event.id, event.action]));

async function main() {
	const started = Date.now();
	// The sandbox's own public key: nothing secret, and the demo shows where it goes.
	const sandbox = await startSandbox();
	let instance;
	try {
		const prepared = await prepareExampleInstance(sandbox, 'demo');
		instance = prepared.instance;
		const lines = [
			'',
			`Platformly demo: n8n ${prepared.n8n.version} → sandbox ${sandbox.url} (public sandbox key ${sandbox.apiKey})`,
		];
		const examples = /** @type {[ExampleKey, ExampleWorkflow][]} */ (
			Object.entries(prepared.examples)
		);
		for (const [key, example] of examples) {
			const firedBefore = sandbox.fired().length;
			say(`▶ Running "${example.workflow.name}" with n8n execute`);
			const { run, durationMs } = await instance.execute(example.workflow.id);
			const failure = runError(run);
			if (failure)
				throw new Error(
					`"${example.workflow.name}" failed in node "${failure.node}": ${failure.message}`,
				);
			const fired = sandbox.fired().slice(firedBefore);
			lines.push('', `"${example.workflow.name}"`, ...SUMMARIES[key]({ run, sandbox, fired }));
			lines.push(`  (\`n8n execute\` took ${formatDuration(durationMs)})`);
		}
		lines.push('', `Demo total ${formatDuration(Date.now() - started)}.`);
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await sandbox.close();
		await instance?.remove();
	}
}

/**
 * @param {N8nRun} run
 * @param {string} nodeName
 * @returns {Record<string, unknown>[]} the json of every item of the node's main output, all runs
 */
function branchItems(run, nodeName) {
	return allRunsMain(run, nodeName).map(({ json }) => json);
}

/** @param {Record<string, unknown> | null} options */
const describeOptions = (options) => (options ? `, options ${JSON.stringify(options)}` : '');

/**
 * Each example's summary: what n8n's branches say, matched with the sandbox's records. A summary
 * throws when the two disagree: the demo is also a quick check that the node reports what really
 * happened.
 * @type {Record<ExampleKey, Summary>}
 */
const SUMMARIES = {
	fireContactEvent({ run, fired: records }) {
		const fired = /** @type {FiredItem[]} */ (branchItems(run, 'Event fired'));
		const notFired = /** @type {NotFiredItem[]} */ (branchItems(run, 'Not fired'));
		/** @param {string} email */
		const recordFor = (email) =>
			records.find((record) => record.email === email.trim().toLowerCase());
		const unreported = records.filter(
			(record) => !fired.some(({ email }) => recordFor(email) === record),
		);
		if (
			fired.some(({ email }) => !recordFor(email)) ||
			unreported.length > 0 ||
			records.length !== fired.length
		) {
			throw new Error(
				`n8n and the sandbox disagree: n8n reports events for [${fired.map(({ email }) => email).join(', ')}], ` +
					`the sandbox recorded [${records.map(({ email }) => email).join(', ')}]`,
			);
		}
		if (notFired.some(({ reason }) => !reason))
			throw new Error('an item on the error output carries no reason');
		return [
			`Fired (${fired.length}), per n8n's "Event fired" branch, confirmed by the sandbox's records:`,
			...fired.map(({ email, result }) => {
				// Every item on "Event fired" has its record: checked above.
				const record = /** @type {FiredEvent} */ (recordFor(email));
				return `  ✔ ${email}: ${result} (contact ${record.contactId}, event ${record.event} "${eventNames.get(record.event)}"${describeOptions(record.options)})`;
			}),
			`Not fired (${notFired.length}), per n8n's "Not fired" branch (the node's error output):`,
			...notFired.map(({ email, reason }) => `  ✖ ${email}: ${reason}`),
		];
	},

	syncCustomer({ run, sandbox, fired: records }) {
		const customersNode = nodeOutputs(run, 'New customers');
		if (!customersNode) throw new Error('n8n did not run "New customers"');
		const customers = /** @type {CustomerItem[]} */ (customersNode.main.map(({ json }) => json));
		const updated = allRunsMain(run, 'Update contact').length;
		const created = /** @type {CreatedItem[]} */ (branchItems(run, 'Create contact'));
		const tagged = allRunsMain(run, 'Tag as customer').length;
		const firedInN8n = allRunsMain(run, 'Fire “Payment received”').length;
		if (
			updated + created.length !== customers.length ||
			tagged !== customers.length ||
			firedInN8n !== customers.length
		) {
			throw new Error(
				`n8n handled ${customers.length} customers as ${updated} updated, ${created.length} created, ` +
					`${tagged} tagged, ${firedInN8n} fired`,
			);
		}
		const { contacts, tags } = sandbox.state();
		const customerTag = tags.find(({ name }) => name === 'customer');
		if (!customerTag) throw new Error('the sandbox has no "customer" tag');
		return [
			`Created or updated, tagged and fired (${customers.length}), confirmed by the sandbox's records:`,
			...customers.map(({ email, firstName, city, plan }) => {
				const contact = contacts.find((candidate) => candidate.email === email);
				const record = records.find(({ contactId }) => contactId === contact?.id);
				const newId = created.find(({ data }) => data?.cc_id === contact?.id)?.data?.cc_id;
				const stored = contact && contact.city === city && contact.custom_fields.cf_plan_8 === plan;
				if (!stored || !record || !contact.tags.includes(customerTag.id)) {
					throw new Error(
						`the sandbox does not show ${email} created or updated, tagged "customer" and fired`,
					);
				}
				const how =
					newId === undefined ? `updated contact ${contact.id}` : `created contact ${newId}`;
				return (
					`  ✔ ${email}: ${how} (${firstName}, ${city}, plan ${plan}), ` +
					`tagged "${customerTag.name}", event ${record.event} "${eventNames.get(record.event)}" fired${describeOptions(record.options)}`
				);
			}),
		];
	},
};

main().catch((error) => {
	say(`\nDemo failed: ${error.message}`);
	process.exitCode = 1;
});
