'use strict';

// n8n loads the classes through package.json's "n8n" section; this entry point lets the
// compiled nodes and credential be required directly as well: the Platformly node, the Platformly
// Trigger and the Platformly API credential both take.
module.exports = {
	...require('./dist/nodes/Platformly/Platformly.node.js'),
	...require('./dist/nodes/Platformly/PlatformlyTrigger.node.js'),
	...require('./dist/credentials/PlatformlyApi.credentials.js'),
};
