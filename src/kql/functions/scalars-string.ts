// String scalar functions.
import { EvaluationFailure } from '../errors.js';
import { valueToString } from '../values.js';
import { expecting, returns, simple, STRINGY, NUMERIC } from './define.js';
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

function regexFn(name: string, min: number, max: number, type: KqlType, make: (args: readonly Compiled[], re: (r: unknown[]) => RegExp) => Compiled, argTypes: (readonly KqlType[] | 'any')[]): ScalarFunction {
  return {
    name,
    minArgs: min,
    maxArgs: max,
    resultType: expecting(type, ...argTypes),
    compile(args, _types, _ctx, constants) {
      const re = constantRegex(`${name}()`, constants[0]);
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
  simple('reverse', 1, 1, returns('string'), (v) => [...str(v)].reverse().join('')),
  simple('indexof', 2, 2, returns('long'), (s, needle) => str(s).indexOf(str(needle))),
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
  simple('strcat_delim', 2, 64, returns('string'), (delim, ...rest) => rest.map(str).join(str(delim))),
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
  regexFn('replace_regex', 3, 3, 'string', ([, text, rewrite], re) => (r) => {
    const base = re(r);
    const g = new RegExp(base.source, base.flags.includes('g') ? base.flags : base.flags + 'g');
    return str(text!(r)).replace(g, str(rewrite!(r)).replace(/\\(\d)/g, '$$$1'));
  }, [STRINGY]),
  {
    name: 'extract',
    minArgs: 3,
    maxArgs: 4,
    resultType: (types) => {
      if (types[1] !== 'long' && types[1] !== 'int') return { error: 'argument 2 (capture group) must be long', argIndex: 1 };
      return { type: 'string' };
    },
    compile(args, _types, _ctx, constants) {
      const [, group, text] = args as [Compiled, Compiled, Compiled];
      const re = constantRegex('extract()', constants[0]);
      return (r) => {
        const m = re.exec(str(text(r)));
        if (!m) return '';
        return m[Number(group(r))] ?? '';
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
      return (r) => {
        const re = new RegExp(base.source, base.flags.replace(/[gy]/g, '') + 'g');
        const wanted = groups ? groups(r) : undefined;
        const picks: (number | string)[] = Array.isArray(wanted) ? wanted : Array.from({ length: new RegExp(`${re.source}|`, re.flags).exec('')!.length - 1 }, (_, i) => i + 1);
        if (picks.length === 0) throw new EvaluationFailure('KQL202', 'extract_all() needs a regular expression with at least one capture group');
        const out: unknown[] = [];
        for (const m of str(source(r)).matchAll(re)) {
          const values = picks.map((g) => (typeof g === 'number' ? m[g] : m.groups?.[g]) ?? '');
          out.push(values.length === 1 ? values[0] : values);
        }
        return out.length > 0 ? out : null;
      };
    },
  },
  simple('countof', 2, 3, returns('long'), (s, needle) => {
    const text = str(s);
    const n = str(needle);
    if (n === '') return 0;
    let count = 0;
    for (let at = text.indexOf(n); at >= 0; at = text.indexOf(n, at + n.length)) count++;
    return count;
  }),
];
