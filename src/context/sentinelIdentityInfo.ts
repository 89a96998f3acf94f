/**
 * Sentinel's UEBA IdentityInfo (Log Analytics) has columns Defender's lacks, among them the
 * GroupMembership that user.group comes from. The built-in local catalogue models Defender's
 * table; this adds the UEBA columns the group lookup reads so local data can carry them.
 * Columns: https://learn.microsoft.com/azure/azure-monitor/reference/tables/identityinfo
 */
import type { ColumnSchema, SchemaCatalogue, TableSchema } from '../kql/index.js';

export const SENTINEL_IDENTITY_INFO_COLUMNS: readonly ColumnSchema[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'AccountUPN', type: 'string' },
  { name: 'AccountSID', type: 'string' },
  { name: 'GroupMembership', type: 'dynamic' },
];

export function withSentinelIdentityInfo(catalogue: SchemaCatalogue): SchemaCatalogue {
  const extend = (table: TableSchema): TableSchema => {
    const names = new Set(table.columns.map((column) => column.name));
    return { name: table.name, columns: [...table.columns, ...SENTINEL_IDENTITY_INFO_COLUMNS.filter((column) => !names.has(column.name))] };
  };
  return {
    schemaOf(name) {
      const table = catalogue.schemaOf(name);
      return table !== undefined && name === 'IdentityInfo' ? extend(table) : table;
    },
    tableNames: () => catalogue.tableNames(),
  };
}
