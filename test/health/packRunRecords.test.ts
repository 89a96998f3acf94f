/**
 * Run records of an invocation that runs several rules (RULE_PATH lists the RMM pack's folders): the health rule
 * expects exactly the rules of the newest record's EnabledRules, so every record must list every rule the
 * deployment runs, not only its own. Otherwise the newest record (the last rule's) hides every other rule's silence.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { readHealthBicep } from '../infra/healthBicep.js';
import { HOUR, RunsTable } from '../support/runRecords.js';
import type { RunRecord } from '../../src/health/runRecord.js';
import { RUNS_TABLE_NAME } from '../../src/health/runsTable.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'hunter-pack-records-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('run records of a rule pack', () => {
  it('list every enabled rule, so the health rule sees each rule that stops running', async () => {
    const out = path.join(work, 'out');
    const run = await runCli(['replay', '--data', 'test/fixtures/rmm-mixed', '--rule', 'rules/rmm/AnyDesk,rules/rmm/TeamViewer', '--state', path.join(work, 'state'), '--out', out, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);

    const tables = path.join(out, 'tables');
    const records = readFileSync(path.join(tables, `${RUNS_TABLE_NAME}.jsonl`), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunRecord);
    const ruleIds = records.map((record) => record.RuleId).sort();
    expect(ruleIds).toHaveLength(6);
    for (const record of records) expect([...record.EnabledRules].sort(), record.RuleName).toEqual(ruleIds);

    // No run after the replay: three hours later (two hourly intervals and more) every rule is missing, not only the last one run.
    const later = new Date(Date.parse(records[0]!.TimeGenerated) + 3 * HOUR);
    const rows = await new RunsTable(tables).query(readHealthBicep().query, later);
    expect(rows.map((row) => `${String(row.RuleId)}:${String(row.Problem)}`).sort()).toEqual(ruleIds.map((id) => `${id}:NoSuccessfulRun`));
  }, 300_000);
});
