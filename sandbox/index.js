'use strict';

// Everything a script or test needs from the sandbox, in one require; index.d.ts types it.

const { startSandbox, PROXY_ERROR_PAGE } = require('./server');
const { MESSAGES } = require('./actions');
const { FAULT_NAMES } = require('./faults');
const seed = require('./seed');
const { unreachableUrl } = require('./unreachable');

module.exports = { startSandbox, unreachableUrl, ...seed, MESSAGES, FAULT_NAMES, PROXY_ERROR_PAGE };
