// Reads the vendored RMM rule corpus (test/fixtures/rmm-rules, see its UPSTREAM.md). The query block is taken
// from the YAML text directly: several corpus files are not valid YAML (a mis-indented
// requiredDataConnectors list), and the KQL must still be checked and mapped to YAML lines.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CORPUS_DIR = resolve(REPO_ROOT, 'test/fixtures/rmm-rules');

export interface CorpusRule {
  /** path relative to the corpus root, e.g. Ammyy/rmm_Ammyy_filesig.yaml */
  readonly file: string;
  readonly query: string;
  /** YAML line (1-based) of the query's first line */
  readonly firstLine: number;
  /** indentation of the block scalar (YAML column = query column + indent) */
  readonly indent: number;
  readonly table: string;
}


/** Every rule of the vendored corpus; a missing corpus is an error, never a silent skip. */
export function loadCorpus(): CorpusRule[] {
  if (!existsSync(CORPUS_DIR)) throw new Error(`the vendored RMM corpus is missing: ${CORPUS_DIR}`);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.yaml') || p.endsWith('.yml')) files.push(p);
    }
  };
  walk(CORPUS_DIR);
  return files.sort().map((p) => extractQuery(relative(CORPUS_DIR, p), readFileSync(p, 'utf8')));
}

export function extractQuery(file: string, yamlText: string): CorpusRule {
  const lines = yamlText.split(/\r?\n/);
  const start = lines.findIndex((l) => /^query:\s*[|>][-+]?\s*$/.test(l));
  if (start < 0) throw new Error(`${file}: no 'query: |' block`);
  const body: string[] = [];
  let indent = -1;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') {
      body.push('');
      continue;
    }
    const ind = l.length - l.trimStart().length;
    if (indent < 0) indent = ind;
    if (ind < indent) break;
    body.push(l.slice(indent));
  }
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  const query = body.join('\n');
  const table = /^\s*(Device\w+)\s*$/m.exec(query)?.[1] ?? '';
  return { file, query, firstLine: start + 2, indent, table };
}
