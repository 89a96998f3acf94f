/**
 * Long text over several string properties. Table Storage allows 64 KiB per string property
 * (32K UTF-16 units); a piece is at most PROPERTY_CHARS units and never ends inside a surrogate
 * pair, so each property is well-formed text on its own.
 */
export const PROPERTY_CHARS = 30_000;

export function splitText(text: string, maxChars = PROPERTY_CHARS): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + maxChars);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
