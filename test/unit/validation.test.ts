import {
	checkCustomFieldKey,
	checkEmail,
	checkIdList,
	checkEventOptionRows,
	checkEventOptionsJson,
	EVENT_OPTIONS_LIMITS,
	checkPositiveInteger,
	checkRequiredText,
	checkUnixTimestamp,
	isBlank,
} from '../../nodes/Platformly/helpers/validation';

describe('checkPositiveInteger', () => {
	test.each([
		[12, 12],
		['12', 12],
		[' 7 ', 7],
		[9007199254740991, 9007199254740991],
	])('accepts %p as %p', (input, expected) => {
		expect(checkPositiveInteger(input)).toEqual({ ok: true, value: expected });
	});

	test.each([
		[0, 'must be a positive whole number, got 0'],
		[-1, 'must be a positive whole number, got -1'],
		[1.5, 'must be a positive whole number, got 1.5'],
		['abc', 'must be a positive whole number, got "abc"'],
		['1e3', 'must be a positive whole number, got "1e3"'],
		['', 'must be a positive whole number, got ""'],
		[null, 'must be a positive whole number, got null'],
		[true, 'must be a positive whole number, got true'],
		[9007199254740992, 'must be a positive whole number, got 9007199254740992'],
	])('rejects %p', (input, problem) => {
		expect(checkPositiveInteger(input)).toEqual({ ok: false, problem });
	});

	test('cuts a long rejected value at 60 characters as shown, saying how long it was', () => {
		expect(checkPositiveInteger('x'.repeat(100))).toEqual({
			ok: false,
			problem: `must be a positive whole number, got "${'x'.repeat(59)}… (cut: 102 characters in all)`,
		});
	});
});

describe('checkEmail', () => {
	test('accepts an address and trims spaces around it', () => {
		expect(checkEmail('  ann@example.com ')).toEqual({ ok: true, value: 'ann@example.com' });
	});

	test.each(['ann', 'ann@', 'ann@example', '@example.com', 'ann smith@example.com', 12])(
		'rejects %p',
		(input) => {
			expect(checkEmail(input)).toEqual({
				ok: false,
				problem: `must be an email address, got ${JSON.stringify(input)}`,
			});
		},
	);

	test.each([
		['Ann@Example.COM', 'Ann@Example.COM'],
		['josé@bücher.de', 'josé@bücher.de'],
		['用户@例子.广告', '用户@例子.广告'],
		['\tann@example.com\n', 'ann@example.com'],
	])('accepts %p, with upper case and international characters', (input, email) => {
		expect(checkEmail(input)).toEqual({ ok: true, value: email });
	});

	test.each([
		['ann\u200b@example.com', 'U+200B', 4],
		['ann@exam\u200dple.com', 'U+200D', 9],
		['\u2067ann@example.com', 'U+2067', 1],
		['ann@example.com\u200e', 'U+200E', 16],
		['ann\u0000@example.com', 'U+0000', 4],
		['ann\u00ad@example.com', 'U+00AD', 4],
		['ann@\u3164example.com', 'U+3164', 5],
	])('rejects %p, which holds an invisible or control character', (input, codePoint, position) => {
		expect(checkEmail(input)).toEqual({
			ok: false,
			problem: `must be an email address without invisible or control characters, got ${JSON.stringify(input)}, which holds ${codePoint} at position ${position}`,
		});
	});
});

describe('checkEventOptionsJson', () => {
	test('parses an object given as text', () => {
		expect(checkEventOptionsJson('{"path": "/home", "n": 2}')).toEqual({
			ok: true,
			value: { path: '/home', n: 2 },
		});
	});

	test('takes an object an expression already produced', () => {
		expect(checkEventOptionsJson({ path: '/home' })).toEqual({
			ok: true,
			value: { path: '/home' },
		});
	});

	test('treats an empty field as no options', () => {
		expect(checkEventOptionsJson('  ')).toEqual({ ok: true, value: {} });
	});

	test('rejects text that does not parse, saying why', () => {
		const checked = checkEventOptionsJson('{"path": ');
		expect(checked.ok).toBe(false);
		expect(!checked.ok && checked.problem).toMatch(/^is not valid JSON \(.+\)$/);
	});

	test.each([
		['[1,2]', '[1,2]'],
		['"text"', '"text"'],
		['null', 'null'],
		['42', '42'],
	])('rejects %s, which is not an object', (input, shown) => {
		expect(checkEventOptionsJson(input)).toEqual({
			ok: false,
			problem: `must be a JSON object like {"path": "/home"}, got ${shown}`,
		});
	});
});

