// Public API of the KQL engine: parse, lint, evaluate, and helpers to build queries safely.
import type { Script } from './ast.js';
import { DataDependentSchema, type Discovery } from './binder/evaluate.js';
import { approximateThresholds } from './approximations.js';
import { Binder } from './binder/index.js';
export { INGESTION_TIME_COLUMN } from './binder/index.js';
import type { BoundPlan } from './bound.js';
import { KqlBindError, KqlParseError, toDiagnostic, type KqlDiagnostic } from './errors.js';
import { runPlan } from './eval/execute.js';
import { createFunctionRegistry } from './functions/registry.js';
import type { FunctionRegistry } from './functions/types.js';
import { formatTimespan, parseDatetime } from './literals.js';
import { parse as parseScript, parseWithRecovery } from './parser/index.js';
import { defaultCatalogue } from './schema/index.js';
import type { ColumnSchema, KqlType, QueryResult, Row, SchemaCatalogue, TableProvider } from './types.js';
import { toPublicValue } from './values.js';

export type { KqlType, ColumnSchema, TableSchema, TableProvider, ScanHints, RowFilter, Row, QueryResult, SchemaCatalogue } from './types.js';
export type { Script } from './ast.js';
export type { KqlDiagnostic, KqlErrorCode, SourcePosition } from './errors.js';
export { KqlError, KqlParseError, KqlBindError, KqlRuntimeError, positionAt } from './errors.js';
export { defaultCatalogue, defenderCatalogue, logAnalyticsCatalogue, createCatalogue } from './schema/index.js';
export { parseDatetime, parseTimespan, formatTimespan } from './literals.js';
export { replaceLetValues, kqlString } from './queryText.js';
export { memoryTables } from './memoryTables.js';

export interface EvaluateOptions {
  readonly tables: TableProvider;
  readonly now: Date;
  /** Defaults to a fresh built-in registry. */
  readonly functions?: FunctionRegistry;
}

export function parse(queryText: string): Script {
  return parseScript(queryText);
}

/**
 * Parses and binds; returns the plan of the query (last tabular statement) and the binder's notes.
 * Throws KqlError subclasses, or DataDependentSchema for an operator whose columns `discoveries` lacks.
 */
function compileQuery(
  queryText: string,
  catalogue: Pick<SchemaCatalogue, 'schemaOf'>,
  functions: FunctionRegistry,
  discoveries: ReadonlyMap<number, Discovery>,
): { plan: BoundPlan; notes: readonly string[] } {
  const script = parseScript(queryText);
  const binder = new Binder(queryText, catalogue, functions);
  binder.discoveries = discoveries;
  const query = binder.bindScript(script);
  if (!query) {
    const last = script.statements[script.statements.length - 1]!;
    throw new KqlBindError('KQL111', 'the query has no tabular expression to return (only let statements)', queryText, last.pos, last.end - last.pos);
  }
  return { plan: query, notes: binder.notes };
}

export async function evaluate(queryText: string, options: EvaluateOptions): Promise<QueryResult> {
  const functions = options.functions ?? createFunctionRegistry();
  const now = options.now.getTime();
  // an operator whose columns depend on the data (bag_unpack, pivot) has its input run first; the
  // query is then bound again with what that input holds (evaluate.ts in the binder)
  const discoveries = new Map<number, Discovery>();
  for (;;) {
    let compiled: { plan: BoundPlan; notes: readonly string[] };
    try {
      compiled = compileQuery(queryText, options.tables, functions, discoveries);
    } catch (e) {
      if (!(e instanceof DataDependentSchema)) throw e;
      const rows = await runPlan(e.input, options.tables, now, queryText);
      discoveries.set(e.at, { rows, found: e.learn(rows) });
      continue;
    }
    const { plan, notes } = compiled;
    const rows = await runPlan(plan, options.tables, now, queryText);
    return { columns: plan.schema, rows: toPublicRows(plan.schema, rows), ...(notes.length > 0 ? { notes } : {}) };
  }
}

function toPublicRows(schema: readonly ColumnSchema[], rows: readonly unknown[][]): Row[] {
  const names = schema.map((c) => c.name);
  const types = schema.map((c) => c.type);
  return rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) o[names[i]!] = toPublicValue(r[i], types[i]!);
    return o;
  });
}

/**
 * Every problem in a query, as Kusto.Language reports them: syntax errors (the parser reads on past
 * each), bind errors (binding goes on past each; what failed is not reported again where it is used),
 * and warnings (KQL3xx) about what may decide differently in Kusto. In the order of their position;
 * never throws on bad KQL.
 */
export function lint(queryText: string, catalogue: SchemaCatalogue = defaultCatalogue, functions: FunctionRegistry = createFunctionRegistry()): KqlDiagnostic[] {
  let parsed: { script: Script; errors: KqlParseError[] };
  try {
    parsed = parseWithRecovery(queryText);
  } catch (e) {
    if (e instanceof KqlParseError) return [toDiagnostic(e)];
    throw e;
  }
  const { script, errors } = parsed;
  const binder = new Binder(queryText, catalogue, functions, { recover: true });
  binder.bindScript(script);
  const diagnostics = [...errors, ...binder.diagnostics].map(toDiagnostic);
  if (diagnostics.length === 0 && !script.statements.some((st) => st.kind === 'ExprStatement')) {
    const last = script.statements[script.statements.length - 1]!;
    diagnostics.push(toDiagnostic(new KqlBindError('KQL111', 'the query has no tabular expression to return (only let statements)', queryText, last.pos, last.end - last.pos)));
  }
  diagnostics.push(...approximateThresholds(script, queryText));
  return diagnostics.sort((a, b) => a.offset - b.offset);
}

/** JSON form of a public value: datetime → ISO-8601 UTC, timespan → Kusto timespan text, dynamic → JSON value. */
export function formatValueForJson(value: unknown, type: KqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'datetime': {
      // text is read as Kusto reads datetimes (UTC unless it names a zone), never by the host's Date.parse
      const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? parseDatetime(value) : Number(value);
      return ms === undefined || Number.isNaN(ms) ? null : new Date(ms).toISOString();
    }
    case 'timespan':
      return typeof value === 'number' ? formatTimespan(value) : String(value);
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return typeof value === 'number' ? (Number.isFinite(value) ? value : String(value)) : Number(value);
    case 'dynamic':
      return value;
    case 'bool':
      return Boolean(value);
    case 'string':
    case 'guid':
      return String(value);
  }
}
