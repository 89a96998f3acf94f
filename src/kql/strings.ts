// String matching with Kusto semantics. The `has` family matches terms, not substrings:
// a term is a maximal run of alphanumeric characters, and a needle that contains
// non-alphanumeric characters must line up with term boundaries at both of its ends.
// https://learn.microsoft.com/kusto/query/datatypes-string-operators

const NON_ASCII_ALNUM = /[\p{L}\p{N}]/u;

function isAlnumCode(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return NON_ASCII_ALNUM.test(String.fromCharCode(c));
}

/**
 * Term match of an already case-folded needle in an already case-folded haystack.
 * `mode` prefix / suffix relaxes the boundary at the end / start (hasprefix / hassuffix).
 */
export function hasTermFolded(haystack: string, needle: string, mode: 'term' | 'prefix' | 'suffix' = 'term'): boolean {
  const n = needle.length;
  if (n === 0) return true;
  const needStartBoundary = mode !== 'suffix' && isAlnumCode(needle.charCodeAt(0));
  const needEndBoundary = mode !== 'prefix' && isAlnumCode(needle.charCodeAt(n - 1));
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const startOk = !needStartBoundary || at === 0 || !isAlnumCode(haystack.charCodeAt(at - 1));
    const endOk = !needEndBoundary || at + n === haystack.length || !isAlnumCode(haystack.charCodeAt(at + n));
    if (startOk && endOk) return true;
    from = at + 1;
  }
}