describe('checkEventOptionRows', () => {
	test('builds one object from the rows, trimming names', () => {
		expect(
			checkEventOptionRows([
				{ name: 'path', value: '/home' },
				{ name: ' source ', value: 'n8n' },
				{ name: 'count', value: 3 },
			]),
		).toEqual({ ok: true, value: { path: '/home', source: 'n8n', count: 3 } });
	});

	test('names the row that has no name', () => {
		expect(
			checkEventOptionRows([
				{ name: 'path', value: '/' },
				{ name: ' ', value: 'x' },
			]),
		).toEqual({
			ok: false,
			problem: 'row 2 has no name',
		});
	});
});

describe('event options: bounds and names', () => {
	/** `{"a":{"a":…{"a":1}…}}`, `depth` objects deep. */
	const nested = (depth: number): Record<string, unknown> => {
		let value: Record<string, unknown> = { a: 1 };
		for (let level = 1; level < depth; level++) value = { a: value };
		return value;
	};

	test(`accepts options ${EVENT_OPTIONS_LIMITS.maxDepth} levels deep, as text and as an object`, () => {
		const value = nested(EVENT_OPTIONS_LIMITS.maxDepth);
		expect(checkEventOptionsJson(JSON.stringify(value))).toEqual({ ok: true, value });
		expect(checkEventOptionsJson(value)).toEqual({ ok: true, value });
	});

	test('rejects options one level deeper, and thousands of levels deeper, without overflowing the stack', () => {
		const problem = { ok: false, problem: 'must not nest more than 10 levels deep' };
		expect(checkEventOptionsJson(nested(11))).toEqual(problem);
		expect(checkEventOptionsJson(JSON.stringify(nested(11)))).toEqual(problem);
		expect(checkEventOptionsJson(nested(100_000))).toEqual(problem);
		expect(checkEventOptionRows([{ name: 'deep', value: nested(100_000) as never }])).toEqual(
			problem,
		);
	});

	test('rejects text longer than the size bound before parsing it', () => {
		const text = JSON.stringify({ path: 'x'.repeat(EVENT_OPTIONS_LIMITS.maxBytes) });
		expect(checkEventOptionsJson(text)).toEqual({
			ok: false,
			problem: `must be at most 16384 bytes as JSON, got ${text.length}`,
		});
	});

	test('rejects an object an expression built past the size bound, counting bytes, not characters', () => {
		const checked = checkEventOptionsJson({ path: 'é'.repeat(8_200) });
		expect(checked).toEqual({
			ok: false,
			problem: 'must be at most 16384 bytes as JSON, got 16411',
		});
		expect(checkEventOptionsJson({ list: Array.from({ length: 20_000 }, () => 1) })).toEqual({
			ok: false,
			problem: 'must be at most 16384 bytes as JSON',
		});
	});

	test.each(['__proto__', 'constructor', 'prototype'])('rejects a row named %s', (name) => {
		expect(
			checkEventOptionRows([
				{ name: 'path', value: '/' },
				{ name: ` ${name} `, value: 'x' },
			]),
		).toEqual({
			ok: false,
			problem: `row 2 is named "${name}", which cannot be an option's name`,
		});
	});

	test.each(['__proto__', 'constructor', 'prototype'])(
		'rejects %s as a name anywhere in JSON options',
		(name) => {
			expect(checkEventOptionsJson(`{"page": {"${name}": {"admin": true}}}`)).toEqual({
				ok: false,
				problem: `must not use the name "${name}"`,
			});
		},
	);

	test('rejects two rows with the same name, naming both rows', () => {
		expect(
			checkEventOptionRows([
				{ name: 'path', value: '/a' },
				{ name: 'source', value: 'n8n' },
				{ name: 'path ', value: '/b' },
			]),
		).toEqual({ ok: false, problem: 'rows 1 and 3 are both named "path"' });
	});

	test.each([
		['{"path": "/a", "path": "/b"}', 'path'],
		['{"page": {"n": 1, "n": 2}}', 'n'],
		['{"a": [{"k": 1}, {"k": 2}], "b": {"k\\"": 1, "k\\"": 2}}', 'k"'],
	])('rejects JSON %s, which names "%s" twice in one object', (text, key) => {
		expect(checkEventOptionsJson(text)).toEqual({
			ok: false,
			problem: `names "${key}" twice in one object`,
		});
	});

	test('the same name in different objects is no duplicate', () => {
		const text =
			'{"a": {"k": 1}, "b": {"k": 2}, "list": [{"k": 1}, {"k": 2}], "k": "{\\"k\\": 1}"}';
		expect(checkEventOptionsJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
	});

	test.each<[string, unknown]>([
		['undefined', undefined],
		['function', () => 1],
		['bigint', BigInt(1)],
	])('rejects a value JSON cannot carry (%s)', (type, value) => {
		expect(checkEventOptionsJson({ path: value })).toEqual({
			ok: false,
			problem: `can only hold text, numbers, true, false, null, lists and objects, got ${type}`,
		});
	});
});

test('isBlank', () => {
	expect([undefined, null, '', '  ', 0, 'a'].map(isBlank)).toEqual([
		true,
		true,
		true,
		true,
		false,
		false,
	]);
});

describe('checkIdList', () => {
	test.each<[unknown, string]>([
		[[201, 202], '201,202'],
		[['201', 202], '201,202'],
		['201, 202 ,203', '201,202,203'],
		['201,,202,', '201,202'],
		[201, '201'],
		[[202, 201, 202], '202,201'],
		[[], ''],
		['', ''],
		[undefined, ''],
	])('accepts %p as %p', (input, expected) => {
		expect(checkIdList(input)).toEqual({ ok: true, value: expected });
	});

	test.each<[unknown, string]>([
		['vip', 'must be IDs (positive whole numbers) separated by commas, got "vip"'],
		[[201, 0], 'must be IDs (positive whole numbers) separated by commas, got [201,0]'],
		['201;202', 'must be IDs (positive whole numbers) separated by commas, got "201;202"'],
		[{ id: 201 }, 'must be IDs (positive whole numbers) separated by commas, got {"id":201}'],
	])('rejects %p', (input, problem) => {
		expect(checkIdList(input)).toEqual({ ok: false, problem });
	});
});

describe('checkRequiredText', () => {
	test('keeps text as given, and numbers as text', () => {
		expect(checkRequiredText(' Called on Monday. ')).toEqual({
			ok: true,
			value: ' Called on Monday. ',
		});
		expect(checkRequiredText(42)).toEqual({ ok: true, value: '42' });
	});

	test('refuses blanks and values that are not text', () => {
		expect(checkRequiredText('  ')).toEqual({ ok: false, problem: 'is required' });
		expect(checkRequiredText(undefined)).toEqual({ ok: false, problem: 'is required' });
		expect(checkRequiredText({ text: 'a' })).toEqual({
			ok: false,
			problem: 'must be text, got {"text":"a"}',
		});
	});
});

describe('checkCustomFieldKey', () => {
	test('accepts Platformly keys cf_<alias>_<id>, trimmed', () => {
		expect(checkCustomFieldKey(' cf_favourite_colour_7 ')).toEqual({
			ok: true,
			value: 'cf_favourite_colour_7',
		});
	});

	test.each(['Plan', 'cf_plan', 'plan_8', 'cf__8x', ''])('rejects %p', (input) => {
		expect(checkCustomFieldKey(input)).toEqual({
			ok: false,
			problem: `must be a custom field key like cf_favourite_colour_7, got ${JSON.stringify(input)}`,
		});
	});
});

describe('checkUnixTimestamp', () => {
	test.each<[unknown, number]>([
		['1990-05-17T00:00:00.000Z', 642902400],
		['1990-05-17T12:30:45.900Z', 642947445],
		[642902400, 642902400],
		['642902400', 642902400],
		[642902400.7, 642902400],
	])('reads %p as %p', (input, expected) => {
		expect(checkUnixTimestamp(input)).toEqual({ ok: true, value: expected });
	});

	test('rejects what is not a date', () => {
		expect(checkUnixTimestamp('someday')).toEqual({
			ok: false,
			problem: 'must be a date, got "someday"',
		});
		expect(checkUnixTimestamp(true)).toEqual({ ok: false, problem: 'must be a date, got true' });
	});
});
