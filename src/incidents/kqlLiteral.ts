/**
 * A KQL string literal that no value can break out of.
 * Kept here until the KQL module's shared `kqlString` lands; then this file re-exports it.
 * Double-quoted literal with backslash escapes (learn.microsoft.com/kusto/query/scalar-data-types/string):
 * backslash and quote are escaped, and every control character is written as an escape so a newline
 * cannot end a `//` comment or the statement.
 */
export function kqlStringLiteral(value: string): string {
  let body = '';
  for (const character of value) {
    const point = character.codePointAt(0) ?? 0;
    if (character === '\\') body += '\\\\';
    else if (character === '"') body += '\\"';
    else if (character === '\n') body += '\\n';
    else if (character === '\r') body += '\\r';
    else if (character === '\t') body += '\\t';
    else if (point < 0x20 || (point >= 0x7f && point <= 0x9f) || point === 0x2028 || point === 0x2029) body += `\\u${point.toString(16).padStart(4, '0')}`;
    else body += character;
  }
  return `"${body}"`;
}
