// A test on a JSONL line's raw text, before JSON.parse, from ScanHints.mustContain: when every row the
// query keeps has a string value containing one of a group's texts, a line that contains none of them
// cannot be kept, and is skipped unparsed (parsing every line is most of the cost of reading a file).
//
// Why the raw text is enough: a string value's characters stand verbatim in the line, except where
// JSON escapes them. The simple escapes (\" \\ \/ \b \f \n \r \t) stand for characters no usable text
// holds, and a line with a \u escape is never skipped. A string column can also hold a value that was
// a JSON number, boolean or object in the file (coerce.ts writes it as text): a usable text holds a
// character no number's text has, and none of JSON's punctuation or whitespace, so it cannot span
// tokens; within one token the text of `true`, `false` or a string is the same in the file.
import type { ScanHints } from '../kql/types.js';

/** Texts that say nothing checkable about the raw line. */
const UNUSABLE = /["\\/,:[\]{}\s\u0000-\u001f]/;
const NUMBER_TEXT = /^[0-9.eE+-]*$/;
/** More texts than this in one group cost more to look for than parsing the line. */
const MAX_TEXTS = 16;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** ASCII letters in either case, as the evaluator folds has, contains, =~ and in~; nothing else folds. */
function foldedSource(text: string): string {
  return escapeRegex(text).replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/** The groups of ScanHints.mustContain a raw line can be tested for (the others say nothing checkable). */
export function lineTestGroups(hints: ScanHints | undefined): (readonly string[])[] {
  return (hints?.mustContain ?? []).filter(
    (texts) => texts.length > 0 && texts.length <= MAX_TEXTS && texts.every((t) => t !== '' && !UNUSABLE.test(t) && !NUMBER_TEXT.test(t)),
  );
}

export function jsonLinePrefilter(hints: ScanHints | undefined): ((line: string) => boolean) | undefined {
  const groups = lineTestGroups(hints);
  if (groups.length === 0) return undefined;
  const patterns = groups.map((texts) => new RegExp(texts.map(foldedSource).join('|')));
  return (line) => {
    for (const p of patterns) if (!p.test(line)) return line.includes('\\u');
    return true;
  };
}
