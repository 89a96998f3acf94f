// Functions that build or read dynamic values: URLs, JSON paths and property bags.
import { EvaluationFailure } from '../errors.js';
import { expecting, returns, simple, STRINGY } from './define.js';
import { asBag } from './dynamicValues.js';
import { NOT_CONSTANT, type ScalarFunction } from './types.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** `k1=v1&k2=v2` → { k1: 'v1', k2: 'v2' }; a part without `=` is skipped. */
function queryParameters(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[decodeComponent(part.slice(0, eq))] = decodeComponent(part.slice(eq + 1));
  }
  return out;
}

const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

/**
 * parse_url (https://learn.microsoft.com/kusto/query/parse-url-function): Scheme, Host, Port, Path,
 * Username, Password, Query Parameters (a bag) and Fragment, every part a string ('' when absent).
 * Follows what Kusto returns, as reported in https://github.com/microsoft/Kusto-Query-Language/issues/112:
 * the Path keeps its leading '/'; user info is recognised only as `user:password@`; the port is what
 * follows the host's last ':'; a text without `scheme://` gives every part empty.
 */
export function parseUrl(v: unknown): Record<string, unknown> {
  const m = URL_PARTS.exec(str(v));
  let [scheme, authority, path, query, fragment] = m ? m.slice(1).map((x) => x ?? '') : ['', '', '', '', ''];
  let username = '';
  let password = '';
  const user = /^([^:@]*):([^@]*)@(.*)$/s.exec(authority!);
  if (user) [, username, password, authority] = user as unknown as [string, string, string, string];
  const colon = authority!.lastIndexOf(':');
  const host = colon >= 0 ? authority!.slice(0, colon) : authority!;
  const port = colon >= 0 ? authority!.slice(colon + 1) : '';
  return {
    Scheme: scheme,
    Host: host,
    Port: port,
    Path: path,
    Username: username,
    Password: password,
    'Query Parameters': queryParameters(query!),
    Fragment: fragment,
  };
}

/** A JSONPath of the documented subset (https://learn.microsoft.com/kusto/query/jsonpath): `$`, `.name`, `['name']`, `[index]`. */
export function parseJsonPath(path: string): (string | number)[] {
  const p = path.trim();
  if (!p.startsWith('$')) throw new EvaluationFailure('KQL201', `the JSON path '${path}' must start with $`);
  const steps: (string | number)[] = [];
  const step = /\.([^.[\]]+)|\[\s*(-?\d+)\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/y;
  let at = 1;
  while (at < p.length) {
    step.lastIndex = at;
    const m = step.exec(p);
    if (!m) throw new EvaluationFailure('KQL201', `the JSON path '${path}' is not supported (only $, .name, ['name'] and [index])`);
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4])!));
    at = step.lastIndex;
  }
  return steps;
}

function walk(value: unknown, steps: readonly (string | number)[]): unknown {
  let v = value;
  for (const s of steps) {
    if (typeof s === 'number' && Array.isArray(v)) v = v[s < 0 ? v.length + s : s];
    else if (typeof s === 'string' && asBag(v)) v = (v as Record<string, unknown>)[s];
    else return undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

function parseJsonText(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** A key argument of bag_has_key / bag_remove_keys: a plain key, or a JSONPath starting with `$`. */
const keyPath = (key: unknown): (string | number)[] => (typeof key === 'string' && key.trim().startsWith('$') ? parseJsonPath(key) : [str(key)]);

export const dynamicFunctions: readonly ScalarFunction[] = [
  simple('parse_url', 1, 1, expecting('dynamic', STRINGY), parseUrl),
  // https://learn.microsoft.com/kusto/query/parse-urlquery-function: {"Query Parameters": {...}}
  simple('parse_urlquery', 1, 1, expecting('dynamic', STRINGY), (v) => ({ 'Query Parameters': queryParameters(str(v)) })),
  {
    // https://learn.microsoft.com/kusto/query/extract-json-function: the element a JSONPath names in a
    // JSON text, as a string (a string element is its text, any other its JSON); '' when absent.
    name: 'extract_json',
    minArgs: 2,
    maxArgs: 2,
    resultType: expecting('string', STRINGY, 'any'),
    compile([path, json], _types, _ctx, constants) {
      const fixed = constants[0] !== NOT_CONSTANT ? parseJsonPath(str(constants[0])) : undefined;
      return (r) => {
        const found = walk(parseJsonText(json!(r)), fixed ?? parseJsonPath(str(path!(r))));
        return found === undefined || found === null ? null : str(found);
      };
    },
  },
  // https://learn.microsoft.com/kusto/query/bag-keys-function
  simple('bag_keys', 1, 1, returns('dynamic'), (v) => {
    const bag = asBag(v);
    return bag ? Object.keys(bag) : null;
  }),
  // https://learn.microsoft.com/kusto/query/bag-has-key-function: the key may be a JSONPath
  simple('bag_has_key', 2, 2, returns('bool'), (v, key) => (asBag(v) ? walk(v, keyPath(key)) !== undefined : null)),
  // https://learn.microsoft.com/kusto/query/bag-merge-function: where bags share a key Kusto picks any
  // of the values; the doc's example keeps the first bag's, as this does
  simple('bag_merge', 2, 64, returns('dynamic'), (...bags) => {
    const out: Record<string, unknown> = {};
    for (const bag of bags) {
      for (const [k, x] of Object.entries(asBag(bag) ?? {})) if (!Object.hasOwn(out, k)) out[k] = x;
    }
    return out;
  }),
  // https://learn.microsoft.com/kusto/query/bag-remove-keys-function: keys may be JSONPaths
  simple('bag_remove_keys', 2, 2, returns('dynamic'), (v, keys) => {
    if (!asBag(v)) return null;
    const out = structuredClone(v) as Record<string, unknown>;
    for (const key of Array.isArray(keys) ? keys : []) {
      const path = keyPath(key);
      const parent = walk(out, path.slice(0, -1));
      const bag = asBag(parent);
      if (bag) delete bag[String(path[path.length - 1])];
    }
    return out;
  }),
];

/**
 * geo_info_from_ip_address (https://learn.microsoft.com/kusto/query/geo-info-from-ip-address-function):
 * Kusto answers from MaxMind's GeoLite2 data; offline the answer is the tables' source's geo mapping
 * (a data folder's geoip.json), null for an address it does not cover. Without a mapping the query
 * fails at the call, saying so, rather than returning nulls that Kusto would not.
 */
export const geoInfoFunction: ScalarFunction = {
  name: 'geo_info_from_ip_address',
  minArgs: 1,
  maxArgs: 1,
  resultType: expecting('dynamic', STRINGY),
  compile([ip], _types, ctx) {
    const lookup = ctx.geoInfo;
    if (!lookup) {
      throw new EvaluationFailure('KQL204', `geo_info_from_ip_address() has no offline answer: the tables' source has no geo mapping (a data folder's geoip.json gives one)`);
    }
    return (r) => lookup(str(ip!(r)));
  },
};

/** Deprecated names the doc pages list. */
export const DYNAMIC_ALIASES: Readonly<Record<string, string>> = { extractjson: 'extract_json', parseurl: 'parse_url' };
