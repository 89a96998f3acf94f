// A value in a data file that does not fit the table schema, or a file that cannot be read.
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  constructor(
    readonly file: string,
    /** 1-based line; 0 when the problem is the file as a whole (e.g. its name). */
    readonly line: number,
    /** The data column the value belongs to (a name, not a position). */
    readonly columnName: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line > 0 ? `:${line}` : ''}: ${columnName !== undefined ? `column '${columnName}': ` : ''}${detail}`);
  }
}
