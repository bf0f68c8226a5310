import {
	checkEmail,
	checkJsonObject,
	checkNameValuePairs,
	checkPositiveInteger,
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
