// Turns query text into tokens with offsets. Kusto's few context-sensitive lexemes are settled here:
// hyphenated operator names (project-away), negated word operators (!has), `in~`, timespan
// literals (5d) and typed literals whose body is raw text (datetime(2026-01-01T00:00:00Z)).
import { KqlParseError } from './errors.js';

export type TokenKind = 'ident' | 'string' | 'long' | 'real' | 'timespan' | 'typed' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier or punctuation text; for literals, the source text. */
  readonly text: string;
  readonly offset: number;
  readonly end: number;
  /** string → decoded text; long/real → number; timespan → milliseconds; typed → raw body. */
  readonly value?: string | number;
  /** typed literal: the type keyword (datetime, timespan, guid, long, ...). */
  readonly typeName?: string;
}

const HYPHENATED = new Set([
  'project-away', 'project-rename', 'project-keep', 'project-reorder', 'mv-expand', 'mv-apply',
  'make-series', 'parse-where', 'parse-kv', 'project-smart', 'top-nested', 'top-hitters', 'sample-distinct',
  'make-graph', 'graph-match',
]);

const NEGATABLE = new Set([
  'has', 'has_cs', 'hasprefix', 'hasprefix_cs', 'hassuffix', 'hassuffix_cs', 'contains', 'contains_cs',
  'startswith', 'startswith_cs', 'endswith', 'endswith_cs', 'in', 'between', 'has_all', 'has_any',
]);

// Typed literals whose body Kusto reads as raw text up to the closing parenthesis.
const RAW_TYPED = new Set([
  'datetime', 'date', 'timespan', 'time', 'guid', 'long', 'int', 'int64', 'int32', 'real', 'double',
  'bool', 'boolean', 'decimal',
]);

const MS_PER: Record<string, number> = {
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000,
  s: 1000, sec: 1000, second: 1000, seconds: 1000,
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  microsecond: 0.001, microseconds: 0.001,
  tick: 0.0001, ticks: 0.0001,
};

export function timespanUnitMs(unit: string): number | undefined {
  return Object.hasOwn(MS_PER, unit) ? MS_PER[unit] : undefined;
}

const PUNCT3 = ['!in~', '!~'];
const PUNCT2 = ['==', '!=', '<>', '<=', '>=', '=~', '!~', '..', '=>'];
const PUNCT1 = '|()[]{},;.=<>+-*/%:!?@$';

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  const fail = (msg: string, at: number, code: 'KQL001' | 'KQL002' | 'KQL005' = 'KQL001'): never => {
    throw new KqlParseError(code, msg, text, at, 1);
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff) {
      i++;
      continue;
    }
    // comment
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    const start = i;
    // strings: '..' ".." @'..' @".." h'..' h@'..' ```..```
    const stringStart = matchStringStart(text, i);
    if (stringStart) {
      const { value, end } = readString(text, stringStart.quoteAt, stringStart.verbatim, fail);
      tokens.push({ kind: 'string', text: text.slice(start, end), offset: start, end, value });
      i = end;
      continue;
    }
    if (c === 96 && text.startsWith('```', i)) {
      const close = text.indexOf('```', i + 3);
      if (close < 0) fail('unterminated multi-line string literal', i, 'KQL002');
      tokens.push({ kind: 'string', text: text.slice(i, close + 3), offset: i, end: close + 3, value: text.slice(i + 3, close) });
      i = close + 3;
      continue;
    }
    // numbers (and timespans such as 5d, 1.5h, 100ms)
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)) && !isDotDotContext(tokens))) {
      i = readNumber(text, i, tokens, fail);
      continue;
    }
    // identifiers, word operators, typed literals
    if (isIdentStart(c) || (c === 33 && isIdentStart(text.charCodeAt(i + 1)))) {
      let j = c === 33 ? i + 1 : i;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      let word = text.slice(i, j);
      if (c === 33) {
        if (!NEGATABLE.has(word.slice(1))) {
          // plain `!` (logical not is a function in Kusto): leave `!` as punctuation
          tokens.push({ kind: 'punct', text: '!', offset: i, end: i + 1 });
          i++;
          continue;
        }
      }
      // hyphenated operator names
      if (text.charCodeAt(j) === 45 && isIdentStart(text.charCodeAt(j + 1))) {
        let k = j + 1;
        while (k < n && isIdentPart(text.charCodeAt(k))) k++;
        const joined = word + '-' + text.slice(j + 1, k);
        if (HYPHENATED.has(joined)) {
          word = joined;
          j = k;
        }
      }
      // in~ / !in~
      if ((word === 'in' || word === '!in') && text.charCodeAt(j) === 126) {
        word += '~';
        j++;
      }
      // typed literal with raw body
      if (RAW_TYPED.has(word)) {
        let k = j;
        while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
        if (text.charCodeAt(k) === 40) {
          const close = text.indexOf(')', k + 1);
          if (close < 0) fail(`unterminated ${word}(...) literal`, i, 'KQL005');
          const body = text.slice(k + 1, close).trim();
          tokens.push({ kind: 'typed', text: text.slice(i, close + 1), offset: i, end: close + 1, value: body, typeName: word });
          i = close + 1;
          continue;
        }
      }
      tokens.push({ kind: 'ident', text: word, offset: i, end: j });
      i = j;
      continue;
    }
    // punctuation
    let matched: string | undefined;
    for (const p of PUNCT3) if (text.startsWith(p, i)) { matched = p; break; }
    if (!matched) for (const p of PUNCT2) if (text.startsWith(p, i)) { matched = p; break; }
    if (!matched && PUNCT1.includes(text[i]!)) matched = text[i]!;
    if (!matched) fail(`unexpected character '${text[i]}'`, i);
    tokens.push({ kind: 'punct', text: matched!, offset: i, end: i + matched!.length });
    i += matched!.length;
  }
  tokens.push({ kind: 'eof', text: '', offset: n, end: n });
  return tokens;
}

