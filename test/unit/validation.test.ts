import {
	checkCustomFieldKey,
	checkEmail,
	checkIdList,
	checkJsonObject,
	checkNameValuePairs,
	checkPositiveInteger,
	checkRequiredText,
	checkUnixTimestamp,
	isBlank,
} from '../../nodes/Platformly/shared/validation';

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

	test('shortens a long rejected value', () => {
		expect(checkPositiveInteger('x'.repeat(100))).toEqual({
			ok: false,
			problem: `must be a positive whole number, got "${'x'.repeat(56)}...`,
		});
	});
});

describe('checkEmail', () => {
	test('accepts an address and trims spaces around it', () => {
		expect(checkEmail('  ann@example.com ')).toEqual({ ok: true, value: 'ann@example.com' });
	});

	test.each(['ann', 'ann@', 'ann@example', '@example.com', 'ann smith@example.com', 12])('rejects %p', (input) => {
		expect(checkEmail(input)).toEqual({
			ok: false,
			problem: `must be an email address, got ${JSON.stringify(input)}`,
		});
	});
});

describe('checkJsonObject', () => {
	test('parses an object given as text', () => {
		expect(checkJsonObject('{"path": "/home", "n": 2}')).toEqual({ ok: true, value: { path: '/home', n: 2 } });
	});

	test('takes an object an expression already produced', () => {
		expect(checkJsonObject({ path: '/home' })).toEqual({ ok: true, value: { path: '/home' } });
	});

	test('treats an empty field as no options', () => {
		expect(checkJsonObject('  ')).toEqual({ ok: true, value: {} });
	});

	test('rejects text that does not parse, saying why', () => {
		const checked = checkJsonObject('{"path": ');
		expect(checked.ok).toBe(false);
		expect(!checked.ok && checked.problem).toMatch(/^is not valid JSON \(.+\)$/);
	});

	test.each([
		['[1,2]', '[1,2]'],
		['"text"', '"text"'],
		['null', 'null'],
		['42', '42'],
	])('rejects %s, which is not an object', (input, shown) => {
		expect(checkJsonObject(input)).toEqual({
			ok: false,
			problem: `must be a JSON object like {"path": "/home"}, got ${shown}`,
		});
	});
});

describe('checkNameValuePairs', () => {
	test('builds one object from the rows, trimming names', () => {
		expect(
			checkNameValuePairs([
				{ name: 'path', value: '/home' },
				{ name: ' source ', value: 'n8n' },
				{ name: 'count', value: 3 },
			]),
		).toEqual({ ok: true, value: { path: '/home', source: 'n8n', count: 3 } });
	});

	test('names the row that has no name', () => {
		expect(checkNameValuePairs([{ name: 'path', value: '/' }, { name: ' ', value: 'x' }])).toEqual({
			ok: false,
			problem: 'row 2 has no name',
		});
	});
});

test('isBlank', () => {
	expect([undefined, null, '', '  ', 0, 'a'].map(isBlank)).toEqual([true, true, true, true, false, false]);
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
		expect(checkRequiredText(' Called on Monday. ')).toEqual({ ok: true, value: ' Called on Monday. ' });
		expect(checkRequiredText(42)).toEqual({ ok: true, value: '42' });
	});

	test('refuses blanks and values that are not text', () => {
		expect(checkRequiredText('  ')).toEqual({ ok: false, problem: 'is required' });
		expect(checkRequiredText(undefined)).toEqual({ ok: false, problem: 'is required' });
		expect(checkRequiredText({ text: 'a' })).toEqual({ ok: false, problem: 'must be text, got {"text":"a"}' });
	});
});

describe('checkCustomFieldKey', () => {
	test('accepts Platformly keys cf_<alias>_<id>, trimmed', () => {
		expect(checkCustomFieldKey(' cf_favourite_colour_7 ')).toEqual({ ok: true, value: 'cf_favourite_colour_7' });
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
		expect(checkUnixTimestamp('someday')).toEqual({ ok: false, problem: 'must be a date, got "someday"' });
		expect(checkUnixTimestamp(true)).toEqual({ ok: false, problem: 'must be a date, got true' });
	});
});
