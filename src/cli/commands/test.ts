import path from 'node:path';
import { ExitCode, type Command } from '../command.js';
import { ruleFileArguments } from '../pathArguments.js';
import { loadRule } from '../../rules/load.js';
import { RuleError, formatRuleProblem } from '../../rules/ruleError.js';
import { runRuleTests } from '../../rules/ruleTests.js';
import { errorMessage } from '../../core/errors.js';

const help = `hunter test PATH...

Runs the test cases beside each rule (its \`tests\` field, docs/rules.md "Tests") through the local
KQL evaluator: the rule's query over the case's rows alone. A case with \`expect: hit\` must raise
its device (and the rule's context query must find evidence for it); \`expect: none\` must raise
nothing. A rule without at least one case of each kind fails. PATH may be a file or a folder
(searched for *.yaml / *.yml).
Prints one line per rule (PASS or FAIL) and one per failed case, then a summary.
Exit codes: 0 every rule passed, 1 a rule failed or does not load, 2 usage error.`;

export const testCommand: Command = {
  help,
  options: {},
  async run(args, io) {
    const files = ruleFileArguments(args, io.cwd);
    let failed = 0;
    let cases = 0;
    for (const file of files) {
      const shown = path.relative(io.cwd, file) || file;
      let rule;
      try {
        rule = loadRule(file);
      } catch (error) {
        failed++;
        const problems = error instanceof RuleError ? error.problems.map(formatRuleProblem) : [`${shown}: ${errorMessage(error)}`];
        io.stdout.write(`FAIL ${shown}: the rule does not load\n${problems.map((line) => `  ${line}\n`).join('')}`);
        continue;
      }
      const report = await runRuleTests(rule);
      cases += report.outcomes.length;
      if (!report.passed) failed++;
      io.stdout.write(`${report.passed ? 'PASS' : 'FAIL'} ${shown} (${report.outcomes.length} case(s))\n`);
      for (const problem of report.problems) io.stdout.write(`  ${problem}\n`);
      for (const outcome of report.outcomes) if (!outcome.passed) io.stdout.write(`  case "${outcome.name}" (expect ${outcome.expect}): ${outcome.detail}\n`);
    }
    io.stderr.write(`${files.length} rule file(s), ${cases} case(s), ${failed} rule(s) failed\n`);
    return failed > 0 ? ExitCode.problems : ExitCode.ok;
  },
};
