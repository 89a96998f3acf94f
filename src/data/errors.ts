// A value in a data file that does not fit the table schema, or a file that cannot be read.
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | undefined,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${column !== undefined ? `column '${column}': ` : ''}${detail}`);
  }
}
