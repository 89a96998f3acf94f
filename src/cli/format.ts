/** Renders rows as an aligned text table for terminals. */
export function formatTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((row) => row.map(displayCell));
  const widths = columns.map((column, index) => Math.min(90, Math.max(column.length, ...cells.map((row) => row[index]?.length ?? 0))));
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => {
        const width = widths[index] ?? 0;
        return (value.length > width ? value.slice(0, width - 1) + '…' : value).padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

function displayCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
