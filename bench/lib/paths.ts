import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(BENCH_ROOT, '..');
/** Generated data (git-ignored). */
export const DATA_DIR = join(BENCH_ROOT, '.data');
