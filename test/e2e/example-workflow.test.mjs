// @ts-check
// The shipped examples (examples/*.workflow.json), run the way `npm run demo` runs them:
// `n8n execute --id … --rawOutput`, one n8n start-up per workflow. Also checks that a failing run is
// read from that command's output, and that nothing it printed or stored holds the API key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { byContact, e2eN8nVersion, e2eUserFolder, runCleanups } from './cases.mjs';
import { loadExampleWorkflows } from '../../harness/n8n/examples.mjs';
import { firedEvents, randomApiKey, startSandbox } from '../../harness/stand-ins/sandbox.mjs';
import {
	allRunsMain,
	itemsToPlatformlyWorkflow,
	newId,
	nodeOutputs,
	sandboxCredential,
	platformlyNode,
	runError,
} from '../../harness/n8n/workflows.mjs';

/**
 * @typedef {import('./cases.mjs').Cleanup} Cleanup
 * @typedef {import('./cases.mjs').FiredRecord} FiredRecord
 * @typedef {import('./cases.mjs').SandboxState} SandboxState
 * @typedef {import('../../harness/n8n/instance.mjs').ExecuteResult} ExecuteResult
 *
 * What `before` gathers for the tests.
 * @typedef {object} Outcome
 * @property {ExecuteResult} example the fire-contact-event example
 * @property {FiredRecord[]} fired what it fired
 * @property {ExecuteResult} noContact a workflow that fails
 * @property {number} requestsAfterNoContact
 * @property {ExecuteResult} syncCustomer the sync-customer example
 * @property {FiredRecord[]} syncFired what it fired
 * @property {SandboxState} syncState the sandbox after it
 * @property {(string | null)[]} syncActions the actions it sent
 * @property {string[]} filesWithApiKey
 */

const WEBINAR_OPTIONS = { source: 'n8n', webinar: 'Automation 101' };

describe(`The example workflows with n8n execute, n8n ${e2eN8nVersion()}`, () => {
	/** @type {Cleanup[]} */
	const cleanups = [];
	const apiKey = randomApiKey();
	const outcome = /** @type {Outcome} */ ({}); // filled in by `before`

	before(
		async () => {
			const instance = await e2eUserFolder(cleanups);
			const sandbox = await startSandbox({ apiKey });
			cleanups.push(() => sandbox.close());
			const { fireContactEvent: example, syncCustomer } = await loadExampleWorkflows();
			const credential = sandboxCredential(sandbox, example.credentialRef);
			const noContact = itemsToPlatformlyWorkflow({
				id: newId('wf'),
				name: 'No contact given',
				items: [{}],
				platformly: platformlyNode({ parameters: { eventId: 101 }, credential }),
			});
			await instance.importCredentials([credential]);
			await instance.importWorkflows([example.workflow, noContact, syncCustomer.workflow]);

			outcome.example = await instance.execute(example.workflow.id);
			outcome.fired = firedEvents(sandbox);
			outcome.noContact = await instance.execute(noContact.id);
			outcome.requestsAfterNoContact = sandbox.requests().length;
			sandbox.reset();
			outcome.syncCustomer = await instance.execute(syncCustomer.workflow.id);
			outcome.syncFired = firedEvents(sandbox);
			outcome.syncState = sandbox.state();
			outcome.syncActions = sandbox.requests().map(({ action }) => action);
			outcome.filesWithApiKey = await instance.filesContaining(apiKey);
		},
		{ timeout: 5 * 60_000 },
	);

	after(() => runCleanups(cleanups));

	test('known attendees reach "Event fired", paired back to their own email', () => {
		const { run, exitCode } = outcome.example;
		assert.equal(exitCode, 0);
		assert.equal(runError(run), undefined);
		assert.deepEqual(
			nodeOutputs(run, 'Event fired')?.main.map(({ json }) => json),
			['ann@example.com', 'ben@example.com', 'cara@example.com'].map((email) => ({
				email,
				result: 'The action has been processed',
			})),
		);
	});

	test('the unknown attendee reaches "Not fired" with Platformly\'s reason', () => {
		assert.deepEqual(
			nodeOutputs(outcome.example.run, 'Not fired')?.main.map(({ json }) => json),
			[{ email: 'nobody@example.com', reason: 'Contact Not Found: email "nobody@example.com"' }],
		);
	});

	test('the sandbox fired "webinar joined" with the options for the three known attendees only', () => {
		assert.deepEqual(byContact(outcome.fired), [
			{ contactId: 12, email: 'ann@example.com', event: 101, options: WEBINAR_OPTIONS },
			{ contactId: 13, email: 'ben@example.com', event: 101, options: WEBINAR_OPTIONS },
			{ contactId: 14, email: 'cara@example.com', event: 101, options: WEBINAR_OPTIONS },
		]);
	});

	test('a failing run: n8n execute exits non-zero and its printed run names the error', () => {
		const { run, exitCode } = outcome.noContact;
		assert.notEqual(exitCode, 0);
		assert.deepEqual(runError(run), {
			message:
				'Contact ID or Email is required: give at least one to identify the contact [item 0]',
			description: 'Nothing was sent to Platformly for this item.',
			node: 'Platformly',
		});
		// Only the example's four requests: the failing workflow sent nothing.
		assert.equal(outcome.requestsAfterNoContact, 4);
	});

	test('new customers: the known one is updated, the unknown one created, both tagged and fired for', () => {
		const { run, exitCode } = outcome.syncCustomer;
		assert.equal(exitCode, 0);
		assert.equal(runError(run), undefined);
		assert.equal(allRunsMain(run, 'Update contact').length, 1);
		assert.deepEqual(
			allRunsMain(run, 'Create contact').map(({ json }) => json),
			[{ status: 'success', message: 'The contact has been added', data: { cc_id: 1000 } }],
		);
		const stored = ['ann@example.com', 'nia.obi@example.com'].map((email) => {
			const contact = outcome.syncState.contacts.find((candidate) => candidate.email === email);
			assert.ok(contact, `the sandbox has no contact ${email}`);
			const { id, first_name, last_name, city, tags, custom_fields } = contact;
			return { id, first_name, last_name, city, tags, custom_fields };
		});
		assert.deepEqual(stored, [
			{
				id: 12,
				first_name: 'Ann',
				last_name: 'Archer',
				city: 'Leeds',
				tags: [201],
				custom_fields: { cf_plan_8: 'pro' },
			},
			{
				id: 1000,
				first_name: 'Nia',
				last_name: 'Obi',
				city: 'Bristol',
				tags: [201],
				custom_fields: { cf_plan_8: 'basic' },
			},
		]);
		assert.deepEqual(byContact(outcome.syncFired), [
			{ contactId: 12, email: 'ann@example.com', event: 102, options: { plan: 'pro' } },
			{ contactId: 1000, email: 'nia.obi@example.com', event: 102, options: { plan: 'basic' } },
		]);
		// Each customer: looked up once, then updated or created, tagged and fired for once.
		assert.deepEqual([...outcome.syncActions].sort(), [
			'add_contact',
			'contact_event_fire',
			'contact_event_fire',
			'contact_tag_add',
			'contact_tag_add',
			'fetch_contact',
			'fetch_contact',
			'update_contact',
		]);
	});

	test('neither what n8n printed nor what it stored contains the API key', () => {
		assert.deepEqual(outcome.filesWithApiKey, []);
	});
});
