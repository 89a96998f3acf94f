/**
 * The context query must run on Log Analytics and Defender, not only on our evaluator: check it
 * with Microsoft's own Kusto language service against the documented table schemas.
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { bindContextQuery, withSentinelIdentityInfo } from '../../src/context/index.js';
import { bindIdentityGroupsQuery } from '../../src/context/identityGroupsQuery.js';
import { defenderCatalogue, lint, logAnalyticsCatalogue, type SchemaCatalogue } from '../../src/kql/index.js';
import { testRule } from '../support/rules.js';

interface KustoDiagnostic { readonly Severity: string; readonly Message: string }
type Analyze = (text: string, catalogue: SchemaCatalogue) => KustoDiagnostic[];

let analyze: Analyze;

beforeAll(() => {
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  // The language service is a Bridge.NET build that installs itself as globals.
  const K = (globalThis as unknown as { Kusto: { Language: any } }).Kusto.Language;
  analyze = (text, catalogue) => {
    const tables = catalogue.tableNames().map((name) => {
      const schema = catalogue.schemaOf(name)!;
      return K.Symbols.TableSymbol.From(`(${schema.columns.map((column) => `['${column.name}']:${column.type}`).join(', ')})`).WithName(name);
    });
    const database = new K.Symbols.DatabaseSymbol.$ctor1('workspace', tables, false);
    const code = K.KustoCode.ParseAndAnalyze(text, K.GlobalState.Default.WithDatabase(database));
    const diagnostics = code.GetDiagnostics();
    const found: KustoDiagnostic[] = [];
    for (let index = 0; index < diagnostics.Count; index += 1) {
      const diagnostic = diagnostics.getItem(index);
      found.push({ Severity: String(diagnostic.Severity), Message: String(diagnostic.Message) });
    }
    return found;
  };
});

const window = { start: new Date('2026-11-15T12:00:00Z'), end: new Date('2026-11-20T12:00:00Z') };
const hostile = ["quote' or 1==1 //", 'double"\\', 'new\nline | take 1'];

describe("the shipped rule's context query (rules/queries/binaries.context.kql with the rule's events)", () => {
  it.each([
    ['Defender advanced hunting', defenderCatalogue],
    ['Log Analytics', logAnalyticsCatalogue],
  ])('is valid Kusto on %s, bound with hostile device ids', async (_name, catalogue) => {
    const bound = bindContextQuery(testRule().contextQuery!, window, hostile);
    expect(analyze(bound, catalogue)).toEqual([]);
    expect(lint(bound, catalogue)).toEqual([]);
  });

  it('would be caught if it named a column the tables do not have', async () => {
    const text = testRule().contextQuery!.replace("'port', RemotePort)", "'port', RemotePorts)");
    expect(text).toContain("'port', RemotePorts)");
    expect(analyze(text, defenderCatalogue).map((diagnostic) => diagnostic.Message).join('\n')).toContain('RemotePorts');
  });
});

describe('the IdentityInfo group query', () => {
  it('is valid Kusto on a Sentinel workspace with UEBA and on Defender, whose IdentityInfo has other column names', () => {
    const query = bindIdentityGroupsQuery(['anna', "o'brien"]);
    expect(analyze(query, withSentinelIdentityInfo(logAnalyticsCatalogue))).toEqual([]);
    expect(analyze(query, defenderCatalogue)).toEqual([]);
  });
});
