import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';
import { documentData, nearestNodeOffset, parsePositioned } from '../yaml/yamlDocument.js';
import type { z } from 'zod';
import { ExclusionFileError, type ExclusionFileProblem } from './errors.js';
import { CONDITION_BRANCH_KEYS, exclusionFileSchema, type ExclusionFile } from './schema.js';

type PathSegment = string | number;

export async function loadExclusionsFile(path: string): Promise<ExclusionFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ExclusionFileError(path, [{ path: '', message: `cannot read the file: ${(error as Error).message}` }]);
  }
  return parseExclusionsText(text, path);
}

/** `sourceName` is only used in messages (the file path, or e.g. `<stdin>`). */
export function parseExclusionsText(text: string, sourceName: string): ExclusionFile {
  const { document, lines: lineCounter } = parsePositioned(text);
  if (document.errors.length > 0) {
    throw new ExclusionFileError(sourceName, document.errors.map((error) => {
      const position = lineCounter.linePos(error.pos[0]);
      return { path: '', message: `YAML: ${error.message.split('\n')[0]}`, line: position.line, col: position.col };
    }));
  }
  const expanded = documentData(document);
  if ('problem' in expanded) {
    const position = lineCounter.linePos(expanded.problem.offset);
    throw new ExclusionFileError(sourceName, [{ path: '', message: `YAML: ${expanded.problem.message}`, line: position.line, col: position.col }]);
  }
  const data = expanded.data;
  if (data === null || data === undefined) {
    throw new ExclusionFileError(sourceName, [{ path: '', message: 'the file is empty; it needs a top-level `exclusions:` list' }]);
  }
  const result = exclusionFileSchema.safeParse(data);
  if (result.success) return result.data;
  const problems = flattenIssues(result.error.issues, [], data).map((issue) =>
    locate(issue, document, lineCounter),
  );
  throw new ExclusionFileError(sourceName, problems);
}

interface FlatIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
  /** For an unknown key, point at the key itself rather than its parent object. */
  readonly key?: string;
}

/**
 * A condition is a union (all / any / not / field). zod reports every branch's complaints;
 * the author meant the branch whose key the object has, so only that branch is reported.
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PathSegment[], data: unknown): FlatIssue[] {
  const flat: FlatIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    if (issue.code === 'invalid_union') {
      const value = valueAt(data, path);
      const branch = intendedBranch(value);
      const branchIssues = branch === undefined ? undefined : issue.errors[branch];
      if (branchIssues === undefined) {
        flat.push({ path, message: `expected a condition: an object with one of the keys ${CONDITION_BRANCH_KEYS.join(', ')}` });
      } else {
        flat.push(...flattenIssues(branchIssues, path, data));
      }
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) flat.push({ path: [...path, key], key, message: `unknown key "${key}"` });
    } else if (issue.code === 'invalid_type') {
      // zod's issues carry no input unless asked, so read the value itself: absent is "required",
      // anything else is the wrong type, which "is required" used to misreport.
      const value = valueAt(data, path);
      flat.push({ path, message: value === undefined ? 'is required' : `expected ${expectedType(issue.expected)}, got ${describeValue(value)}` });
    } else {
      flat.push({ path, message: issue.message });
    }
  }
  return flat;
}

function expectedType(expected: string): string {
  if (expected === 'boolean') return 'boolean (true or false)';
  if (expected === 'array') return 'array (a list)';
  if (expected === 'object') return 'object (keys and values)';
  return expected;
}

/** What the file holds, as an author would recognise it: `the string "yes"`, `the number 3`, `a list`. */
function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${String(value)}`;
}

function intendedBranch(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const index = CONDITION_BRANCH_KEYS.findIndex((key) => Object.hasOwn(value, key));
  return index === -1 ? undefined : index;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

function locate(issue: FlatIssue, document: Document, lineCounter: LineCounter): ExclusionFileProblem {
  const offset = offsetOf(document, issue);
  const position = offset === undefined ? undefined : lineCounter.linePos(offset);
  return {
    path: formatPath(issue.path),
    message: issue.message,
    ...(position === undefined ? {} : { line: position.line, col: position.col }),
  };
}

/** The YAML offset of the bad field, or of its nearest ancestor that exists in the file. */
function offsetOf(document: Document, issue: FlatIssue): number | undefined {
  const keyPath = issue.key === undefined ? issue.path : issue.path.slice(0, -1);
  if (issue.key !== undefined) {
    const parent = document.getIn(keyPath, true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === issue.key);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return keyNode.range[0];
    }
  }
  return nearestNodeOffset(document, keyPath);
}

export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}
