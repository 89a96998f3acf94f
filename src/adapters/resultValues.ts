/**
 * One value of a query service's JSON answer, typed by its column's Kusto type. Both query services put
 * datetimes on the wire as ISO text, dynamic values as JSON text and longs as JSON numbers (Log Analytics:
 * learn.microsoft.com/azure/azure-monitor/logs/api/response-format; Graph runHuntingQuery: the results
 * of a hunting query). The body is read with parseJsonExact, so a long beyond 2^53 (a ReportId) arrives
 * here as its exact decimal text and stays so; integers inside dynamic values likewise. Datetimes are
 * read as UTC by the one time parser, never by the host's Date.
 */
import { exactInteger, parseJsonExact } from '../core/exactJson.js';
import { parseUtcDate } from '../kql/literals.js';

export function typedValue(value: unknown, kustoType: string): unknown {
  if (value === null || value === undefined) return null;
  switch (kustoType) {
    case 'datetime':
      return typeof value === 'string' ? (parseUtcDate(value) ?? value) : value;
    case 'long':
    case 'int':
      if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return exactInteger(value.trim()) ?? value;
      return numberFromText(value);
    case 'real':
      return numberFromText(value);
    case 'dynamic':
      if (typeof value !== 'string') return value;
      try {
        return parseJsonExact(value);
      } catch {
        return value;
      }
    default:
      return value;
  }
}

function numberFromText(value: unknown): unknown {
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
}
