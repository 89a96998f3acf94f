// Integers beyond 2^53 kept exact, as their decimal text. Kusto longs (ReportId above all) exceed what
// a JavaScript number holds: a rounded ReportId names another event. Everything that reads longs from
// outside (data files, service answers) goes through here.
const LONG_DIGIT_RUN = /\d{16}/;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function keepExactIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || context?.source === undefined) return value;
  return /^-?\d+$/.test(context.source) ? context.source : value;
}

/** JSON.parse, except that an integer beyond ±(2^53 - 1) becomes its decimal text. */
export function parseJsonExact(text: string): unknown {
  // the reviver costs; only text with 16 digits in a row can hold such an integer
  return LONG_DIGIT_RUN.test(text) ? JSON.parse(text, keepExactIntegers) : JSON.parse(text);
}

/**
 * The value of integer text (`[+-]?digits`): a number when it is exact as one, else its canonical
 * decimal text; undefined outside the 64-bit range of a Kusto long.
 */
export function exactInteger(text: string): number | string | undefined {
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  const big = BigInt(text);
  return big < LONG_MIN || big > LONG_MAX ? undefined : big.toString();
}
