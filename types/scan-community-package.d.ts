// @n8n/scan-community-package ships no types: these are the parts harness/scripts/scan.mjs uses.
declare module '@n8n/scan-community-package/scanner/scanner.mjs' {
	/** The globs the scanner lints of a package's source, after its provenance step. */
	export const SOURCE_FILE_PATTERNS: string[];

	/** Lints the files of `packageDir` matching `filePatterns` with the scanner's own rules. */
	export function analyzePackage(
		packageDir: string,
		filePatterns?: string[],
	): Promise<{ passed: boolean; message?: string; details?: string }>;
}
