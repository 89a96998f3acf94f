/**
 * `text` without the run of `char` at its end. A loop, not `replace(/\\+$/, '')`: that expression
 * is tried from every position of a long run of the character and costs the square of the run's
 * length (200,000 backslashes in an attacker's path took minutes).
 */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}
