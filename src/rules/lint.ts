/**
 * Lints a rule file: YAML syntax, the rule's fields, and the KQL of its `query`
 * (parse and bind against the schema catalogue). Every problem carries the YAML file's line:col.
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
  const fieldProblems = yamlProblems.length > 0 ? [] : validateRuleDocument(rule).problems;
  const queryNode = rule.document.get('query', true);
  const queryProblems: RuleProblem[] = [];
  if (isScalar(queryNode) && typeof queryNode.value === 'string') {
    for (const diagnostic of lintKql(queryNode.value)) {
      const where = mapQueryPosition(rule, diagnostic.line, diagnostic.col);
      queryProblems.push({ file, ...where, code: diagnostic.code, message: diagnostic.message });
    }
  }
  return [...yamlProblems, ...fieldProblems, ...queryProblems].sort((a, b) => a.line - b.line || a.col - b.col);
}
