/**
 * A query file can build on the rule's own query instead of repeating its filter: it declares
 * `let RuleEvents = <placeholder>;` and the hunter binds it, when the rule loads, to the events the
 * rule's query matches (its tabular expression without the final `summarize`). The rule's other lets
 * go in front of it. So one context query and one device query per kind of rule (file signature,
 * process creation, network connection) serve every tool, and the tool's filter is said once, in the
 * rule. The placeholder keeps the file valid KQL on its own (for `hunter lint` and the portal).
 */
import type { Expr, Statement } from '../kql/ast.js';
import { parse } from '../kql/parser/index.js';
import { HUNT_QUERY_LETS } from './queryLets.js';

export const RULE_EVENTS_LET = 'RuleEvents';

/** The query file with RuleEvents bound to the rule's events; unchanged when it declares no RuleEvents. */
export function bindRuleEvents(fileText: string, ruleQuery: string): { readonly text: string } | { readonly error: string } {
  let fileStatements: readonly Statement[];
  let ruleStatements: readonly Statement[];
  try {
    fileStatements = parse(fileText).statements;
    ruleStatements = parse(ruleQuery).statements;
  } catch {
    return { text: fileText }; // the syntax errors are lint's to report, at their positions
  }
  const target = fileStatements.find((statement) => statement.kind === 'Let' && statement.name.name === RULE_EVENTS_LET);
  if (target === undefined || target.kind !== 'Let') return { text: fileText };
  const main = ruleStatements.find((statement) => statement.kind === 'ExprStatement');
  const events = main?.kind === 'ExprStatement' ? withoutFinalSummarize(main.expr) : undefined;
  if (events === undefined) return { error: `${RULE_EVENTS_LET} needs the rule's query to end in a summarize over the events it matches` };
  const fileLets = new Set(fileStatements.flatMap((statement) => (statement.kind === 'Let' ? [statement.name.name] : [])));
  const ruleLets = ruleStatements.filter((statement) => statement.kind === 'Let' && !(HUNT_QUERY_LETS as readonly string[]).includes(statement.name.name));
  const clash = ruleLets.find((statement) => statement.kind === 'Let' && fileLets.has(statement.name.name));
  if (clash?.kind === 'Let') return { error: `the rule's query and this file both declare let ${clash.name.name}` };
  const hoisted = ruleLets.map((statement) => `${ruleQuery.slice(statement.pos, statement.end).trim()};\n`).join('');
  const value = `(${ruleQuery.slice(events.pos, events.end).trim()})`;
  return { text: fileText.slice(0, target.pos) + hoisted + fileText.slice(target.pos, target.valuePos) + value + fileText.slice(target.valueEnd) };
}

function withoutFinalSummarize(expr: Expr): Expr | undefined {
  return expr.kind === 'Pipe' && expr.operator.kind === 'Summarize' ? expr.source : undefined;
}
