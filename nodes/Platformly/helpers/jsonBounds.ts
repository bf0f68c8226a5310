/**
 * Walks of JSON-like values that never recurse, so that a value nested a million levels deep is
 * measured, not a stack overflow (JSON.parse builds such values; JSON.stringify cannot write them).
 */

/** Whether objects and arrays nest deeper than `maxDepth` in `value`; `{"a": 1}` is 1 deep. */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
	const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
	while (stack.length > 0) {
		const { node, depth } = stack.pop()!;
		if (typeof node !== 'object' || node === null) continue;
		// A cycle, which no JSON has, counts as too deep and ends the walk like any other.
		if (depth >= maxDepth) return true;
		for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
	}
	return false;
}

/**
 * The first key that appears twice in one object of `text`, which must be valid JSON.
 * JSON.parse keeps only the last of them, so without this a duplicate would vanish unseen.
 */
export function findDuplicateKey(text: string): string | undefined {
	// One entry per open object (its keys so far) or array (null).
	const open: Array<Set<string> | null> = [];
	let expectingKey = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (char === '"') {
			let end = index + 1;
			while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
			const keys = open[open.length - 1];
			if (keys && expectingKey) {
				const key = JSON.parse(text.slice(index, end + 1)) as string;
				if (keys.has(key)) return key;
				keys.add(key);
				expectingKey = false;
			}
			index = end;
		} else if (char === '{') {
			open.push(new Set());
			expectingKey = true;
		} else if (char === '[') {
			open.push(null);
			expectingKey = false;
		} else if (char === '}' || char === ']') {
			open.pop();
			expectingKey = false;
		} else if (char === ',') {
			expectingKey = open[open.length - 1] !== null && open.length > 0;
		} else if (char === ':') {
			expectingKey = false;
		}
	}
	return undefined;
}
