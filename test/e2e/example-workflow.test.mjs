// The shipped example (examples/fire-contact-event.workflow.json), run the way `npm run demo` runs it:
// `n8n execute --id … --rawOutput`, one n8n start-up per workflow. Also checks that a failing run is
// read from that command's output, and that nothing it printed or stored holds the API key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { byContact, e2eN8nVersion, e2eUserFolder, runCleanups } from '../../harness/e2e-cases.mjs';
import { loadExampleWorkflow } from '../../harness/example.mjs';
import { firedEvents, randomApiKey, startSandbox } from '../../harness/sandbox.mjs';
import {
	itemsToPlatformlyWorkflow,
	newId,
	nodeOutputs,
	platformlyCredential,
	platformlyNode,
	runError,
} from '../../harness/workflows.mjs';

const WEBINAR_OPTIONS = { source: 'n8n', webinar: 'Automation 101' };

describe(`The example workflow with n8n execute, n8n ${e2eN8nVersion()}`, () => {
	const cleanups = [];
	const apiKey = randomApiKey();
	const outcome = {};

	before(
		async () => {
			const instance = await e2eUserFolder(cleanups);
			const sandbox = await startSandbox({ apiKey });
			cleanups.push(() => sandbox.close());
			const example = await loadExampleWorkflow();
			const credential = platformlyCredential({ ...example.credentialRef, apiKey, baseUrl: sandbox.url });
			const noContact = itemsToPlatformlyWorkflow({
				id: newId('wf'),
				name: 'No contact given',
				items: [{}],
				platformly: platformlyNode({ parameters: { eventId: 101 }, credential }),
			});
			await instance.importCredentials([credential]);
			await instance.importWorkflows([example.workflow, noContact]);

			outcome.example = await instance.execute(example.workflow.id);
			outcome.fired = firedEvents(sandbox);
			outcome.noContact = await instance.execute(noContact.id);
			outcome.requestsAfterNoContact = sandbox.requests().length;
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
			nodeOutputs(run, 'Event fired').main.map(({ json }) => json),
			['ann@example.com', 'ben@example.com', 'cara@example.com'].map((email) => ({
				email,
				result: 'The action has been processed',
			})),
		);
	});

	test('the unknown attendee reaches "Not fired" with Platformly\'s reason', () => {
		assert.deepEqual(
			nodeOutputs(outcome.example.run, 'Not fired').main.map(({ json }) => json),
			[{ email: 'nobody@example.com', reason: 'Contact Not Found' }],
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
			message: 'Contact ID or Email is required: give at least one to identify the contact [item 0]',
			description: 'Nothing was sent to Platformly for this item.',
			node: 'Platformly',
		});
		// Only the example's four requests: the failing workflow sent nothing.
		assert.equal(outcome.requestsAfterNoContact, 4);
	});

	test('neither what n8n printed nor what it stored contains the API key', () => {
		assert.deepEqual(outcome.filesWithApiKey, []);
	});
});
