import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, normalize, posix } from 'node:path';

/**
 * README.md and the pages in docs/ tell the truth about the repository: every `npm run` names a
 * script of package.json, every relative link reaches a file, and every #anchor a heading of the
 * page it points into (by GitHub's slug rule). The README stays short, for the n8n user, and links
 * every page in docs/. Renaming a script, a file or a heading breaks the docs silently; this test
 * fails instead.
 */
const REPO = join(__dirname, '..', '..');
const README = 'README.md';
const MAX_README_LINES = 300;

const scripts = new Set(
	Object.keys(
		(
			JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
				scripts: Record<string, string>;
			}
		).scripts,
	),
);

/** Repository-relative paths, with forward slashes: README.md, then docs/*.md. */
const docsPages = readdirSync(join(REPO, 'docs'))
	.filter((file) => file.endsWith('.md'))
	.sort()
	.map((file) => posix.join('docs', file));
const pages = [README, ...docsPages];

function read(page: string): string {
	return readFileSync(join(REPO, page), 'utf8');
}

/** Blanks a stretch of text, keeping its line breaks, so that line numbers stay true. */
function blank(text: string): string {
	return text.replace(/[^\n]/g, ' ');
}

/** The text without its fenced code blocks (```, ~~~), which hold examples, not headings or links. */
function withoutFences(text: string): string {
	let fence: string | undefined;
	return text
		.split('\n')
		.map((line) => {
			const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
			if (fence === undefined) {
				if (marker !== undefined) fence = marker;
			} else if (
				marker !== undefined &&
				marker[0] === fence[0] &&
				marker.length >= fence.length &&
				line.trim() === marker
			) {
				fence = undefined;
				return blank(line);
			}
			return fence === undefined ? line : blank(line);
		})
		.join('\n');
}

/** The text without code: fenced blocks and inline `code` spans, which may span lines. */
function withoutCode(text: string): string {
	return withoutFences(text).replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, blank);
}

function lineOf(text: string, index: number): number {
	return text.slice(0, index).split('\n').length;
}

/**
 * GitHub's anchor for a heading: links keep their text, letters are lower-cased, everything but
 * letters, digits, spaces, `-` and `_` is dropped, and each space becomes `-`.
 */
function slug(heading: string): string {
	return heading
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/** The anchors a page's headings get; a repeated heading's anchor gets -1, -2, … as on GitHub. */
function anchors(text: string): Set<string> {
	const counts = new Map<string, number>();
	const found = new Set<string>();
	for (const [, heading] of withoutFences(text).matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/gm)) {
		const base = slug(heading);
		const seen = counts.get(base) ?? 0;
		counts.set(base, seen + 1);
		found.add(seen === 0 ? base : `${base}-${seen}`);
	}
	return found;
}

/** Every `npm run <name>`, in prose and in code alike, whose name is not a script of package.json. */
function unknownScripts(page: string, text: string): string[] {
	return [...text.matchAll(/\bnpm\s+run(?:-script)?\s+([^\s`'"(),;<>|&]+)/g)]
		.map((match) => ({ name: match[1].replace(/[.:]+$/, ''), line: lineOf(text, match.index) }))
		.filter(({ name }) => !scripts.has(name))
		.map(({ name, line }) => `${page}:${line}: npm run ${name}: package.json has no such script`);
}

interface Link {
	line: number;
	target: string;
	/** The file it points at, repository-relative; the page itself for `#anchor`. */
	file: string;
	anchor?: string;
}

/** The relative links and images of a page, outside code; web and mail addresses are left out. */
function relativeLinks(page: string, text: string): Link[] {
	const prose = withoutCode(text);
	return [...prose.matchAll(/\]\(\s*<?([^()\s<>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)]
		.map((match) => ({ target: match[1], line: lineOf(prose, match.index) }))
		.filter(({ target }) => !/^[a-z][a-z\d+.-]*:/i.test(target))
		.map(({ target, line }) => {
			const hash = target.indexOf('#');
			const path = hash === -1 ? target : target.slice(0, hash);
			const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
			const file =
				path === '' ? page : posix.normalize(posix.join(posix.dirname(page), decodeURI(path)));
			return { line, target, file, anchor };
		});
}

/** Links whose file does not exist, relative to the page. */
function missingFiles(page: string, text: string): string[] {
	return relativeLinks(page, text)
		.filter(({ file }) => file.startsWith('..') || !existsSync(join(REPO, normalize(file))))
		.map(({ line, target, file }) => `${page}:${line}: ${target}: ${file} does not exist`);
}

/** Links whose #anchor is not a heading of the Markdown page they point into. */
function missingAnchors(page: string, text: string): string[] {
	return relativeLinks(page, text)
		.filter(({ file }) => file.endsWith('.md'))
		.filter(({ file }) => file === page || existsSync(join(REPO, normalize(file))))
		.filter(
			({ file, anchor }) =>
				anchor !== undefined && !anchors(file === page ? text : read(file)).has(anchor),
		)
		.map(({ line, target, file }) => `${page}:${line}: ${target}: ${file} has no such heading`);
}

describe.each(pages)('%s', (page) => {
	const text = read(page);

	test('runs only scripts that package.json has', () => {
		expect(unknownScripts(page, text)).toEqual([]);
	});

	test('links only to files that exist', () => {
		expect(missingFiles(page, text)).toEqual([]);
	});

	test('links only to headings that exist', () => {
		expect(missingAnchors(page, text)).toEqual([]);
	});
});

test(`README.md has at most ${MAX_README_LINES} lines: the deeper topics live in docs/`, () => {
	const lines = read(README).replace(/\n$/, '').split('\n');
	expect(lines.length).toBeLessThanOrEqual(MAX_README_LINES);
});

test('README.md links every page in docs/', () => {
	const linked = new Set(relativeLinks(README, read(README)).map(({ file }) => file));
	expect(docsPages.filter((page) => !linked.has(page))).toEqual([]);
});

describe('the checks themselves', () => {
	test('compute anchors as GitHub does', () => {
		expect(slug('Contact › Fire Event')).toBe('contact--fire-event');
		expect(slug("Using the node as an AI agent's tool")).toBe(
			'using-the-node-as-an-ai-agents-tool',
		);
		expect(slug('Options (in short), v1.2: a/b')).toBe('options-in-short-v12-ab');
		expect(slug('The `npm run` [sandbox](docs/sandbox.md)')).toBe('the-npm-run-sandbox');
		expect([...anchors('# Notes\n\n```\n# not a heading\n```\n\n## Notes\n')]).toEqual([
			'notes',
			'notes-1',
		]);
	});

	test('find a planted unknown script, missing file and missing heading, and nothing in code', () => {
		const planted = [
			'# A page',
			'',
			'Run `npm run nonexistent-script`, see [there](docs/nowhere.md) and [here](#nowhere),',
			'or [the queue page](docs/queue-mode.md#nowhere); [fine](#a-page), [web](https://x.y/#z).',
			'',
			'```md',
			'[an example](not-a-file.md)',
			'```',
			'',
		].join('\n');

		expect(unknownScripts(README, planted)).toEqual([
			'README.md:3: npm run nonexistent-script: package.json has no such script',
		]);
		expect(missingFiles(README, planted)).toEqual([
			'README.md:3: docs/nowhere.md: docs/nowhere.md does not exist',
		]);
		expect(missingAnchors(README, planted)).toEqual([
			'README.md:3: #nowhere: README.md has no such heading',
			'README.md:4: docs/queue-mode.md#nowhere: docs/queue-mode.md has no such heading',
		]);
	});
});
