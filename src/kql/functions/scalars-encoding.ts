// Encodings: base64, URL percent-encoding and hashes. Each follows its Microsoft doc page:
// https://learn.microsoft.com/kusto/query/base64-decode-tostring-function (and -encode-, -toarray),
// https://learn.microsoft.com/kusto/query/url-encode-function (and -encode-component, -decode),
// https://learn.microsoft.com/kusto/query/hash-sha256-function (and md5, sha1).
import { createHash } from 'node:crypto';
import { expecting, simple, STRINGY } from './define.js';
import type { ScalarFunction } from './types.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

// Text that is not base64 decodes to null; as for .NET's Convert.FromBase64String, whole 4-character
// groups (padded with =) are required
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bytes a base64 text encodes, or undefined when it is not base64 (whitespace is ignored). */
function base64Bytes(v: unknown): Buffer | undefined {
  if (typeof v !== 'string') return undefined;
  const text = v.replace(/\s+/g, '');
  if (!BASE64.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** "Trying to decode a base64 string that was generated from invalid UTF-8 encoding returns null." */
function decodeToString(v: unknown): string | null {
  const bytes = base64Bytes(v);
  if (!bytes) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Percent-encoding as .NET's form encoder does it (the doc's example: `https://www.bing.com/hello world`
 * → `https%3a%2f%2fwww.bing.com%2fhello+world`): letters, digits and `-_.!*()` stay, every other
 * UTF-8 byte becomes `%xx` in lower case; url_encode writes a space as `+`, url_encode_component as `%20`.
 */
function percentEncode(v: unknown, space: string): string {
  let out = '';
  for (const byte of Buffer.from(str(v), 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.!*()]/.test(c)) out += c;
    else if (byte === 0x20) out += space;
    else out += '%' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

/** `%xx` sequences (UTF-8, either case) and `+` (a space) decoded; a malformed `%` is kept as text. */
function percentDecode(v: unknown): string {
  const text = str(v).replace(/\+/g, ' ');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const hash = (algorithm: string) => (v: unknown) => createHash(algorithm).update(str(v), 'utf8').digest('hex');

export const encodingFunctions: readonly ScalarFunction[] = [
  simple('base64_encode_tostring', 1, 1, expecting('string', STRINGY), (v) => Buffer.from(str(v), 'utf8').toString('base64')),
  simple('base64_decode_tostring', 1, 1, expecting('string', STRINGY), decodeToString),
  simple('base64_decode_toarray', 1, 1, expecting('dynamic', STRINGY), (v) => {
    const bytes = base64Bytes(v);
    return bytes ? [...bytes] : null;
  }),
  simple('url_encode', 1, 1, expecting('string', STRINGY), (v) => percentEncode(v, '+')),
  simple('url_encode_component', 1, 1, expecting('string', STRINGY), (v) => percentEncode(v, '%20')),
  simple('url_decode', 1, 1, expecting('string', STRINGY), percentDecode),
  simple('hash_sha256', 1, 1, expecting('string', STRINGY), hash('sha256')),
  simple('hash_sha1', 1, 1, expecting('string', STRINGY), hash('sha1')),
  simple('hash_md5', 1, 1, expecting('string', STRINGY), hash('md5')),
];

/** Deprecated names the doc pages list. */
export const ENCODING_ALIASES: Readonly<Record<string, string>> = {
  base64_decodestring: 'base64_decode_tostring',
  base64_encodestring: 'base64_encode_tostring',
};
