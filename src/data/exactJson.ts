// JSON text parsed with integers beyond 2^53 kept as their exact decimal text. Kusto longs (ReportId
// above all) exceed what a JavaScript number holds: JSON.parse alone would round them to another id.
const LONG_DIGIT_RUN = /\d{16}/;

function keepExactIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || context?.source === undefined) return value;
  return /^-?\d+$/.test(context.source) ? context.source : value;
}

/** JSON.parse, except that an integer beyond ±(2^53 - 1) becomes its decimal text. */
export function parseJsonExact(text: string): unknown {
  // the reviver costs; only text with 16 digits in a row can hold such an integer
  return LONG_DIGIT_RUN.test(text) ? JSON.parse(text, keepExactIntegers) : JSON.parse(text);
}
