// eslint-plugin-n8n-nodes-base ships no types: these are the parts eslint.config.mjs uses.
declare module 'eslint-plugin-n8n-nodes-base' {
	import type { ESLint, Linter } from 'eslint';

	/** The plugin's configs are eslintrc-style; eslint.config.mjs takes only their rules. */
	interface LegacyConfig {
		rules: Linter.RulesRecord;
	}

	const plugin: {
		rules: NonNullable<ESLint.Plugin['rules']>;
		configs: Record<'all' | 'community' | 'credentials' | 'nodes', LegacyConfig>;
	};
	export = plugin;
}
