#!/usr/bin/env node
// @ts-check
// `npm run demo`: runs the example workflows (examples/*.workflow.json) in real n8n against the local
// Platformly sandbox and prints what happened, as n8n saw it and as the sandbox recorded it.
//   PLATFORMLY_N8N_VERSION=1.123.x npm run demo    to use the last n8n 1.x instead of 2.41.1
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CREDENTIAL_TYPE, REPO_ROOT } from '../n8n/config.mjs';
import { formatDuration, runScript, say } from '../progress.mjs';
import { prepareExampleInstance } from '../n8n/examples.mjs';
import { postToWebhook, waitForWebhooks } from '../n8n/instance.mjs';
import { seed, startSandbox } from '../stand-ins/sandbox.mjs';
import {
	allRunsMain,
	newId,
	nodeOutputs,
	sandboxCredential,
	platformlyNode,
	runError,
	TRIGGER_WEBHOOK_PATH,
	webhookToPlatformlyWorkflow,
} from '../n8n/workflows.mjs';

/**
 * @typedef {import('../n8n/workflows.mjs').N8nRun} N8nRun
 * @typedef {import('../stand-ins/sandbox.mjs').Sandbox} Sandbox
 * @typedef {import('../stand-ins/sandbox.mjs').FiredEvent} FiredEvent
 * @typedef {import('../n8n/examples.mjs').ExampleKey} ExampleKey
 * @typedef {import('../n8n/examples.mjs').ExampleWorkflow} ExampleWorkflow
 * @typedef {import('../n8n/instance.mjs').N8nUserFolder} N8nUserFolder
 * @typedef {import('../n8n/workflows.mjs').CredentialRef} CredentialRef
 * @typedef {import('../n8n/workflows.mjs').Workflow} Workflow
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
		const { credentialRef } = prepared.examples.fireContactEvent;
		lines.push('', ...(await roundTrip(instance, sandbox, credentialRef)));
		lines.push('', `Demo total ${formatDuration(Date.now() - started)}.`);
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await sandbox.close();
		await instance?.remove();
	}
}

const TRIGGER_EXAMPLE_FILE = path.join(REPO_ROOT, 'examples', 'platformly-trigger.workflow.json');
// Payment received: the automation the sandbox plays listens for it.
const ROUND_TRIP_EVENT = 102;

/**
 * The Platformly Trigger's round trip in a running n8n: a webhook starts a workflow whose
 * Platformly node fires an event, the sandbox's automation posts to the trigger of
 * examples/platformly-trigger.workflow.json (with its secret), and that workflow runs.
 * @param {N8nUserFolder} instance
 * @param {Sandbox} sandbox
 * @param {CredentialRef} credentialRef the examples' Platformly credential
 * @returns {Promise<string[]>} the lines describing it
 */
async function roundTrip(instance, sandbox, credentialRef) {
	/** @type {Workflow} */
	const trigger = JSON.parse(await fs.readFile(TRIGGER_EXAMPLE_FILE, 'utf8'));
	const [triggerNode] = trigger.nodes;
	if (triggerNode.credentials?.[CREDENTIAL_TYPE]?.id !== credentialRef.id) {
		throw new Error(`${TRIGGER_EXAMPLE_FILE}: the trigger must use the examples' credential`);
	}
	const secret = randomBytes(18).toString('base64url');
	const firePath = `demo-fire-${newId()}`;
	const fire = webhookToPlatformlyWorkflow({
		id: newId('wf'),
		name: 'Demo: a webhook fires “Payment received”',
		path: firePath,
		platformly: platformlyNode({
			credential: credentialRef,
			parameters: { email: '={{ $json.body.email }}', eventId: ROUND_TRIP_EVENT },
		}),
	});
	say('▶ Starting n8n with the Platformly Trigger example and a firing workflow active');
	// The examples' credential again, now with a Trigger Secret: the trigger checks it in the URL.
	await instance.importCredentials([
		sandboxCredential(sandbox, { ...credentialRef, triggerSecret: secret }),
	]);
	await instance.importWorkflows([trigger, fire]);
	await instance.activateWorkflows([trigger.id, fire.id]);
	const server = await instance.start({ quiet: true });
	try {
		await server.ready();
		const triggerUrl = `${server.url}/webhook/${triggerNode.webhookId}/${TRIGGER_WEBHOOK_PATH}`;
		await waitForWebhooks([triggerUrl]);
		sandbox.addAutomation({
			when: { event: ROUND_TRIP_EVENT },
			url: `${triggerUrl}?secret=${secret}`,
			format: 'form',
		});
		const firedBefore = sandbox.fired().length;
		const answer = await postToWebhook(`${server.url}/webhook/${firePath}`, {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'ann@example.com' }),
		});
		if (!answer.ok) throw new Error(`n8n answered the firing webhook with HTTP ${answer.status}`);
		const [execution] = await instance.waitForExecutions(trigger.id, 1);
		await sandbox.deliveriesSettled();
		const [fired] = sandbox.fired().slice(firedBefore);
		const [delivery] = sandbox.deliveries();
		const [received] = execution.run?.data.resultData.runData.Customer?.[0]?.data?.main?.[0] ?? [];
		if (!fired || !delivery || !received) {
			throw new Error(
				'the round trip did not complete: no event fired, no post delivered or no run',
			);
		}
		return [
			`"${trigger.name}", started by Platformly's side:`,
			`  1. The webhook's workflow fired event ${fired.event} "${eventNames.get(fired.event)}" for ${fired.email} (contact ${fired.contactId}).`,
			`  2. The sandbox's automation posted contactID and email to ${triggerUrl}?secret=… (HTTP ${delivery.status}).`,
			`  3. The trigger's workflow received: ${JSON.stringify(received.json)}`,
		];
	} finally {
		await server.stop();
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

runScript(main, 'Demo failed');
