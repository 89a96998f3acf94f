// The data folder's reference-data mappings (externaldata.json, geoip.json) are JSON objects, optional.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataFileError } from './errors.js';

/** `dir/name` as a JSON object, undefined when the folder has no such file; anything else is an error naming the file. */
export function readMappingFile(dir: string, name: string, what: string): { file: string; entries: Record<string, unknown> } | undefined {
  const file = path.join(dir, name);
  if (!existsSync(file)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataFileError(file, 1, undefined, `invalid JSON: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new DataFileError(file, 1, undefined, `expected an object mapping ${what}`);
  return { file, entries: doc as Record<string, unknown> };
}
