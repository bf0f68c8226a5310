'use strict';

// Everything a script or test needs from the sandbox, in one require. The types are the JSDoc of
// the module that owns each (checked against its code by `npm run typecheck`); the typedefs below
// re-export the public ones, so that TypeScript and JSDoc callers import them from here too.

const { startSandbox, PROXY_ERROR_PAGE } = require('./server');
const { MESSAGES } = require('./actions');
const { FAULT_NAMES } = require('./faults');
const seed = require('./seed');
const { unreachableUrl } = require('./unreachable');

/**
 * @typedef {import('./seed').Project} Project
 * @typedef {import('./seed').ContactField} ContactField
 * @typedef {import('./seed').ContactNote} ContactNote
 * @typedef {import('./seed').ContactBase} ContactBase
 * @typedef {import('./seed').Contact} Contact
 * @typedef {import('./seed').SeedContact} SeedContact
 * @typedef {import('./seed').Tag} Tag
 * @typedef {import('./seed').Segment} Segment
 * @typedef {import('./seed').CustomField} CustomField
 * @typedef {import('./seed').SandboxEvent} SandboxEvent
 * @typedef {import('./store').SandboxState} SandboxState
 * @typedef {import('./faults').RandomFaultName} RandomFaultName
 * @typedef {import('./faults').FaultName} FaultName
 * @typedef {import('./faults').FaultSettings} FaultSettings
 * @typedef {import('./automations').AutomationTrigger} AutomationTrigger
 * @typedef {import('./automations').AutomationSpec} AutomationSpec
 * @typedef {import('./automations').Automation} Automation
 * @typedef {import('./deliveries').DeliveryRecord} DeliveryRecord
 * @typedef {import('./server').SettledDeliveries} SettledDeliveries
 * @typedef {import('./server').SandboxOptions} SandboxOptions
 * @typedef {import('./server').FiredEvent} FiredEvent
 * @typedef {import('./server').RequestRecord} RequestRecord
 * @typedef {import('./server').InFlight} InFlight
 * @typedef {import('./server').InFlightChange} InFlightChange
 * @typedef {import('./server').InFlightTimeline} InFlightTimeline
 * @typedef {import('./server').Sandbox} Sandbox
 */

module.exports = { startSandbox, unreachableUrl, ...seed, MESSAGES, FAULT_NAMES, PROXY_ERROR_PAGE };
