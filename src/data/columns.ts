// Keys and header names in a data file must be columns of the table's schema: a misspelt key
// ("Signr", or TimeGenerated where the schema has only Timestamp) would otherwise be dropped and
// the hunt would silently find nothing.
import { closestNames, formatSuggestion } from '../kql/suggest.js';
import type { TableSchema } from '../kql/types.js';
import { DataFileError } from './errors.js';

/**
 * Log Analytics' standard columns (https://learn.microsoft.com/azure/azure-monitor/logs/log-standard-columns)
 * that a workspace export can carry but no Defender table schema lists: tolerated and left out of rows.
 */
const WORKSPACE_METADATA = new Set(['_ResourceId', '_SubscriptionId', '_ItemId', '_IsBillable', '_BilledSize', '_TimeReceived']);

export function unknownColumnError(file: string, line: number, schema: TableSchema, key: string): DataFileError {
  if (key.trim() === '') return new DataFileError(file, line, undefined, `empty column name (columns of ${schema.name} only)`);
  const names = schema.columns.map((c) => c.name);
  let hint = formatSuggestion(closestNames(key, names), 'column names');
  if (hint === '' && key === 'TimeGenerated' && names.includes('Timestamp')) {
    // a Log Analytics export read with the Defender schema: the event time is Timestamp there
    hint = ` (did you mean 'Timestamp'? TimeGenerated is a Log Analytics column; this schema's event time is Timestamp)`;
  }
  return new DataFileError(file, line, key, `not a column of ${schema.name}${hint}`);
}

/** Checks a header (CSV, Log Analytics columns, Graph schema): `lineOf(i)` is the line of name i. */
export function checkColumnNames(file: string, schema: TableSchema, names: readonly string[], lineOf: (index: number) => number): void {
  const known = new Set(schema.columns.map((c) => c.name));
  names.forEach((name, i) => {
    if (!known.has(name) && !WORKSPACE_METADATA.has(name)) throw unknownColumnError(file, lineOf(i), schema, name);
  });
}

/**
 * Checks the keys of each row object. Rows of one file nearly always share their keys in the same
 * order, so a row is compared key by key with the last checked row and only a row whose keys
 * differ is looked up in the schema: the cost per row is a walk over its keys.
 */
export function createKeyChecker(file: string, schema: TableSchema): (raw: Record<string, unknown>, line: number) => void {
  const known = new Set(schema.columns.map((c) => c.name));
  for (const k of WORKSPACE_METADATA) known.add(k);
  let last: readonly string[] = [];
  return (raw, line) => {
    let i = 0;
    let same = true;
    for (const key in raw) {
      if (same && key !== last[i]) same = false;
      if (!same && !known.has(key)) throw unknownColumnError(file, line, schema, key);
      i++;
    }
    if (!same || i !== last.length) last = Object.keys(raw);
  };
}
