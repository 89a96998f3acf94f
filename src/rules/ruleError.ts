/** A problem in a rule file, with where it is (1-based line and column in the YAML file). */
export interface RuleProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly code: string;
  readonly message: string;
  /** a warning does not stop a rule from running (the KQL linter's KQL3xx); absent means an error */
  readonly severity?: 'warning';
}

export function formatRuleProblem(problem: RuleProblem): string {
  return `${problem.file}:${problem.line}:${problem.col}: ${problem.severity === 'warning' ? 'warning ' : ''}${problem.code}: ${problem.message}`;
}

export class RuleError extends Error {
  override readonly name = 'RuleError';
  constructor(readonly problems: readonly RuleProblem[]) {
    super(problems.map(formatRuleProblem).join('\n'));
  }
}
