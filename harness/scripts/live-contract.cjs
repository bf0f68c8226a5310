// @ts-check
// What the node and the sandbox assume Platformly answers, action by action, and the comparison of a
// real answer against it. harness/scripts/live.mjs checks a real account with it; test/unit/live.test.ts
// checks the sandbox with it. Platformly documents none of these answers (its reference pages are
// cut off before "Response"), so each shape is what the node's code reads and what sandbox/actions.js
// answers, and each field says which of the two relies on it. Fields an answer has beyond these are
// not differences: the node passes them on as they are. CommonJS, so that the jest tests can
// require it as well.
'use strict';

/**
 * @typedef {'string' | 'number'} Scalar
 * @typedef {{ object: Record<string, Field> }} ObjectShape
 * @typedef {{ list: Shape }} ListShape
 * @typedef {Scalar | ObjectShape | ListShape} Shape
 * @typedef {{ shape: Shape, why: string }} Field
 * @typedef {{ answer: Shape, why: string }} Contract `why` is about the answer being an object or a list
 */

const SANDBOX_ONLY = 'the sandbox answers it; the node does not read it';

/**
 * What a change answers: sandbox/actions.js `success()`, as Platformly's Fire an Event page shows.
 * @type {Record<string, Field>}
 */
const PROCESSED = {
	status: {
		shape: 'string',
		why: 'the sandbox answers "success"; transport/client.ts reads it only for "error"',
	},
	message: { shape: 'string', why: SANDBOX_ONLY },
};

/** The node makes one output item of an object; a list would become one item per entry. */
const ONE_ITEM = 'the sandbox answers an object, which resources/requests.ts makes one output item';

/**
 * A list answer: resources/requests.ts readList fails on anything else.
 * @param {Record<string, Field>} entry the fields of each entry
 * @returns {Contract}
 */
const listOf = (entry) => ({
	why: 'resources/requests.ts readList fails on anything but a list',
	answer: { list: { object: entry } },
});

/** @type {Readonly<Record<string, Contract>>} */
const CONTRACT = Object.freeze({
	profile: {
		why: 'methods/credentialTest.ts needs an object with account_id',
		answer: {
			object: {
				account_id: {
					shape: 'number',
					why: 'methods/credentialTest.ts passes the credential Test only when it is there; sandbox/seed.js answers a number',
				},
				first_name: { shape: 'string', why: SANDBOX_ONLY },
				last_name: { shape: 'string', why: SANDBOX_ONLY },
				email: { shape: 'string', why: SANDBOX_ONLY },
				company: { shape: 'string', why: SANDBOX_ONLY },
			},
		},
	},
	list_projects: listOf({
		id: {
			shape: 'number',
			why: 'methods/listSearch.ts and methods/loadOptions.ts send it as the project ID',
		},
		name: {
			shape: 'string',
			why: 'methods/listSearch.ts shows it in the Project list, methods/loadOptions.ts after each tag and segment',
		},
	}),
	list_tags: listOf({
		id: {
			shape: 'number',
			why: 'methods/loadOptions.ts uses it as the Tags dropdown value',
		},
		name: {
			shape: 'string',
			why: 'methods/loadOptions.ts names the Tags dropdown option by it',
		},
		desc: { shape: 'string', why: SANDBOX_ONLY },
	}),
	list_segments: listOf({
		id: {
			shape: 'number',
			why: 'methods/loadOptions.ts uses it as the Segments dropdown value',
		},
		name: {
			shape: 'string',
			why: 'methods/loadOptions.ts names the Segments dropdown option by it',
		},
	}),
	list_custom_fields: listOf({
		id: {
			shape: 'number',
			why: 'methods/loadOptions.ts builds the key cf_<alias>_<id> from it',
		},
		name: {
			shape: 'string',
			why: 'methods/loadOptions.ts names the Custom Fields dropdown option by it',
		},
		alias: {
			shape: 'string',
			why: 'methods/loadOptions.ts builds the key cf_<alias>_<id> from it',
		},
		type: { shape: 'string', why: SANDBOX_ONLY },
	}),
	fetch_contact: {
		why: ONE_ITEM,
		// sandbox/actions.js describeContact, after what WP Fusion reads and public client tests show;
		// the node passes it on whole.
		answer: {
			object: {
				id: { shape: 'number', why: SANDBOX_ONLY },
				email: { shape: 'string', why: SANDBOX_ONLY },
				first_name: { shape: 'string', why: SANDBOX_ONLY },
				last_name: { shape: 'string', why: SANDBOX_ONLY },
				address: { shape: 'string', why: SANDBOX_ONLY },
				address2: { shape: 'string', why: SANDBOX_ONLY },
				city: { shape: 'string', why: SANDBOX_ONLY },
				state: { shape: 'string', why: SANDBOX_ONLY },
				zip: { shape: 'string', why: SANDBOX_ONLY },
				project: {
					shape: {
						list: {
							object: {
								id: { shape: 'number', why: SANDBOX_ONLY },
								data: {
									shape: {
										object: {
											segments: {
												shape: {
													list: { object: { id: { shape: 'number', why: SANDBOX_ONLY } } },
												},
												why: SANDBOX_ONLY,
											},
											tags: {
												shape: {
													list: {
														object: {
															id: { shape: 'number', why: SANDBOX_ONLY },
															name: { shape: 'string', why: SANDBOX_ONLY },
														},
													},
												},
												why: SANDBOX_ONLY,
											},
										},
									},
									why: SANDBOX_ONLY,
								},
							},
						},
					},
					why: SANDBOX_ONLY,
				},
			},
		},
	},
	contact_event_fire: {
		why: 'resources/contact/fireEvent.ts spreads it into the output item when it creates a missing contact',
		answer: { object: PROCESSED },
	},
	add_contact: {
		why: 'resources/contact/fireEvent.ts reads data.cc_id from it',
		answer: {
			object: {
				...PROCESSED,
				data: {
					shape: {
						object: {
							cc_id: {
								shape: 'number',
								why: 'resources/contact/fireEvent.ts outputs it as contact_id after Create Contact If Missing',
							},
						},
					},
					why: 'resources/contact/fireEvent.ts reads cc_id from it',
				},
			},
		},
	},
	contact_tag_add: {
		why: ONE_ITEM,
		answer: { object: PROCESSED },
	},
});

