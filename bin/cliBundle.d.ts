import type { BuildOptions } from 'esbuild';

/** bin/cliBundle.js: the CLI's bundle in dist/cli/, built from src/ on first use and when its sources change. */
export function bundleIsFresh(root?: string, outDir?: string): boolean;
export function buildBundle(root?: string, outDir?: string): Promise<void>;
export function cliEntry(root?: string): Promise<string>;
/** The esbuild options the CLI bundle and the Function package (scripts/package.ts) share. */
export const NODE_ESM_BUNDLE: BuildOptions & { metafile: true };
