/**
 * A regular expression taken from a row would be built from telemetry (attacker-controlled), and
 * JavaScript's expressions backtrack. Kusto takes patterns only as constants (Kusto.Language KS129
 * "The expression must be a constant" for extract, extract_all, replace_regex and trim*; the service
 * refuses a column in `matches regex` with "failed to cast argument 2 to scalar constant"), so the
 * local evaluator refuses them too, before reading any row. Constant patterns, which come from the
 * rule text, keep working; their cost is the rule author's (docs/guarantees.md).
 */
import { describe, expect, it } from 'vitest';
import { KqlRuntimeError } from '../../src/kql/index.js';
import { run } from './helpers.js';

const rows = { DeviceProcessEvents: [{ FileName: '(a+)+$', ProcessCommandLine: `${'a'.repeat(40)}!` }] };

describe('regular expressions from the data', () => {
  it.each([
    ["where ProcessCommandLine matches regex FileName", "'matches regex'"],
    ['extend x = extract(FileName, 0, ProcessCommandLine)', 'extract()'],
    ['extend x = extract_all(FileName, ProcessCommandLine)', 'extract_all()'],
    ["extend x = replace_regex(ProcessCommandLine, FileName, 'y')", 'replace_regex()'],
    ['extend x = trim(FileName, ProcessCommandLine)', 'trim()'],
    ['extend x = trim_end(FileName, ProcessCommandLine)', 'trim_end()'],
  ])('DeviceProcessEvents | %s is refused, as Kusto refuses it', async (tail, what) => {
    const error = await run(`DeviceProcessEvents | ${tail}`, rows).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KqlRuntimeError);
    expect((error as KqlRuntimeError).message).toContain(`the regular expression of ${what} must be a constant`);
  });

  it('constant patterns from the rule text still work', async () => {
    const result = await run(`DeviceProcessEvents | where ProcessCommandLine matches regex '^a+!$' | extend x = extract('(a{3})', 1, ProcessCommandLine)`, rows);
    expect(result.rows.map((row) => row['x'])).toEqual(['aaa']);
  });
});
