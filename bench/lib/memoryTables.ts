// Tables already in memory, as the evaluator's provider: the evaluator's own cost without any file reading.
import { defenderCatalogue, type Row, type TableProvider } from '../../src/kql/index.js';

export function memoryTables(tables: Readonly<Record<string, readonly object[]>>): TableProvider {
  return {
    schemaOf: (t) => defenderCatalogue.schemaOf(t),
    // handed over as they are, nothing copied
    async *scan(table) {
      const rows = tables[table];
      if (rows && rows.length > 0) yield rows as readonly Row[];
    },
  };
}
