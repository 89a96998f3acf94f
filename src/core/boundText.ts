/**
 * Text from telemetry, made safe to store and bounded:
 * - well-formed UTF-16: a lone surrogate becomes U+FFFD (no UTF-8 or JSON consumer can carry it);
 * - the line and paragraph separators U+2028/U+2029 become spaces: Azurite refuses a whole
 *   transaction holding one (HTTP 500), and they only ever break lines an analyst reads;
 * - at most `maxChars` characters, cut on a character boundary and marked with an ellipsis.
 * Each pattern looks at most one character around: linear in the text's length.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SEPARATOR = /[\u2028\u2029]/g;

export function storableText(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(SEPARATOR, ' ');
}

export function boundText(text: string, maxChars: number): string {
  const storable = storableText(text);
  if (storable.length <= maxChars) return storable;
  let end = Math.max(0, maxChars - 1);
  // Never split a surrogate pair.
  const code = storable.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${storable.slice(0, end)}…`;
}
