/**
 * A Log Analytics workspace for the contract server: the query the client sends is run by the
 * project's KQL evaluator over a folder of exported tables, and the result is put on the wire the way
 * Log Analytics does (datetime as ISO text, dynamic as JSON text, numbers as JSON numbers).
 * The evaluator keeps a long beyond 2^53 (a ReportId) as its exact decimal text, in a long column and
 * inside dynamic values; on the wire it is a JSON number again, as the service sends it. (Inside a
 * dynamic value such text is taken for a long: the test data holds no string of 16 or more digits.)
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
        const value = row[column.name];
        if ((column.type === 'long' || column.type === 'int') && isLongText(value)) return rawJson(value);
        const wire = formatValueForJson(value, column.type);
        return column.type === 'dynamic' && wire !== null ? JSON.stringify(wire, (_key, item: unknown) => (isLongText(item) ? rawJson(item) : item)) : wire;
      }),
    );
    return { tables: [{ name: 'PrimaryResult', columns, rows }] };
  };
}

const isLongText = (value: unknown): value is string => typeof value === 'string' && /^-?\d{16,19}$/.test(value) && !Number.isSafeInteger(Number(value));
const rawJson = (text: string): unknown => (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(text);
