/**
 * A Log Analytics workspace for the contract server: the query the client sends is run by the
 * project's KQL evaluator over a folder of exported tables, and the result is put on the wire the way
 * Log Analytics does (datetime as ISO text, dynamic as JSON text, numbers as JSON numbers).
 */
import { evaluate, formatValueForJson, KqlError, type QueryResult } from '../../../src/kql/index.js';
import { openDataDir } from '../../../src/data/index.js';
import { localCatalogue } from '../../../src/adapters/local/localCatalogue.js';
import { QueryRejected, type LogAnalyticsAnswer } from './logAnalyticsContractServer.js';

export function kqlWorkspace(dataDir: () => string, now: () => Date): LogAnalyticsAnswer {
  return async (query) => {
    let result: QueryResult;
    try {
      result = await evaluate(query.query, { tables: openDataDir(dataDir(), localCatalogue), now: now() });
    } catch (error) {
      // e.g. a table the workspace does not have: Log Analytics answers 400 with the reason.
      if (error instanceof KqlError) throw new QueryRejected(error.message);
      throw error;
    }
    const columns = result.columns.map((column) => ({ name: column.name, type: column.type }));
    const rows = result.rows.map((row) =>
      columns.map((column) => {
        const value = formatValueForJson(row[column.name], column.type);
        return column.type === 'dynamic' && value !== null ? JSON.stringify(value) : value;
      }),
    );
    return { tables: [{ name: 'PrimaryResult', columns, rows }] };
  };
}
