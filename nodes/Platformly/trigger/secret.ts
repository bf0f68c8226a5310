import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A shared secret the sender puts in the URL's query: characters a URL carries as they are, and
 * long enough not to be guessed.
 */
const SECRET_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;

export function isUsableSecret(secret: unknown): secret is string {
	return typeof secret === 'string' && SECRET_PATTERN.test(secret);
}

/**
 * Compares two secrets in constant time, so that answers cannot be timed to guess a secret
 * character by character. Their SHA-256 digests are compared, which have one length whatever the
 * secrets' lengths.
 */
export function secretsMatch(given: string, expected: string): boolean {
	const digest = (secret: string) => createHash('sha256').update(secret).digest();
	return timingSafeEqual(digest(given), digest(expected));
}
