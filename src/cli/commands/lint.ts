import { ExitCode, type Command } from '../command.js';
import { lintRuleFile } from '../../rules/lint.js';
import { formatRuleProblem, type RuleProblem } from '../../rules/ruleError.js';
import { errorMessage } from '../../core/errors.js';
import { ruleFileArguments } from '../pathArguments.js';

const help = `hunter lint PATH...

Validates rule files (YAML syntax, rule fields, KQL syntax and columns against the built-in
table schemas). PATH may be a file or a folder (searched for *.yaml / *.yml).
Prints one line per problem: file:line:col: code: message (line:col in the YAML file).
Warnings (KQL3xx: the query may decide differently in Kusto) are printed but do not fail.
Exit codes: 0 no problems (warnings allowed), 1 problems found, 2 usage error.`;

export const lintCommand: Command = {
  help,
  options: {},
  async run(args, io) {
    const files = ruleFileArguments(args);
    let problems = 0;
    for (const file of files) {
      for (const problem of lintOneFile(file)) {
        if (problem.severity !== 'warning') problems++;
        io.stdout.write(formatRuleProblem(problem) + '\n');
      }
    }
    io.stderr.write(`${files.length} rule file(s), ${problems} problem(s)\n`);
    return problems > 0 ? ExitCode.problems : ExitCode.ok;
  },
};

/** One file's problems; whatever goes wrong with one file is its problem, and the other files are still linted. */
function lintOneFile(file: string): RuleProblem[] {
  try {
    return lintRuleFile(file);
  } catch (error) {
    return [{ file, line: 1, col: 1, code: 'lint-failed', message: `could not lint this file: ${errorMessage(error)}` }];
  }
}
