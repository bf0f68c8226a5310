import { connectionFailure, httpStatusFailure } from '../../nodes/Platformly/errors';
import {
	connectionFailureKind,
	httpFailureKind,
	isContactNotFound,
} from '../../nodes/Platformly/transport/failures';

// What kind of failure an answer, or its absence, is (transport/failures.ts), and how errors.ts
// words each kind. The kinds decide retries (retry.test.ts) and the credential Test's advice.

const URL_SHOWN = 'https://api.platform.ly';

describe('an HTTP status other than 2xx', () => {
	test.each([
		[429, 'rate-limited'],
		[503, 'unavailable'],
		[301, 'redirect'],
		[307, 'redirect'],
		[500, 'server'],
		[502, 'server'],
		[401, 'auth'],
		[403, 'auth'],
		[404, 'not-found'],
		[400, 'http'],
		[418, 'http'],
	] as const)('%i is %s, and is worded as that kind', (status, kind) => {
		expect(httpFailureKind(status)).toBe(kind);
		expect(httpStatusFailure(kind, status, undefined, undefined)).toMatchObject({
			kind,
			httpCode: status,
		});
	});
});

describe('a request that got no answer', () => {
	test.each([
		[
			'ECONNREFUSED',
			'refused',
			`Could not connect to Platformly at ${URL_SHOWN}: connection refused`,
		],
		[
			'ENOTFOUND',
			'network',
			`Could not connect to Platformly at ${URL_SHOWN}: the host name did not resolve`,
		],
		[
			'EHOSTUNREACH',
			'network',
			`Could not connect to Platformly at ${URL_SHOWN}: the host is unreachable`,
		],
		[
			'CERT_HAS_EXPIRED',
			'network',
			`Could not connect to Platformly at ${URL_SHOWN}: the secure connection failed (CERT_HAS_EXPIRED)`,
		],
		[
			'ECONNRESET',
			'cut-off',
			`The connection to Platformly at ${URL_SHOWN} broke before a complete answer came (ECONNRESET)`,
		],
		[
			undefined,
			'cut-off',
			`The connection to Platformly at ${URL_SHOWN} broke before a complete answer came`,
		],
		['ERR_CANCELED', 'cancelled', 'The request to Platformly was cancelled'],
	] as const)('%s is %s: %s', (code, kind, message) => {
		expect(connectionFailureKind(code)).toBe(kind);
		expect(connectionFailure(kind, code, URL_SHOWN, false)).toMatchObject({ kind, message });
	});

	test('one never connected says nothing was sent; one cut off says the change may have been made', () => {
		expect(connectionFailure('network', 'ENOTFOUND', URL_SHOWN, false).description).toMatch(
			/^Nothing was sent\. /,
		);
		expect(connectionFailure('cut-off', 'ECONNRESET', URL_SHOWN, false).description).toBe(
			'Platformly may already have made the change (fired the event, added the note): check there before sending it again.',
		);
		expect(connectionFailure('cut-off', 'ECONNRESET', URL_SHOWN, true).description).toBe(
			'This operation only reads, so nothing was changed.',
		);
	});
});

test("Platformly's Contact Not Found is recognised in any case and spacing, and only as Platformly's", () => {
	const platformly = (message: string) => ({
		kind: 'platformly' as const,
		message,
		description: '',
	});
	expect(isContactNotFound(platformly('Contact Not Found'))).toBe(true);
	expect(isContactNotFound(platformly(' contact not found '))).toBe(true);
	expect(isContactNotFound(platformly('Contact not found: 12'))).toBe(false);
	expect(isContactNotFound({ ...platformly('Contact Not Found'), kind: 'http' })).toBe(false);
});
