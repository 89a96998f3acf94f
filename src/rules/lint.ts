/**
 * Lints a rule file: YAML syntax, the rule's fields, the KQL of its `query` (parse and bind against
 * the schema catalogue) and of the query files it names. Every problem carries its line:col: in the
 * YAML file for the rule's own fields and query, in the .kql file for a query file.
 */
import { isScalar } from 'yaml';
import { lint as lintKql } from '../kql/index.js';
import { mapQueryPosition, positionOf, readRuleDocument, readRuleText } from './ruleDocument.js';
import type { RuleProblem } from './ruleError.js';
import { validateRuleDocument } from './load.js';

export function lintRuleFile(file: string): RuleProblem[] {
  const read = readRuleText(file);
  if ('problem' in read) return [read.problem];
  const { rule, problems: yamlProblems } = readRuleDocument(file, read.text);
  // A YAML error makes the field checks report its consequences again; the query can still be checked.
  const validated = yamlProblems.length > 0 ? undefined : validateRuleDocument(rule);
  const queryNode = rule.document.get('query', true);
  const queryProblems: RuleProblem[] = [];
  const ruleFieldProblems: RuleProblem[] = [];
  if (isScalar(queryNode) && typeof queryNode.value === 'string') {
    for (const diagnostic of lintKql(queryNode.value)) {
      const where = mapQueryPosition(rule, diagnostic.line, diagnostic.col);
      queryProblems.push({ file, ...where, code: diagnostic.code, message: diagnostic.message, ...(diagnostic.severity === 'warning' ? { severity: 'warning' as const } : {}) });
    }
  }
  const queryFileProblems: RuleProblem[] = [];
  for (const field of ['contextQueryFile', 'deviceQueryFile'] as const) {
    const queryFile = field === 'contextQueryFile' ? validated?.value?.contextQuery : validated?.value?.deviceQuery;
    if (queryFile === undefined) continue;
    const own = lintKql(queryFile.text).map((diagnostic) => ({ file: queryFile.path, line: diagnostic.line, col: diagnostic.col, code: diagnostic.code, message: diagnostic.message }));
    queryFileProblems.push(...own);
    // A file shared by many rules can be right on its own and wrong with one rule's events: say so at the rule's field.
    if (own.length === 0 && queryProblems.length === 0 && queryFile.bound !== queryFile.text) {
      const where = positionOf(rule, [field]);
      for (const diagnostic of lintKql(queryFile.bound)) {
        ruleFieldProblems.push({ file, ...where, code: diagnostic.code, message: `${field}: with this rule's RuleEvents, ${queryFile.path}: ${diagnostic.message}` });
      }
    }
  }
  const ruleProblems = [...yamlProblems, ...(validated?.problems ?? []), ...queryProblems, ...ruleFieldProblems].sort((a, b) => a.line - b.line || a.col - b.col);
  return [...ruleProblems, ...queryFileProblems];
}
