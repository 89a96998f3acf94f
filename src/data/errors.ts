// A value in a data file that does not fit the table schema, or a file that cannot be read.
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  constructor(
    readonly file: string,
    /** 1-based line; 0 when the problem is the file as a whole (e.g. its name). */
    readonly line: number,
    readonly column: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${column !== undefined ? `column '${column}': ` : ''}${detail}`);
  }
}
