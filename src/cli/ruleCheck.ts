import { lintRuleFile } from '../rules/lint.js';
import { formatRuleProblem } from '../rules/ruleError.js';
import type { CliIo } from './command.js';

/**
 * Lints the rule before a command runs it, so a KQL mistake is reported at its line:col in the
 * YAML file (as `hunter lint` does) rather than inside the rewritten query. True when there were errors
 * (warnings are printed and the command goes on).
 */
export function reportRuleProblems(ruleFile: string, io: CliIo): boolean {
  const problems = lintRuleFile(ruleFile);
  for (const problem of problems) io.stderr.write(formatRuleProblem(problem) + '\n');
  return problems.some((problem) => problem.severity !== 'warning');
}
