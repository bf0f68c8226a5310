/**
 * A shared secret the sender puts in the URL's query: characters a URL carries as they are, and
 * long enough not to be guessed.
 */
const SECRET_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;

export function isUsableSecret(secret: unknown): secret is string {
	return typeof secret === 'string' && SECRET_PATTERN.test(secret);
}

/**
 * Compares two secrets in time that depends on their lengths only, not on where they first
 * differ, so that answers cannot be timed to guess a secret character by character. (A community
 * node may not import node:crypto's timingSafeEqual.)
 */
export function secretsMatch(given: string, expected: string): boolean {
	let difference = given.length ^ expected.length;
	for (let index = 0; index < expected.length; index++) {
		difference |= (given.charCodeAt(index) || 0) ^ expected.charCodeAt(index);
	}
	return difference === 0;
}
