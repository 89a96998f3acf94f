// The official Kusto parser/binder (@kusto/language-service-next, dev dependency) as a test oracle.
// It is large and slow to load: load it once per test file through loadOfficialKusto().
import { createRequire } from 'node:module';
import { positionAt, type SchemaCatalogue } from '../../../src/kql/index.js';

export interface OfficialDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly col: number;
  readonly severity: string;
}

export interface OfficialKusto {
  diagnostics(query: string): OfficialDiagnostic[];
  /** `name:type` of each column of the query's result, as Kusto.Language infers it (undefined when not tabular). */
  resultColumns(query: string): string[] | undefined;
}

interface KustoDiagnosticItem {
  Code: string;
  Message: string;
  Start: number;
  Length: number;
  Severity: string;
}

export function loadOfficialKusto(catalogue: SchemaCatalogue): OfficialKusto {
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  // the bridge installs its namespace on the global object
  const K = (globalThis as unknown as { Kusto: { Language: any } }).Kusto.Language;
  const tables = catalogue.tableNames().map((name) => {
    const schema = catalogue.schemaOf(name)!;
    const text = `(${schema.columns.map((c) => `['${c.name}']:${c.type}`).join(', ')})`;
    return K.Symbols.TableSymbol.From(text).WithName(name);
  });
  const db = new K.Symbols.DatabaseSymbol.$ctor1('db', tables, false);
  const globals = K.GlobalState.Default.WithDatabase(db);
  return {
    diagnostics(query) {
      const code = K.KustoCode.ParseAndAnalyze(query, globals);
      const list = code.GetDiagnostics();
      const out: OfficialDiagnostic[] = [];
      for (let i = 0; i < list.Count; i++) {
        const d = list.getItem(i) as KustoDiagnosticItem;
        if (d.Severity !== 'Error') continue;
        const pos = positionAt(query, d.Start);
        out.push({ code: d.Code, message: d.Message, line: pos.line, col: pos.col, severity: d.Severity });
      }
      return out;
    },
    resultColumns(query) {
      const type = K.KustoCode.ParseAndAnalyze(query, globals).ResultType;
      if (!type?.Columns) return undefined;
      const out: string[] = [];
      for (let i = 0; i < type.Columns.Count; i++) {
        const c = type.Columns.getItem(i);
        out.push(`${c.Name}:${c.Type.Name}`);
      }
      return out;
    },
  };
}
