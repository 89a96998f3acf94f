// String scalar functions.
import { EvaluationFailure } from '../errors.js';
import { textConverter, valueToString } from '../values.js';
import { expecting, returns, simple, typed, STRINGY, NUMERIC } from './define.js';
import { NOT_CONSTANT, type Compiled, type ScalarFunction } from './types.js';
import type { KqlType } from '../types.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : valueToString(v, 'dynamic'));

/** Regex cache keyed by pattern: patterns are almost always constants, compiled once. */
export function kustoRegex(pattern: string, flags = ''): RegExp {
  try {
    // RE2-style inline flags such as (?i) are common in KQL; JS spells them as flags. RE2's named
    // groups (?P<name>...) are JS's (?<name>...).
    let p = pattern.replace(/\(\?P</g, '(?<');
    let f = flags;
    const inline = /^\(\?([imsU]+)\)/.exec(p);
    if (inline) {
      p = p.slice(inline[0].length);
      if (inline[1]!.includes('i') && !f.includes('i')) f += 'i';
      if (inline[1]!.includes('s') && !f.includes('s')) f += 's';
      if (inline[1]!.includes('m') && !f.includes('m')) f += 'm';
    }
    return new RegExp(p, f + 'u');
  } catch {
    try {
      return new RegExp(pattern, flags);
    } catch (e) {
      throw new EvaluationFailure('KQL202', `invalid regular expression '${pattern}': ${(e as Error).message}`);
    }
  }
}

/**
 * Kusto takes a regular expression only as a constant: Kusto.Language reports KS129 "The expression
 * must be a constant" for a column pattern in extract, extract_all, replace_regex and trim*, and the
 * service answers `matches regex` with a column "failed to cast argument 2 to scalar constant"
 * (techcommunity.microsoft.com, "scalar variable support for matches regex"). A pattern taken from a
 * row would be built from telemetry, which an attacker controls, and JavaScript's expressions
 * backtrack; so a non-constant pattern is refused here too.
 */
export function constantRegex(what: string, constant: unknown): RegExp {
  if (constant === NOT_CONSTANT) throw new EvaluationFailure('KQL202', `the regular expression of ${what} must be a constant, as in Kusto (a pattern from the data is not allowed)`);
  return kustoRegex(str(constant));
}

/** A function whose argument `patternIndex` is a (constant) regular expression. */
function regexFn(name: string, min: number, max: number, type: KqlType, make: (args: readonly Compiled[], re: (r: unknown[]) => RegExp) => Compiled, argTypes: (readonly KqlType[] | 'any')[], patternIndex = 0): ScalarFunction {
  return {
    name,
    minArgs: min,
    maxArgs: max,
    resultType: expecting(type, ...argTypes),
    compile(args, _types, _ctx, constants) {
      const re = constantRegex(`${name}()`, constants[patternIndex]);
      return make(args, () => re);
    },
  };
}

/**
 * trim / trim_start / trim_end: one helper, so all three keep the pattern's flags (inline (?i) included,
 * see kustoRegex). trim removes "all leading and trailing matches"
 * (https://learn.microsoft.com/kusto/query/trim-function: trim("--", "--https://bing.com--") is
 * "https://bing.com"), so it strips matches at each end until none is left; trim_start / trim_end remove
 * the leading / trailing match (https://learn.microsoft.com/kusto/query/trim-start-function), one match,
 * as their pages say. The repetition is a loop, not `(?:p)+$`, which backtracks exponentially for
 * patterns such as the doc's own `[^\w]+`.
 */
function trimmer(text: Compiled, re: (r: unknown[]) => RegExp, where: 'both' | 'start' | 'end'): Compiled {
  const repeat = where === 'both';
  let cache: { key: string; start: RegExp | undefined; end: RegExp | undefined } | undefined;
  return (r) => {
    const base = re(r);
    const key = base.flags + '/' + base.source;
    if (!cache || cache.key !== key) {
      const flags = base.flags.replace(/[gy]/g, '');
      cache = {
        key,
        start: where === 'end' ? undefined : new RegExp(`^(?:${base.source})`, flags),
        end: where === 'start' ? undefined : new RegExp(`(?:${base.source})$`, flags),
      };
    }
    let s = str(text(r));
    for (const anchored of [cache.start, cache.end]) {
      if (!anchored) continue;
      for (;;) {
        const m = anchored.exec(s);
        if (!m || m[0].length === 0) break;
        s = anchored === cache.start ? s.slice(m[0].length) : s.slice(0, s.length - m[0].length);
        if (!repeat) break;
      }
    }
    return s;
  };
}

export const stringFunctions: readonly ScalarFunction[] = [
  simple('isempty', 1, 1, returns('bool'), (v) => v === null || v === undefined || v === ''),
  simple('isnotempty', 1, 1, returns('bool'), (v) => !(v === null || v === undefined || v === '')),
  simple('tolower', 1, 1, returns('string'), (v) => str(v).toLowerCase()),
  simple('toupper', 1, 1, returns('string'), (v) => str(v).toUpperCase()),
  simple('strlen', 1, 1, expecting('long', STRINGY), (v) => [...str(v)].length),
  // reverse() of a datetime or timespan reverses its text (https://learn.microsoft.com/kusto/query/reverse-function)
  typed('reverse', 1, 1, returns('string'), ([t]) => (v) => [...valueToString(v, t!)].reverse().join('')),
  typed('indexof', 2, 5, returns('long'), (types) => indexOf(types)),
  {
    name: 'strcat',
    minArgs: 1,
    maxArgs: 64,
    resultType: returns('string'),
    compile(args, types) {
      const parts = args.map((a, i) => {
        const t = types[i]!;
        return (r: unknown[]) => valueToString(a(r), t);
      });
      if (parts.length === 2) {
        const [a, b] = parts as [Compiled, Compiled];
        return (r) => (a(r) as string) + (b(r) as string);
      }
      return (r) => {
        let out = '';
        for (const p of parts) out += p(r) as string;
        return out;
      };
    },
  },
  {
    name: 'strcat_delim',
    minArgs: 3,
    maxArgs: 65,
    resultType: returns('string'),
    compile(args, types) {
      const [delim, ...parts] = args;
      return (r) => parts.map((p, i) => valueToString(p(r), types[i + 1]!)).join(str(delim!(r)));
    },
  },
  // https://learn.microsoft.com/kusto/query/substring-function: a negative start counts from the end
  // (substring("123456", -2, 2) == "56"); a start or length past either end is clipped to the string.
  simple('substring', 2, 3, expecting('string', 'any', NUMERIC), (s, start, length) => {
    const text = str(s);
    const n = text.length;
    const st = Math.trunc(Number(start ?? 0));
    const from = st < 0 ? Math.max(0, n + st) : Math.min(st, n);
    if (length === undefined || length === null) return text.slice(from);
    return text.slice(from, from + Math.max(0, Math.trunc(Number(length))));
  }),
  simple('split', 2, 3, returns('dynamic'), (s, delim, index) => {
    const parts = str(s).split(str(delim));
    if (index === undefined) return parts;
    const i = Number(index);
    return i >= 0 && i < parts.length ? [parts[i]] : [];
  }),
  simple('replace_string', 3, 3, expecting('string', STRINGY), (s, lookup, rewrite) => {
    const needle = str(lookup);
    return needle === '' ? str(s) : str(s).split(needle).join(str(rewrite));
  }),
  regexFn('trim', 2, 2, 'string', ([, text], re) => trimmer(text!, re, 'both'), [STRINGY]),
  regexFn('trim_start', 2, 2, 'string', ([, text], re) => trimmer(text!, re, 'start'), [STRINGY]),
  regexFn('trim_end', 2, 2, 'string', ([, text], re) => trimmer(text!, re, 'end'), [STRINGY]),
  // replace_regex(source, lookup_regex, rewrite_pattern): \0 is the whole match, \1.. the capture groups
  // (https://learn.microsoft.com/kusto/query/replace-regex-function)
  regexFn('replace_regex', 3, 3, 'string', ([text, , rewrite], re) => {
    let g: RegExp | undefined;
    return (r) => {
      const base = re(r);
      g ??= new RegExp(base.source, base.flags.replace(/[gy]/g, '') + 'g');
      const template = str(rewrite!(r));
      return str(text!(r)).replace(g, (...m: unknown[]) => template.replace(/\\(\d)/g, (_, n: string) => String(m[Number(n)] ?? '')));
    };
  }, [STRINGY], 1),
  {
    // extract(regex, captureGroup, source [, typeof(T)]): the group's text, converted to T when a type
    // literal is given ("" or null when nothing matches) (https://learn.microsoft.com/kusto/query/extract-function)
    name: 'extract',
    minArgs: 3,
    maxArgs: 4,
    typeArgument: 3,
    resultType: (types, constants) => {
      if (types[1] !== 'long' && types[1] !== 'int') return { error: 'argument 2 (capture group) must be long', argIndex: 1 };
      return { type: (constants[3] as KqlType | undefined) ?? 'string' };
    },
    compile(args, _types, _ctx, constants) {
      const [, group, text] = args as [Compiled, Compiled, Compiled];
      const re = constantRegex('extract()', constants[0]);
      const to = constants[3] as KqlType | undefined;
      const convert = to === undefined || to === 'string' ? undefined : textConverter(to);
      return (r) => {
        const m = re.exec(str(text(r)));
        const g = m ? m[Number(group(r))] : undefined;
        if (!convert) return g ?? '';
        return g === undefined ? null : convert(g);
      };
    },
  },
  {
    // https://learn.microsoft.com/kusto/query/extract-all-function: every match's capture groups (all of
    // them, or those named by captureGroups, by number or name); one group gives a flat array; null when
    // nothing matches
    name: 'extract_all',
    minArgs: 2,
    maxArgs: 3,
    resultType: expecting('dynamic', STRINGY, 'any', STRINGY),
    compile(args, _types, _ctx, constants) {
      const source = args[args.length - 1]!;
      const groups = args.length === 3 ? args[1]! : undefined;
      const base = constantRegex('extract_all()', constants[0]);
      // checked once, here: a failure inside the row loop would have no position in the query
      const groupCount = new RegExp(`${base.source}|`, base.flags.replace(/[gy]/g, '')).exec('')!.length - 1;
      if (groupCount === 0) throw new EvaluationFailure('KQL202', 'extract_all() needs a regular expression with at least one capture group');
      const all = Array.from({ length: groupCount }, (_, i) => i + 1);
      return (r) => {
        const re = new RegExp(base.source, base.flags.replace(/[gy]/g, '') + 'g');
        const wanted = groups ? groups(r) : undefined;
        const picks: (number | string)[] = Array.isArray(wanted) ? wanted : all;
        if (picks.length === 0) return null;
        const out: unknown[] = [];
        for (const m of str(source(r)).matchAll(re)) {
          const values = picks.map((g) => (typeof g === 'number' ? m[g] : m.groups?.[g]) ?? '');
          out.push(values.length === 1 ? values[0] : values);
        }
        return out.length > 0 ? out : null;
      };
    },
  },
  {
    // countof(source, search [, kind]): kind "normal" counts overlapping occurrences of the plain string,
    // "regex" counts the regular expression's matches (https://learn.microsoft.com/kusto/query/countof-function)
    name: 'countof',
    minArgs: 2,
    maxArgs: 3,
    resultType: expecting('long', STRINGY, STRINGY, STRINGY),
    compile([text, search], _types, _ctx, constants) {
      const kind = constants[2] === undefined ? 'normal' : constants[2];
      if (kind === 'regex') {
        const base = constantRegex('countof()', constants[1]);
        const re = new RegExp(base.source, base.flags.replace(/[gy]/g, '') + 'g');
        return (r) => {
          let n = 0;
          for (const _ of str(text!(r)).matchAll(re)) n++;
          return n;
        };
      }
      if (kind !== 'normal') throw new EvaluationFailure('KQL201', `countof(): kind must be the constant "normal" or "regex", not ${JSON.stringify(kind)}`);
      return (r) => {
        const h = str(text!(r));
        const n = str(search!(r));
        if (n === '') return 0;
        let count = 0;
        for (let at = h.indexOf(n); at >= 0; at = h.indexOf(n, at + 1)) count++;
        return count;
      };
    },
  },
];

/**
 * indexof(source, lookup [, start_index [, length [, occurrence]]]) (https://learn.microsoft.com/kusto/query/indexof-function):
 * a negative start counts from the end; a match lies wholly within `length` positions from where the
 * search starts (-1: unlimited); each further occurrence is searched from one past the previous match
 * with the same length (so indexof("abcdefgabcdefg", "cde", 1, 10, 2) is 9, as documented); -1 when
 * there is none; null for a length below -1 or a negative occurrence. Non-string arguments are compared
 * as their text (indexof(1234567, 5, 1, 4) is 4).
 */
function indexOf(types: readonly KqlType[]): (...v: unknown[]) => unknown {
  const text = (v: unknown, i: number) => valueToString(v, types[i]!);
  return (source, lookup, start, length, occurrence) => {
    const h = text(source, 0);
    const n = text(lookup, 1);
    let from = start === undefined || start === null ? 0 : Math.trunc(Number(start));
    const len = length === undefined || length === null ? -1 : Math.trunc(Number(length));
    const nth = occurrence === undefined || occurrence === null ? 1 : Math.trunc(Number(occurrence));
    if (len < -1 || nth < 0) return null;
    if (from < 0) from = Math.max(0, h.length + from);
    let at = -1;
    for (let k = 0; k < Math.max(1, nth); k++) {
      if (from > h.length) return -1;
      at = h.indexOf(n, from);
      if (at < 0 || (len !== -1 && at + n.length > from + len)) return -1;
      from = at + 1;
    }
    return at;
  };
}
