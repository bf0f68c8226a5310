'use strict';

const { src, dest } = require('gulp');

// tsc compiles only TypeScript; n8n looks for each icon and codex file next to the compiled node.
function buildIcons() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json', 'credentials/**/*.svg'], {
		base: '.',
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
