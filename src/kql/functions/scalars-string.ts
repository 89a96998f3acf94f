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
    // RE2-style inline flags such as (?i) are common in KQL; JS spells them as flags
    let p = pattern;
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

function regexFn(name: string, min: number, max: number, type: KqlType, make: (args: readonly Compiled[], re: (r: unknown[]) => RegExp) => Compiled, argTypes: (readonly KqlType[] | 'any')[]): ScalarFunction {
  return {
    name,
    minArgs: min,
    maxArgs: max,
    pure: true,
    resultType: expecting(type, ...argTypes),
    compile(args, _types, _ctx, constants) {
      const patternConst = constants[0];
      if (patternConst !== NOT_CONSTANT) {
        const re = kustoRegex(str(patternConst));
        return make(args, () => re);
      }
      const first = args[0]!;
      return make(args, (r) => kustoRegex(str(first(r))));
    },
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
    pure: true,
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
  simple('substring', 2, 3, expecting('string', 'any', NUMERIC), (s, start, length) => {
    const text = str(s);
    let from = Math.max(0, Number(start ?? 0));
    if (from > text.length) from = text.length;
    if (length === undefined || length === null) return text.slice(from);
    return text.slice(from, from + Math.max(0, Number(length)));
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
  regexFn('trim', 2, 2, 'string', ([, text], re) => (r) => {
    const pattern = re(r).source;
    const s = str(text!(r));
    return s.replace(new RegExp(`^(?:${pattern})`, 'u'), '').replace(new RegExp(`(?:${pattern})$`, 'u'), '');
  }, [STRINGY]),
  regexFn('trim_start', 2, 2, 'string', ([, text], re) => {
    let cache: { source: string; anchored: RegExp } | undefined;
    return (r) => {
      const base = re(r);
      if (!cache || cache.source !== base.source) cache = { source: base.source, anchored: new RegExp(`^(?:${base.source})`, base.flags) };
      return str(text!(r)).replace(cache.anchored, '');
    };
  }, [STRINGY]),
  regexFn('trim_end', 2, 2, 'string', ([, text], re) => {
    let cache: { source: string; anchored: RegExp } | undefined;
    return (r) => {
      const base = re(r);
      if (!cache || cache.source !== base.source) cache = { source: base.source, anchored: new RegExp(`(?:${base.source})$`, base.flags) };
      return str(text!(r)).replace(cache.anchored, '');
    };
  }, [STRINGY]),
  regexFn('replace_regex', 3, 3, 'string', ([, text, rewrite], re) => (r) => {
    const base = re(r);
    const g = new RegExp(base.source, base.flags.includes('g') ? base.flags : base.flags + 'g');
    return str(text!(r)).replace(g, str(rewrite!(r)).replace(/\\(\d)/g, '$$$1'));
  }, [STRINGY]),
  {
    name: 'extract',
    minArgs: 3,
    maxArgs: 4,
    pure: true,
    resultType: (types) => {
      if (types[1] !== 'long' && types[1] !== 'int') return { error: 'argument 2 (capture group) must be long', argIndex: 1 };
      return { type: 'string' };
    },
    compile(args, _types, _ctx, constants) {
      const [pattern, group, text] = args as [Compiled, Compiled, Compiled];
      const fixed = constants[0] !== NOT_CONSTANT ? kustoRegex(str(constants[0])) : undefined;
      return (r) => {
        const re = fixed ?? kustoRegex(str(pattern(r)));
        const m = re.exec(str(text(r)));
        if (!m) return '';
        return m[Number(group(r))] ?? '';
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
