// The CLI runs from a bundle of src/cli/main.ts in dist/cli/, built by esbuild (a dev dependency)
// the first time `hunter` runs and again whenever a file it was built from changed, so it always
// matches the tree without an install script or a build step to remember, and starts in a fraction
// of the time of transpiling TypeScript on every run. Commands are separate chunks, loaded when used.
//
// dist/cli/main.js          the entry, replaced atomically (write, then rename)
// dist/cli/chunks/*.js      named by content hash, so a running CLI never loses a chunk it may still load;
//                           chunks no build has used for a day are removed
// dist/cli/inputs.json      what the bundle was built from: each project file's size and mtime, and
//                           node_modules/.package-lock.json for the dependencies (npm rewrites it on install)
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const defaultRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A file's identity for "did it change": size and modification time. */
function stamp(path) {
  try {
    const { size, mtimeMs } = statSync(path);
    return `${size}:${mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** The files whose change means a rebuild: the project's bundled sources, and the installed dependencies as a whole. */
function watchedFiles(inputs) {
  return [...inputs.filter((input) => !input.split(/[\\/]/).includes('node_modules')), join('node_modules', '.package-lock.json'), 'package.json'];
}

/** True when the bundle exists and none of the files it was built from changed since. */
export function bundleIsFresh(root = defaultRoot, outDir = join(root, 'dist', 'cli')) {
  const recordFile = join(outDir, 'inputs.json');
  if (!existsSync(join(outDir, 'main.js')) || !existsSync(recordFile)) return false;
  let record;
  try {
    record = JSON.parse(readFileSync(recordFile, 'utf8'));
  } catch {
    return false;
  }
  return Object.entries(record.files ?? {}).every(([file, recorded]) => stamp(join(root, file)) === recorded) && Object.keys(record.files ?? {}).length > 0;
}

/**
 * The esbuild options both bundles share, this CLI's and the Function package's (scripts/package.ts): Node 22 ES
 * modules, split into chunks that lazily imported code loads when used, names kept for readable stack traces.
 */
export const NODE_ESM_BUNDLE = {
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // CommonJS dependencies call require() for Node built-ins; an ES module has no require of its own.
  banner: { js: "import { createRequire as __hunterCreateRequire } from 'node:module'; const require = __hunterCreateRequire(import.meta.url);" },
  keepNames: true,
  metafile: true,
  logLevel: 'warning',
};

/** Builds the bundle from src/cli/main.ts. */
export async function buildBundle(root = defaultRoot, outDir = join(root, 'dist', 'cli')) {
  const { build } = await import('esbuild');
  const result = await build({
    ...NODE_ESM_BUNDLE,
    absWorkingDir: root,
    entryPoints: { main: 'src/cli/main.ts' },
    outdir: outDir,
    // Started as its own process by path (hunter replay), never imported.
    external: ['azurite'],
    sourcemap: 'linked',
    write: false,
  });
  mkdirSync(join(outDir, 'chunks'), { recursive: true });
  const temporary = `.${process.pid}-${Date.now()}.tmp`;
  const entries = [];
  for (const file of result.outputFiles) {
    const isChunk = relative(outDir, file.path).startsWith('chunks');
    // Chunks are immutable (content-hashed names): one this build uses again is only marked as used now.
    if (isChunk && existsSync(file.path)) {
      const now = new Date();
      utimesSync(file.path, now, now);
      continue;
    }
    writeFileSync(file.path + temporary, file.contents);
    if (isChunk) renameSync(file.path + temporary, file.path);
    else entries.push(file.path);
  }
  for (const path of entries) renameSync(path + temporary, path);
  pruneChunks(join(outDir, 'chunks'), new Set(result.outputFiles.map((file) => file.path)));
  const files = Object.fromEntries(watchedFiles(Object.keys(result.metafile.inputs)).map((file) => [file, stamp(join(root, file))]));
  writeFileSync(join(outDir, 'inputs.json' + temporary), JSON.stringify({ files }, null, 1));
  renameSync(join(outDir, 'inputs.json' + temporary), join(outDir, 'inputs.json'));
}

/** Removes chunks of earlier builds, once no CLI started before this build can still be loading them. */
function pruneChunks(dir, current) {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!current.has(path) && statSync(path).mtimeMs < dayAgo) rmSync(path, { force: true });
  }
}

/** The bundle's entry as an import URL, built or rebuilt first when needed. */
export async function cliEntry(root = defaultRoot) {
  const outDir = join(root, 'dist', 'cli');
  if (!bundleIsFresh(root, outDir)) {
    try {
      await buildBundle(root, outDir);
    } catch (error) {
      // Without esbuild (dependencies installed without dev ones) an existing bundle still runs.
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !existsSync(join(outDir, 'main.js'))) throw error;
      process.stderr.write('hunter: esbuild is not installed, running the existing bundle in dist/cli (it may not match src/)\n');
    }
  }
  return pathToFileURL(join(outDir, 'main.js')).href;
}
