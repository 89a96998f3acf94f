import type { EcsFields } from '../core/model.js';
import { addressInRange, parseAddress, parseCidrRange, type CidrRange } from './cidr.js';
import type { Condition, FieldCondition } from './schema.js';
import { compileWildcard } from './wildcard.js';

/**
 * Three-valued: a condition on a field the activity lacks is `unknown`, and `not unknown`
 * stays unknown. Only `true` excludes, so missing context can never hide a detection,
 * not even through `not`.
 */
export type Truth = 'true' | 'false' | 'unknown';

export type CompiledCondition = (fields: EcsFields) => Truth;

export function compileCondition(condition: Condition): CompiledCondition {
  if ('all' in condition) {
    const parts = condition.all.map(compileCondition);
    return (fields) => combineAll(parts.map((part) => part(fields)));
  }
  if ('any' in condition) {
    const parts = condition.any.map(compileCondition);
    return (fields) => combineAny(parts.map((part) => part(fields)));
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not);
    return (fields) => negate(inner(fields));
  }
  return compileFieldCondition(condition);
}

function combineAll(values: readonly Truth[]): Truth {
  if (values.includes('false')) return 'false';
  return values.includes('unknown') ? 'unknown' : 'true';
}

function combineAny(values: readonly Truth[]): Truth {
  if (values.includes('true')) return 'true';
  return values.includes('unknown') ? 'unknown' : 'false';
}

function negate(value: Truth): Truth {
  if (value === 'unknown') return 'unknown';
  return value === 'true' ? 'false' : 'true';
}

function compileFieldCondition(condition: FieldCondition): CompiledCondition {
  const { field } = condition;
  if (condition.exists !== undefined) {
    const wanted = condition.exists;
    return (fields) => {
      const present = (fields[field]?.length ?? 0) > 0;
      // An absent field may only mean "not collected yet", so `exists: true` on it is unknown,
      // not false: `not: {exists: true}` must not turn missing context into a suppression.
      if (wanted) return present ? 'true' : 'unknown';
      // `exists: false` asks for absence explicitly; riskyConditionWarnings flags it every run.
      return present ? 'false' : 'true';
    };
  }
  if (condition.includes !== undefined) {
    // Membership, not a test on every value: a user is in many groups, and being in this one is what counts.
    const fold = condition.case_sensitive === true ? (text: string) => text : (text: string) => text.toLowerCase();
    const wanted = fold(condition.includes);
    return (fields) => {
      const values = fields[field];
      if (values === undefined || values.length === 0) return 'unknown';
      return values.some((value) => fold(value) === wanted) ? 'true' : 'false';
    };
  }
  const satisfies = compileValueTest(condition);
  return (fields) => {
    const values = fields[field];
    if (values === undefined || values.length === 0) return 'unknown';
    return values.every(satisfies) ? 'true' : 'false';
  };
}

/** The test one value of a multi-valued field must pass; the field matches when every value passes. */
function compileValueTest(condition: FieldCondition): (value: string) => boolean {
  const caseSensitive = condition.case_sensitive === true;
  const fold = caseSensitive ? (text: string) => text : (text: string) => text.toLowerCase();
  if (condition.equals !== undefined) {
    const expected = fold(condition.equals);
    return (value) => fold(value) === expected;
  }
  if (condition.not_equals !== undefined) {
    const unwanted = fold(condition.not_equals);
    return (value) => fold(value) !== unwanted;
  }
  if (condition.in !== undefined) {
    const allowed = new Set(condition.in.map(fold));
    return (value) => allowed.has(fold(value));
  }
  if (condition.startswith !== undefined) {
    const prefix = fold(condition.startswith);
    return (value) => fold(value).startsWith(prefix);
  }
  if (condition.endswith !== undefined) {
    const suffix = fold(condition.endswith);
    return (value) => fold(value).endsWith(suffix);
  }
  if (condition.contains !== undefined) {
    const part = fold(condition.contains);
    return (value) => fold(value).includes(part);
  }
  if (condition.matches !== undefined) {
    return compileWildcard(condition.matches, caseSensitive);
  }
  if (condition.cidr !== undefined) {
    const texts = typeof condition.cidr === 'string' ? [condition.cidr] : condition.cidr;
    const ranges = texts.map(parseRangeOrThrow);
    return (value) => {
      const address = parseAddress(value);
      return address !== undefined && ranges.some((range) => addressInRange(address, range));
    };
  }
  throw new Error(`condition on ${condition.field} has no operator`);
}

function parseRangeOrThrow(text: string): CidrRange {
  const range = parseCidrRange(text);
  if (range === undefined) throw new Error(`not a CIDR range: ${text}`);
  return range;
}