function isDotDotContext(tokens: readonly Token[]): boolean {
  // `..5` never starts a number: after `..` a leading-dot number is not Kusto syntax anyway.
  const last = tokens[tokens.length - 1];
  return last !== undefined && last.kind === 'punct' && last.text === '..';
}

function matchStringStart(text: string, i: number): { quoteAt: number; verbatim: boolean } | undefined {
  let j = i;
  let verbatim = false;
  const c = text[j];
  if ((c === 'h' || c === 'H') && (text[j + 1] === "'" || text[j + 1] === '"' || (text[j + 1] === '@' && (text[j + 2] === "'" || text[j + 2] === '"')))) {
    j++;
  }
  if (text[j] === '@' && (text[j + 1] === "'" || text[j + 1] === '"')) {
    verbatim = true;
    j++;
  }
  if (text[j] === "'" || text[j] === '"') return { quoteAt: j, verbatim };
  return undefined;
}

function readString(
  text: string,
  quoteAt: number,
  verbatim: boolean,
  fail: (msg: string, at: number, code: 'KQL002') => never,
): { value: string; end: number } {
  const quote = text[quoteAt]!;
  let i = quoteAt + 1;
  let out = '';
  while (true) {
    if (i >= text.length || text[i] === '\n') fail('unterminated string literal', quoteAt, 'KQL002');
    const ch = text[i]!;
    if (ch === quote) {
      // verbatim strings denote the quote character by doubling it
      if (verbatim && text[i + 1] === quote) {
        out += quote;
        i += 2;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    if (ch === '\\' && !verbatim) {
      const e = text[i + 1];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '0': out += '\0'; break;
        case '\\': out += '\\'; break;
        case "'": out += "'"; break;
        case '"': out += '"'; break;
        case 'u': {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape in string literal', i, 'KQL002');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        default:
          fail(`invalid escape sequence '\\${e ?? ''}' in string literal`, i, 'KQL002');
      }
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
}

function readNumber(
  text: string,
  start: number,
  tokens: Token[],
  fail: (msg: string, at: number, code?: 'KQL001' | 'KQL002' | 'KQL005') => never,
): number {
  let i = start;
  const n = text.length;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    i += 2;
    while (i < n && /[0-9a-fA-F]/.test(text[i]!)) i++;
    const src = text.slice(start, i);
    tokens.push({ kind: 'long', text: src, offset: start, end: i, value: Number.parseInt(src.slice(2), 16) });
    return i;
  }
  let isReal = false;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  // a single dot followed by a digit is a decimal point; `..` is the range operator
  if (text[i] === '.' && text[i + 1] !== '.' && (isDigit(text.charCodeAt(i + 1)) || !isIdentStart(text.charCodeAt(i + 1)))) {
    isReal = true;
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text.charCodeAt(i + 1)) || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text.charCodeAt(i + 2))))) {
    isReal = true;
    i += 2;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  const numText = text.slice(start, i);
  if (isIdentStart(text.charCodeAt(i))) {
    let j = i;
    while (j < n && isIdentPart(text.charCodeAt(j))) j++;
    const unit = text.slice(i, j);
    const ms = timespanUnitMs(unit);
    if (ms === undefined) fail(`invalid numeric literal '${text.slice(start, j)}'`, start, 'KQL005');
    tokens.push({ kind: 'timespan', text: text.slice(start, j), offset: start, end: j, value: Number(numText) * ms! });
    return j;
  }
  tokens.push({ kind: isReal ? 'real' : 'long', text: numText, offset: start, end: i, value: Number(numText) });
  return i;
}
