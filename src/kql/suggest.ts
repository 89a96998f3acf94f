// "Did you mean" for unknown names (columns, tables, functions, data file keys): a case-only
// difference first, then small typos by edit distance, then names one ends with the other.

/**
 * Optimal string alignment distance (Damerau–Levenshtein where a transposed pair counts as one edit
 * and no substring is edited twice), case-insensitive. Returns `max + 1` as soon as the distance is
 * known to exceed `max`, so comparing a name with a long list stays cheap.
 */
export function editDistance(a: string, b: string, max: number): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (Math.abs(s.length - t.length) > max) return max + 1;
  const n = t.length;
  // three rows: i-2, i-1, i
  let before = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, prev, cur] = [prev, cur, before];
  }
  return Math.min(prev[n]!, max + 1);
}

/** Edits allowed for a name of this length: 1 up to 7 characters, 2 up to 11, then 3. */
function typoBudget(name: string): number {
  return name.length < 8 ? 1 : name.length < 12 ? 2 : 3;
}

export interface Suggestion {
  /** The candidates, best first (at most three). */
  readonly names: readonly string[];
  /** The name differs from the (single) candidate only in case. */
  readonly caseOnly: boolean;
}

/**
 * Candidates `name` was probably meant to be; undefined when none is close. With `affixes` (the
 * default) a name one candidate ends with also counts (AccountUpn → InitiatingProcessAccountUpn).
 */
export function closestNames(name: string, candidates: Iterable<string>, options: { readonly affixes?: boolean } = {}): Suggestion | undefined {
  const all = [...new Set(candidates)].filter((c) => c !== name);
  const lower = name.toLowerCase();
  const sameLetters = all.find((c) => c.toLowerCase() === lower);
  if (sameLetters !== undefined) return { names: [sameLetters], caseOnly: true };
  if (name.length >= 3) {
    const budget = typoBudget(name);
    let best = budget + 1;
    let found: string[] = [];
    for (const c of all) {
      const d = editDistance(name, c, Math.min(budget, best));
      if (d < best) {
        best = d;
        found = [c];
      } else if (d === best && d <= budget) {
        found.push(c);
      }
    }
    if (found.length > 0) return { names: found.slice(0, 3), caseOnly: false };
  }
  if (options.affixes === false || lower.length === 0) return undefined;
  const affix = all.filter((c) => {
    const cl = c.toLowerCase();
    return cl.endsWith(lower) || lower.endsWith(cl);
  });
  return affix.length > 0 ? { names: affix.slice(0, 3), caseOnly: false } : undefined;
}

/**
 * The " (did you mean ...?)" tail of an error message, or ''. `what` names the kind of name for the
 * case-only hint, e.g. 'column names' → "(did you mean 'Signer'? column names are case-sensitive)".
 */
export function didYouMean(name: string, candidates: Iterable<string>, what: string): string {
  return formatSuggestion(closestNames(name, candidates), what);
}

export function formatSuggestion(s: Suggestion | undefined, what: string): string {
  if (!s) return '';
  if (s.caseOnly) return ` (did you mean '${s.names[0]}'? ${what} are case-sensitive)`;
  return ` (did you mean ${s.names.map((c) => `'${c}'`).join(' or ')}?)`;
}
