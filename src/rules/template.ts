/**
 * Title and description formats, as Sentinel's `alertDetailsOverride` writes them: text with
 * `{{ColumnName}}` placeholders for columns of the hunt query's result
 * (learn.microsoft.com/azure/sentinel/customize-alert-details). The hunter fills the columns it
 * reads from every hit; each renderer decides how a value is shown (plain in a title, a code span in
 * Markdown), so a device name from telemetry never becomes markup.
 */

/** The hunt result columns a format may name: the ones every hit has. */
export const TEMPLATE_COLUMNS = ['DeviceName', 'DeviceId'] as const;
export type TemplateColumn = (typeof TEMPLATE_COLUMNS)[number];

export type TemplatePart = { readonly text: string } | { readonly column: TemplateColumn };
export type Template = readonly TemplatePart[];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The parts of a format, or what is wrong with it (an unknown column, an unclosed `{{`). */
export function parseTemplate(format: string): { readonly template: Template } | { readonly error: string } {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of format.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!(TEMPLATE_COLUMNS as readonly string[]).includes(name)) {
      return { error: `{{${name}}} is not a column the hunter reads from the hunt result; use ${TEMPLATE_COLUMNS.map((column) => `{{${column}}}`).join(' or ')}` };
    }
    if (match.index > last) parts.push({ text: format.slice(last, match.index) });
    parts.push({ column: name as TemplateColumn });
    last = match.index + match[0].length;
  }
  const rest = format.slice(last);
  if (rest.includes('{{')) return { error: 'has a {{ without its closing }}' };
  if (rest !== '') parts.push({ text: rest });
  return { template: parts };
}

/** Fills the placeholders; `show` renders each value for where the text goes. */
export function fillTemplate(template: Template, values: Readonly<Record<TemplateColumn, string>>, show: (value: string) => string): string {
  return template.map((part) => ('text' in part ? part.text : show(values[part.column]))).join('');
}
