import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import prettierConfig from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const packageCode = ['nodes/**/*.ts', 'credentials/**/*.ts'];

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
	{ files: ['**/*.ts'], extends: [tseslint.configs.recommended] },
	// The JavaScript: the harness, the e2e tests, the sandbox and the root files, all run by Node.
	{
		files: ['**/*.{js,mjs,cjs}'],
		extends: [js.configs.recommended],
		// As tsc's noUnusedLocals: `const { dropped, ...kept } = value` is how a key is left out.
		rules: { 'no-unused-vars': ['error', { ignoreRestSiblings: true }] },
	},
	{ files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: globals.nodeBuiltin } },
	// package.json has no "type", so Node runs .js files as CommonJS, like .cjs ones: the sandbox,
	// gulpfile.js, index.js and jest.config.js.
	{ files: ['**/*.{js,cjs}'], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
	{ files: packageCode, ...n8nCommunityNodesPlugin.configs.recommended },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Superseded: the community-nodes plugin requires a full URL here, which this rule calls miscased.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Superseded by the community-nodes rule that requires NodeConnectionTypes instead of 'main'.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	// Formatting is Prettier's (npm run lint runs it after ESLint): no ESLint rule may disagree with it.
	prettierConfig,
);
