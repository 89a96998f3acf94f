// "Did you mean": case-only differences, small typos (Damerau–Levenshtein), and a name a column
// ends with (AccountUpn → InitiatingProcessAccountUpn), for columns, tables and functions.
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/kql/index.js';
import { closestNames, didYouMean, editDistance } from '../../src/kql/suggest.js';

const message = (query: string) => {
  const d = lint(query);
  expect(d).toHaveLength(1);
  return d[0]!.message;
};

describe('editDistance', () => {
  it.each([
    ['Signr', 'Signer', 1],
    ['Timestmp', 'Timestamp', 1],
    ['DeviecId', 'DeviceId', 1], // a transposition is one edit
    ['devicename', 'DeviceName', 0], // case-insensitive
    ['abc', 'abc', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b, 5)).toBe(d);
    expect(editDistance(b, a, 5)).toBe(d);
  });

  it('stops early past the limit', () => {
    expect(editDistance('Timestamp', 'InitiatingProcessAccountUpn', 2)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });
});

describe('closestNames', () => {
  const columns = ['Timestamp', 'DeviceId', 'DeviceName', 'Signer', 'SignerHash', 'InitiatingProcessAccountUpn'];
  it('prefers a case-only match, then the closest typo, then a suffix', () => {
    expect(closestNames('signer', columns)).toEqual({ names: ['Signer'], caseOnly: true });
    expect(closestNames('Signr', columns)).toEqual({ names: ['Signer'], caseOnly: false });
    expect(closestNames('AccountUpn', columns)).toEqual({ names: ['InitiatingProcessAccountUpn'], caseOnly: false });
    expect(closestNames('AccountUpn', columns, { affixes: false })).toBeUndefined();
  });

  it('keeps the threshold small for short names', () => {
    expect(closestNames('Sx', ['Sy'])).toBeUndefined();
    expect(closestNames('Sgnr', columns)).toBeUndefined(); // two edits in a 4-letter name
    expect(closestNames('DevicNme', columns)?.names).toEqual(['DeviceName']); // two edits in 8 letters
    expect(closestNames('DeviceNm', columns)?.names).toEqual(['DeviceId', 'DeviceName']); // ties are all named
    expect(didYouMean('Nothing', columns, 'column names')).toBe('');
  });
});

describe('binder suggestions', () => {
  it.each([
    ['DeviceFileCertificateInfo | where Signr has "ammyy"', "unknown column 'Signr' (did you mean 'Signer'?)"],
    ['DeviceFileCertificateInfo | where Timestmp > ago(1d)', "unknown column 'Timestmp' (did you mean 'Timestamp'?)"],
    ['DeviceInfo | project DeviceNme', "unknown column 'DeviceNme' (did you mean 'DeviceName'?)"],
    ['DeviceInfo | project devicename', "unknown column 'devicename' (did you mean 'DeviceName'? column names are case-sensitive)"],
    ['DeviceNetworkEvents | summarize count() by AccountUpn', "unknown column 'AccountUpn' (did you mean 'InitiatingProcessAccountUpn'?)"],
    ['DeviceInfo | where NoColumn == 1', "unknown column 'NoColumn'"],
    ['DeviceFileCertificateInfoo | take 1', "unknown table 'DeviceFileCertificateInfoo' (did you mean 'DeviceFileCertificateInfo'?)"],
    ['deviceinfo | take 1', "unknown table 'deviceinfo' (did you mean 'DeviceInfo'? table names are case-sensitive)"],
    ['let Recent = DeviceInfo | take 5;\nRecnet | count', "unknown table 'Recnet' (did you mean 'Recent'?)"],
    ['DeviceInfo | extend n = tolowr(DeviceName)', "unknown function 'tolowr' (did you mean 'tolower'?)"],
    ['DeviceInfo | summarize dcout(DeviceId)', "unknown aggregation function 'dcout' (did you mean 'dcount'?)"],
    ['let cutoff = ago(1d);\nDeviceInfo | where Timestamp > cutof', "unknown column 'cutof' (did you mean 'cutoff'?)"],
  ])('%s', (query, expected) => {
    expect(message(query)).toBe(expected);
  });
});