/** The read-only actions, in the order harness/scripts/live.mjs checks them. */
const READ_ACTIONS = Object.freeze([
	'profile',
	'list_projects',
	'list_tags',
	'list_segments',
	'list_custom_fields',
	'fetch_contact',
]);

/** The actions that change the account, checked only when asked to. */
const WRITE_ACTIONS = Object.freeze(['contact_event_fire', 'add_contact', 'contact_tag_add']);

/**
 * @param {unknown} value
 * @returns {string} as a difference names it
 */
function describeType(value) {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return 'a string';
	return `a ${typeof value}`;
}

/**
 * @param {Shape} shape
 */
function describeShape(shape) {
	if (typeof shape === 'string') return shape;
	return 'object' in shape ? 'an object' : 'a list';
}

/**
 * @param {Shape} shape
 * @param {unknown} value
 */
function fits(shape, value) {
	if (typeof shape === 'string') return typeof value === shape;
	if ('object' in shape)
		return typeof value === 'object' && value !== null && !Array.isArray(value);
	return Array.isArray(value);
}

/**
 * Where a value sits in the answer, written from the root: '' is the answer itself, '[]' an entry of
 * a list answer, '[].id' a field of one, 'project[].data' a field of an entry of a field.
 * @param {string} path
 * @returns {string} the value as a difference names it
 */
function subject(path) {
	if (path === '') return 'the answer';
	if (path.endsWith('[]')) {
		const list = path.slice(0, -2);
		return list === '' ? 'an entry' : `an entry of ${subject(list)}`;
	}
	return path.startsWith('[].') ? `entries' ${path.slice(3)}` : path;
}

/**
 * @param {string} path of an object
 * @returns {string} how a difference says that the object lacks a field
 */
function lacking(path) {
	if (path === '') return 'the answer lacks';
	if (path.endsWith('[]')) {
		const list = path.slice(0, -2);
		return list === '' ? 'entries lack' : `entries of ${subject(list)} lack`;
	}
	return `${subject(path)} lacks`;
}

/**
 * @param {string} parent
 * @param {string} key
 */
const fieldPath = (parent, key) => (parent === '' ? key : `${parent}.${key}`);

/**
 * One kind of difference at one place, and out of how many values there: each entry of a list is
 * one, so a field missing from one entry of fifty says so.
 * @typedef {{ text: string, why: string, found: number, outOf: string }} Tally
 */

/**
 * Compares an answer with the action's contract.
 * @param {string} action a key of CONTRACT
 * @param {unknown} answer the parsed JSON
 * @returns {string[]} one line per difference, naming the action, fields and types but no value
 */
function shapeDifferences(action, answer) {
	const contract = CONTRACT[action];
	/** @type {Map<string, Tally>} by its text */
	const tallies = new Map();
	/** @type {Map<string, number>} the values found at each place, and (key + '{}') the objects */
	const counts = new Map();
	/** @param {string} key */
	const count = (key) => counts.set(key, (counts.get(key) ?? 0) + 1);

	/**
	 * @param {string} text
	 * @param {string} why
	 * @param {string} outOf the key in `counts` of the values it could have been found in
	 */
	function note(text, why, outOf) {
		const tally = tallies.get(text) ?? { text, why, found: 0, outOf };
		tally.found += 1;
		tallies.set(text, tally);
	}

	/**
	 * @param {Shape} shape
	 * @param {unknown} value
	 * @param {string} path
	 * @param {string} why
	 */
	function visit(shape, value, path, why) {
		count(path);
		if (!fits(shape, value)) {
			const text = `${subject(path)} is ${describeType(value)}, expected ${describeShape(shape)}`;
			note(text, why, path);
			return;
		}
		if (typeof shape === 'string') return;
		if ('list' in shape) {
			for (const entry of /** @type {unknown[]} */ (value))
				visit(shape.list, entry, `${path}[]`, why);
			return;
		}
		count(`${path}{}`);
		const object = /** @type {Record<string, unknown>} */ (value);
		for (const [key, field] of Object.entries(shape.object)) {
			if (Object.hasOwn(object, key))
				visit(field.shape, object[key], fieldPath(path, key), field.why);
			else note(`${lacking(path)} "${key}"`, field.why, `${path}{}`);
		}
	}

	visit(contract.answer, answer, '', contract.why);
	return [...tallies.values()].map(({ text, why, found, outOf }) => {
		const total = counts.get(outOf) ?? found;
		return `${action}: ${text}${found < total ? ` in ${found} of ${total}` : ''} (${why})`;
	});
}

module.exports = { CONTRACT, READ_ACTIONS, WRITE_ACTIONS, shapeDifferences };
