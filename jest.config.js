const { createDefaultPreset } = require('ts-jest');

/** @type {import('jest').Config} */
module.exports = {
	// ts-jest compiles the tests to CommonJS, whatever tsconfig.json's module setting. That setting is
	// node16 so that tsc checks the harness's .mjs files as the ES modules they are; ts-jest warns
	// about it (TS151002) unless told the settings it compiles with anyway.
	...createDefaultPreset({ tsconfig: { module: 'commonjs', moduleResolution: 'node10' } }),
	testEnvironment: 'node',
	// Several tests wait out a pause of a second or two that Platformly asked for, over real sockets.
	testTimeout: 15_000,
	// nock patches Node's http module once per test file; Jest's global clean-up then warns about it.
	testEnvironmentOptions: { globalsCleanup: 'off' },
	roots: ['<rootDir>/test'],
	// index.js requires the compiled package (dist/); its test reads the sources instead, so that
	// it needs no build.
	moduleNameMapper: { '^\\./dist/(.*)\\.js$': '<rootDir>/$1' },
	testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/sandbox/**/*.test.ts'],
};
