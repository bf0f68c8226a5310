import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PlatformlyApi } from '../../credentials/PlatformlyApi.credentials';
import { Platformly } from '../../nodes/Platformly/Platformly.node';
import { PlatformlyTrigger } from '../../nodes/Platformly/PlatformlyTrigger.node';

/** index.js, the package's `main`, tells the truth: every node and credential n8n loads, no more. */
const root = path.join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	main: string;
	n8n: { nodes: string[]; credentials: string[] };
};

test('requires exactly the files package.json names for n8n', () => {
	const source = readFileSync(path.join(root, manifest.main), 'utf8');
	const required = [...source.matchAll(/require\('\.\/([^']+)'\)/g)].map(([, file]) => file);
	expect(required.sort()).toEqual([...manifest.n8n.nodes, ...manifest.n8n.credentials].sort());
});

test('exports both nodes and the credential', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(path.join(root, manifest.main)) as Record<string, unknown>;
	expect(exported).toEqual({ Platformly, PlatformlyTrigger, PlatformlyApi });
});
