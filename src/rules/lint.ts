/**
 * Lints a rule file: YAML syntax, the rule's fields, the KQL of its `query` (parse and bind against
 * the schema catalogue) and of the query files it names. Every problem carries its line:col: in the
 * YAML file for the rule's own fields and query, in the .kql file for a query file.
 */
import { isScalar } from 'yaml';
import { lint as lintKql } from '../kql/index.js';
import { mapQueryPosition, readRuleDocument, readRuleText } from './ruleDocument.js';
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
  if (isScalar(queryNode) && typeof queryNode.value === 'string') {
    for (const diagnostic of lintKql(queryNode.value)) {
      const where = mapQueryPosition(rule, diagnostic.line, diagnostic.col);
      queryProblems.push({ file, ...where, code: diagnostic.code, message: diagnostic.message, ...(diagnostic.severity === 'warning' ? { severity: 'warning' as const } : {}) });
    }
  }
  const queryFiles = [validated?.value?.contextQuery, validated?.value?.deviceQuery].flatMap((queryFile) => (queryFile ? [queryFile] : []));
  const queryFileProblems = queryFiles.flatMap((queryFile) =>
    lintKql(queryFile.text).map((diagnostic) => ({ file: queryFile.path, line: diagnostic.line, col: diagnostic.col, code: diagnostic.code, message: diagnostic.message })),
  );
  const ruleProblems = [...yamlProblems, ...(validated?.problems ?? []), ...queryProblems].sort((a, b) => a.line - b.line || a.col - b.col);
  return [...ruleProblems, ...queryFileProblems];
}
