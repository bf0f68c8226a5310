import type { INodeCredentialDescription, INodeTypeDescription } from 'n8n-workflow';

import { PlatformlyApi } from '../../credentials/PlatformlyApi.credentials';
import { Platformly } from '../../nodes/Platformly/Platformly.node';
import { PlatformlyTrigger } from '../../nodes/Platformly/PlatformlyTrigger.node';

/**
 * n8n's scanner (the community plugin's single-credential-per-node rule) accepts several
 * credentials on a node only when the user can select one at a time: their displayOptions.show
 * must give them different values of one parameter that holds a single value. Checked here on
 * every node of the package, so that the next node cannot regress.
 */

/** Whether `a` and `b` can never be shown together: some single-value parameter tells them apart. */
function mutuallyExclusive(
	description: INodeTypeDescription,
	a: INodeCredentialDescription,
	b: INodeCredentialDescription,
): boolean {
	const showA = a.displayOptions?.show ?? {};
	const showB = b.displayOptions?.show ?? {};
	return Object.keys(showA).some((name) => {
		if (!(name in showB)) return false;
		const parameters = description.properties.filter((property) => property.name === name);
		if (parameters.length === 0 || parameters.some(({ type }) => type === 'multiOptions')) {
			return false;
		}
		const valuesB = new Set(showB[name]);
		return (showA[name] ?? []).every((value) => !valuesB.has(value as never));
	});
}

/** The pairs of a node's credentials that can be in use at once, by name. */
function credentialsShownTogether(description: INodeTypeDescription): string[][] {
	const credentials = description.credentials ?? [];
	return credentials.flatMap((a, index) =>
		credentials
			.slice(index + 1)
			.filter((b) => !mutuallyExclusive(description, a, b))
			.map((b) => [a.name, b.name]),
	);
}

const nodes = [new Platformly(), new PlatformlyTrigger()];

test.each(nodes.map((node) => [node.description.displayName, node.description] as const))(
	'%s declares no two credentials that can be in use at once',
	(_name, description) => {
		expect(credentialsShownTogether(description)).toEqual([]);
	},
);

test.each(nodes.map((node) => [node.description.displayName, node.description] as const))(
	"%s takes the package's one credential",
	(_name, description) => {
		expect(description.credentials?.map(({ name }) => name)).toEqual([new PlatformlyApi().name]);
	},
);

describe('the check itself', () => {
	const [platformly, trigger] = nodes.map(({ description }) => description);
	const secondCredential = (
		description: INodeTypeDescription,
		credential: INodeCredentialDescription,
	): INodeTypeDescription => ({
		...description,
		credentials: [...(description.credentials ?? []), credential],
	});

	test('catches a planted second credential, shown always or with the first', () => {
		expect(
			credentialsShownTogether(secondCredential(trigger, { name: 'platformlyTriggerApi' })),
		).toEqual([['platformlyApi', 'platformlyTriggerApi']]);
		expect(
			credentialsShownTogether(
				secondCredential(trigger, {
					name: 'platformlyTriggerApi',
					displayOptions: { show: { fetchContact: [true] } },
				}),
			),
		).toEqual([['platformlyApi', 'platformlyTriggerApi']]);
	});

	test('accepts credentials told apart by one single-value parameter, not by a multi-value one', () => {
		const byAuthentication = (name: string, value: string): INodeCredentialDescription => ({
			name,
			displayOptions: { show: { authentication: [value] } },
		});
		const withAuthentication = (type: 'options' | 'multiOptions'): INodeTypeDescription => ({
			...platformly,
			properties: [
				...platformly.properties,
				{
					displayName: 'Authentication',
					name: 'authentication',
					type,
					default: 'key',
					options: [],
				},
			],
			credentials: [byAuthentication('keyAuth', 'key'), byAuthentication('oAuth2', 'oauth')],
		});

		expect(credentialsShownTogether(withAuthentication('options'))).toEqual([]);
		expect(credentialsShownTogether(withAuthentication('multiOptions'))).toEqual([
			['keyAuth', 'oAuth2'],
		]);
	});
});
