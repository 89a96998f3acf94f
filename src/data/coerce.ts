// Coerces raw file values (JSON values or CSV text) to the public row representation of a column
// type: datetime → Date, long/int/real → number (a long beyond 2^53: its exact decimal text, see
// core/exactJson.ts), bool → boolean, dynamic → parsed JSON, timespan → ms.
import { parseDatetime, parseGuid, parseTimespan } from '../kql/literals.js';
import type { KqlType } from '../kql/types.js';
import { exactInteger, parseJsonExact } from '../core/exactJson.js';

/** Thrown by coercers; the reader adds file, line and column. */
export class CoercionError extends Error {}

export type Coercer = (raw: unknown) => unknown;

const INTEGER = /^[+-]?\d+$/;

function describe(raw: unknown): string {
  const s = typeof raw === 'string' ? `'${raw.length > 60 ? raw.slice(0, 57) + '...' : raw}'` : JSON.stringify(raw);
  return s ?? String(raw);
}

function fail(raw: unknown, type: KqlType): never {
  throw new CoercionError(`${describe(raw)} is not a valid ${type}`);
}

/**
 * `fromText` is true for CSV, where every value is text and an empty field means null
 * (for strings: the empty string, as Kusto strings are never null).
 */
export function coercerFor(type: KqlType, fromText: boolean): Coercer {
  switch (type) {
    case 'string':
      return (raw) => {
        if (raw === null || raw === undefined) return '';
        if (typeof raw === 'string') return raw;
        if (typeof raw === 'object') return JSON.stringify(raw);
        return String(raw);
      };
    case 'long':
    case 'int':
      return (raw) => {
        if (raw === null || raw === undefined || raw === '') return null;
        if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : fail(raw, type);
        if (typeof raw === 'string' && INTEGER.test(raw.trim())) return exactInteger(raw.trim()) ?? fail(raw, type);
        return fail(raw, type);
      };
    case 'real':
    case 'decimal':
      return (raw) => {
        if (raw === null || raw === undefined || raw === '') return null;
        if (typeof raw === 'number') return raw;
        if (typeof raw === 'string') {
          const t = raw.trim();
          if (t === 'NaN') return NaN;
          const n = Number(t);
          if (t !== '' && !Number.isNaN(n)) return n;
        }
        return fail(raw, type);
      };
    case 'bool':
      return (raw) => {
        if (raw === null || raw === undefined || raw === '') return null;
        if (typeof raw === 'boolean') return raw;
        if (raw === 1 || raw === 0) return raw === 1;
        if (typeof raw === 'string') {
          const t = raw.trim().toLowerCase();
          if (t === 'true' || t === '1') return true;
          if (t === 'false' || t === '0') return false;
        }
        return fail(raw, type);
      };
    case 'datetime':
      return (raw) => {
        if (raw === null || raw === undefined || raw === '') return null;
        if (raw instanceof Date) return raw;
        if (typeof raw === 'string') {
          const ms = parseDatetime(raw);
          if (ms !== undefined) return new Date(ms);
        }
        return fail(raw, type);
      };
    case 'timespan':
      return (raw) => {
        if (raw === null || raw === undefined || raw === '') return null;
        if (typeof raw === 'number') return raw;
        if (typeof raw === 'string') {
          const ms = parseTimespan(raw);
          if (ms !== undefined) return ms;
        }
        return fail(raw, type);
      };
    case 'guid':
      return (raw) => {
        if (raw === null || raw === undefined || raw === '') return null;
        if (typeof raw === 'string') {
          const g = parseGuid(raw);
          if (g !== undefined) return g;
        }
        return fail(raw, type);
      };
    case 'dynamic':
      return (raw) => {
        if (raw === undefined || raw === '') return null;
        // exports often carry dynamic columns as JSON text; CSV always does
        if (typeof raw === 'string' && (fromText || /^\s*[[{]/.test(raw))) {
          try {
            return parseJsonExact(raw);
          } catch {
            return raw;
          }
        }
        return raw;
      };
  }
}
