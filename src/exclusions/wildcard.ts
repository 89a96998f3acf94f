/**
 * Exclusion wildcards: `*` matches any run of characters (also none), `?` exactly one character;
 * everything else is literal, so Windows paths need no escaping. The whole value must match.
 *
 * The values are attacker-controlled (command lines, paths), so matching must stay near-linear
 * whatever the pattern. A regular expression such as `^.*a.*a.*b$` backtracks polynomially (one
 * power per `*`) on a value that almost matches; the common glob libraries compile to exactly such
 * expressions. This matcher is the greedy two-pointer algorithm instead: on a mismatch it only
 * returns to the most recent `*` and lets it absorb one more character (earlier stars never need
 * to move, since a later star can absorb anything they could), so it takes at most
 * (value length + 1) × (pattern length + 1) steps, and one pass over the value when the pattern
 * matches or fails early.
 */

export type WildcardMatcher = (value: string) => boolean;

const ANY_RUN = '*';
const ANY_ONE = '?';

/**
 * Case-insensitive matching folds each character on its own, as `equals` compares lower case; a
 * character whose lower case is longer (`İ`) stays as it is, so `?` still means one character.
 */
function foldCharacter(character: string): string {
  const lower = character.toLowerCase();
  return lower.length === character.length ? lower : character;
}

const asIs = (character: string) => character;

export function compileWildcard(pattern: string, caseSensitive: boolean): WildcardMatcher {
  const fold = caseSensitive ? asIs : foldCharacter;
  // Characters (code points), not UTF-16 units, so `?` matches one emoji as it did with the /u flag;
  // runs of `*` are one `*`.
  const tokens = Array.from(pattern, fold).filter((token, index, all) => token !== ANY_RUN || all[index - 1] !== ANY_RUN);
  return (value) => matchTokens(tokens, Array.from(value, fold)).matched;
}

/** The match and how many steps it took (the benchmark and the adversarial tests read `steps`). */
export function matchTokens(tokens: readonly string[], value: readonly string[]): { readonly matched: boolean; readonly steps: number } {
  let tokenAt = 0;
  let valueAt = 0;
  let lastStar = -1; // index of the most recent `*` in tokens
  let starAbsorbedUpTo = 0; // value index where that `*`'s run currently ends
  let steps = 0;
  while (valueAt < value.length) {
    steps++;
    const token = tokens[tokenAt];
    if (token === ANY_RUN) {
      lastStar = tokenAt++;
      starAbsorbedUpTo = valueAt;
    } else if (token !== undefined && (token === ANY_ONE || token === value[valueAt])) {
      tokenAt++;
      valueAt++;
    } else if (lastStar >= 0) {
      tokenAt = lastStar + 1;
      valueAt = ++starAbsorbedUpTo;
    } else {
      return { matched: false, steps };
    }
  }
  while (tokens[tokenAt] === ANY_RUN) tokenAt++;
  return { matched: tokenAt === tokens.length, steps };
}
