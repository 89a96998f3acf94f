// Schema catalogues: the Defender XDR view (advanced hunting) and the Log Analytics view, which
// adds workspace columns to the same tables. Column names are case-sensitive, as in Kusto.
import type { ColumnSchema, SchemaCatalogue, TableSchema } from '../types.js';
import { DEFENDER_TABLES } from './defender-tables.js';


/**
 * Columns Log Analytics adds to Defender tables streamed into a Sentinel workspace
 * (https://learn.microsoft.com/en-us/azure/azure-monitor/reference/tables/devicefilecertificateinfo lists
 * TenantId, TimeGenerated, Type, SourceSystem and MachineGroup).
 */
const LOG_ANALYTICS_COLUMNS: readonly ColumnSchema[] = [
  { name: 'TenantId', type: 'string' },
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Type', type: 'string' },
  { name: 'SourceSystem', type: 'string' },
  { name: 'MachineGroup', type: 'string' },
];

/** Log Analytics' IdentityInfo is Sentinel's UEBA table, not the Defender one; it is left as Defender's here. */
const TABLES_WITHOUT_LA_EXTRAS = new Set(['IdentityInfo']);

function withLogAnalyticsColumns(table: TableSchema): TableSchema {
  if (TABLES_WITHOUT_LA_EXTRAS.has(table.name)) return table;
  const names = new Set(table.columns.map((c) => c.name));
  return { name: table.name, columns: [...table.columns, ...LOG_ANALYTICS_COLUMNS.filter((c) => !names.has(c.name))] };
}

export function createCatalogue(tables: readonly TableSchema[]): SchemaCatalogue {
  const byName = new Map(tables.map((t) => [t.name, t]));
  return {
    schemaOf: (name) => byName.get(name),
    tableNames: () => [...byName.keys()],
  };
}

/** Defender advanced hunting schemas (what the Defender backend and `--data` files use). */
export const defenderCatalogue: SchemaCatalogue = createCatalogue(DEFENDER_TABLES);

/** The same tables as Log Analytics sees them (Sentinel workspace). */
export const logAnalyticsCatalogue: SchemaCatalogue = createCatalogue(DEFENDER_TABLES.map(withLogAnalyticsColumns));

/** Default: Log Analytics view, a superset of the Defender view, so rules valid on either backend lint clean. */
export const defaultCatalogue: SchemaCatalogue = logAnalyticsCatalogue;
