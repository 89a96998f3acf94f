/**
 * Text from telemetry, made safe to store: well-formed UTF-16 (a lone surrogate becomes U+FFFD, as
 * no UTF-8 or JSON consumer can carry it) and at most `maxChars` characters, cut on a character
 * boundary and marked with an ellipsis so a reader sees it was cut.
 */
// One character of look-around each way: linear in the text's length.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function wellFormedText(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

export function boundText(text: string, maxChars: number): string {
  const wellFormed = wellFormedText(text);
  if (wellFormed.length <= maxChars) return wellFormed;
  let end = Math.max(0, maxChars - 1);
  // Never split a surrogate pair.
  const code = wellFormed.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${wellFormed.slice(0, end)}…`;
}
