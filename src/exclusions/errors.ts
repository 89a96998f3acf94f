/** One problem in an exclusion file, located by the path of the bad field and, when known, its YAML position. */
export interface ExclusionFileProblem {
  /** e.g. `exclusions[2].when.all[0].cidr`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  /** 1-based column (character position) of the YAML node. */
  readonly col?: number;
}

export class ExclusionFileError extends Error {
  override readonly name = 'ExclusionFileError';

  constructor(
    readonly file: string,
    readonly problems: readonly ExclusionFileProblem[],
  ) {
    super(`invalid exclusion file ${file}:\n${problems.map((problem) => formatProblem(file, problem)).join('\n')}`);
  }
}

export function formatProblem(file: string, problem: ExclusionFileProblem): string {
  const position = problem.line === undefined ? '' : `:${problem.line}:${problem.col ?? 1}`;
  const where = problem.path === '' ? '' : ` ${problem.path}:`;
  return `${file}${position}:${where} ${problem.message}`;
}
