// Public helpers: kqlString, replaceLetValues, lint, error formatting.
import { describe, expect, it } from 'vitest';
import { KqlBindError, KqlParseError, evaluate, kqlString, lint, parse, replaceLetValues, formatValueForJson } from '../../src/kql/index.js';
import { memoryTables, run, NOW } from './helpers.js';

describe('kqlString', () => {
  const nasty = [
    'plain',
    "it's",
    'say "hi"',
    'back\\slash\\',
    'line1\nline2\r\n\ttab',
    '| where true //',
    "'; DeviceInfo | take 1; print '",
    'ünïcødé ✓ 𝄞',
    '',
  ];
  it.each(nasty)('round-trips %j through the parser and evaluator', async (value) => {
    const r = await run(`print v = ${kqlString(value)}`);
    expect(r.rows[0]!['v']).toBe(value);
  });

  it('keeps an injected id from escaping the literal', async () => {
    const id = `x" or DeviceId != "`;
    const r = await run(`DeviceInfo | where DeviceId == ${kqlString(id)}`, { DeviceInfo: [{ DeviceId: 'a' }, { DeviceId: id }] });
    expect(r.rows.map((x) => x['DeviceId'])).toEqual([id]);
  });
});

describe('replaceLetValues', () => {
  const q = `let Time_start = now(-5d);\nlet Time_end = now();\n//\nDeviceFileCertificateInfo | where Timestamp between (Time_start..Time_end)`;

  it('rewrites only the value expressions of the named lets', () => {
    const out = replaceLetValues(q, {
      Time_start: 'datetime(2026-11-17T00:00:00.000Z)',
      Time_end: 'datetime(2026-11-22T00:00:00.000Z)',
    });
    expect(out).toBe(
      `let Time_start = datetime(2026-11-17T00:00:00.000Z);\nlet Time_end = datetime(2026-11-22T00:00:00.000Z);\n//\nDeviceFileCertificateInfo | where Timestamp between (Time_start..Time_end)`,
    );
    expect(lint(out)).toEqual([]);
  });

  it('binds the hunt window on the evaluator', async () => {
    const out = replaceLetValues(q, { Time_start: 'datetime(2026-01-01)', Time_end: 'datetime(2026-01-02)' });
    const tables = memoryTables({
      DeviceFileCertificateInfo: [
        { Timestamp: new Date('2026-01-01T12:00:00Z'), ReportId: 1 },
        { Timestamp: new Date('2026-11-20T12:00:00Z'), ReportId: 2 },
      ],
    });
    const r = await evaluate(out, { tables, now: NOW });
    expect(r.rows.map((x) => x['ReportId'])).toEqual([1]);
  });

  it('throws when a name is not a top-level let', () => {
    expect(() => replaceLetValues(q, { Nope: '1' })).toThrow(/Nope/);
  });
});

describe('lint', () => {
  it('is clean for the seed rule', () => {
    expect(lint(`let a = now(-5d);\nDeviceFileCertificateInfo | where Timestamp > a | summarize count() by DeviceId`)).toEqual([]);
  });

  it('reports an unknown column at its line and column, with a suggestion', () => {
    const d = lint(`DeviceNetworkEvents\n| summarize count() by DeviceId, AccountUpn`);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'KQL102', line: 2, col: 34, length: 10, severity: 'error' });
    expect(d[0]!.message).toMatch(/AccountUpn.*InitiatingProcessAccountUpn/);
  });

  it('reports parse errors without throwing', () => {
    const d = lint(`DeviceInfo\n| where DeviceName has_any ('a', 'b',)`);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: 'KQL003', line: 2 });
  });

  it('reports an unknown table', () => {
    expect(lint('NoSuchTable | take 1')[0]).toMatchObject({ code: 'KQL101', line: 1, col: 1 });
  });

  it('reports unsupported operators as not supported', () => {
    expect(lint('DeviceInfo | sample 10')[0]).toMatchObject({ code: 'KQL106', line: 1, col: 14 });
  });
});

describe('errors', () => {
  it('parse errors carry line, column and a caret', () => {
    try {
      parse('DeviceInfo\n| where (DeviceName == "x"');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KqlParseError);
      const err = e as KqlParseError;
      expect([err.line, err.col]).toEqual([2, 27]);
      expect(err.format()).toBe(`2:27: expected ')' but found end of query [KQL004]\n| where (DeviceName == "x"\n                          ^`);
    }
  });

  it('bind errors are KqlBindError with the offending token underlined', async () => {
    const q = 'DeviceInfo\n| where NoColumn == 1';
    await expect(run(q)).rejects.toBeInstanceOf(KqlBindError);
    await run(q).catch((e: KqlBindError) => {
      expect(e.format()).toBe(`2:9: unknown column 'NoColumn' [KQL102]\n| where NoColumn == 1\n        ^^^^^^^^`);
    });
  });
});

describe('formatValueForJson', () => {
  it('formats each type for JSON output', () => {
    expect(formatValueForJson(new Date('2026-11-22T00:00:00Z'), 'datetime')).toBe('2026-11-22T00:00:00.000Z');
    expect(formatValueForJson(90_061_000, 'timespan')).toBe('1.01:01:01');
    expect(formatValueForJson([1, 'a'], 'dynamic')).toEqual([1, 'a']);
    expect(formatValueForJson(42, 'long')).toBe(42);
    expect(formatValueForJson(null, 'string')).toBe(null);
  });
});
