'use strict';

// n8n loads the classes through package.json's "n8n" section; this entry point lets the
// compiled node and credential be required directly as well.
module.exports = {
	...require('./dist/nodes/Platformly/Platformly.node.js'),
	...require('./dist/credentials/PlatformlyApi.credentials.js'),
};
