import { defaultCatalogue } from './schema/index.js';
import type { Row, SchemaCatalogue, TableProvider } from './types.js';

/**
 * Tables held in memory, under a catalogue's schemas (default: the Defender tables as Log Analytics has them):
 * what rule tests and pipeline tests evaluate queries over. `tables` is read at each scan, so rows added later count.
 */
export function memoryTables(tables: () => Readonly<Record<string, readonly Row[]>>, catalogue: Pick<SchemaCatalogue, 'schemaOf'> = defaultCatalogue): TableProvider {
  return {
    schemaOf: (table) => catalogue.schemaOf(table),
    async *scan(table) {
      yield tables()[table] ?? [];
    },
  };
}
