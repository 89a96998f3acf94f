import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvocationContext, type Timer } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimerHandler } from '../../src/functions/ammyyHunter.js';
import { startAzuriteTables, type AzuriteTables } from '../../src/adapters/table/azurite.js';
import { fixedClock } from '../../src/runtime/clock.js';
import { shippedRuleVariant } from '../support/rules.js';
import { settableClock } from '../support/settableClock.js';

const sampleNow = new Date('2026-11-20T12:00:00Z');
const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };

function invocation(): { context: InvocationContext; logs: string[] } {
  const logs: string[] = [];
  const context = new InvocationContext({
    invocationId: 'test-invocation',
    functionName: 'ammyyHunter',
    logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`),
  });
  return { context, logs };
}

describe('the ammyyHunter timer function', () => {
  let azurite: AzuriteTables;
  beforeAll(async () => {
    azurite = await startAzuriteTables({ persistenceDir: undefined });
  });
  afterAll(async () => {
    await azurite?.stop();
  });

  function localSettings(outDir: string, table: string): Record<string, string> {
    return {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: azurite.connectionString,
      QUERY_BACKEND: 'local',
      LOCAL_DATA_DIR: 'test/fixtures/ammyy-basic',
      INCIDENT_SINK: 'file',
      INCIDENT_OUT_DIR: outDir,
      STATE_TABLE_NAME: table,
    };
  }

  it('raises the sample data incidents, then nothing new on the next run', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-fn-'));
    const clock = settableClock(sampleNow);
    const handler = createTimerHandler({ env: () => localSettings(outDir, 'FunctionTest'), clock, appRoot: process.cwd() });

    const first = invocation();
    await handler(timer, first.context);
    const incidents = readFileSync(path.join(outDir, 'incidents.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { deviceId: string; title: string; status: string });
    expect(incidents.map((incident) => incident.deviceId).sort()).toEqual([
      '3f1c2b9a8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b',
      '8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b',
      'c0ffee0000000000000000000000000000000113',
    ]);
    expect(incidents.every((incident) => incident.status === 'New' && /ammyy/i.test(incident.title))).toBe(true);
    expect(first.logs.join('\n')).toContain('isPastDue=false');
    expect(first.logs.join('\n')).toMatch(/3 created/);
    // A long run says how far it is: each phase's start and end at least (at most every 30 s in between).
    expect(first.logs).toEqual(expect.arrayContaining([
      'information: progress: enriching hits with context: 0 of 3 devices (0%)',
      'information: progress: writing incidents and state: 3 of 3 devices (100%)',
    ]));

    // The rule's next due run (queryFrequency PT1H): the same events are still in its window.
    clock.advance(3_600_000);
    const second = invocation();
    await handler({ ...timer, isPastDue: true }, second.context);
    expect(readFileSync(path.join(outDir, 'incidents.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(second.logs.join('\n')).toContain('isPastDue=true');
    expect(second.logs.join('\n')).toMatch(/0 created, 0 updated/);
  });

  it('runs each rule only when due: on a 5-minute timer over an hour, the hourly rule runs once and the 15-minute rule 4 times; the rest are skipped, not failed', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-fn-'));
    const quarterHourly = shippedRuleVariant((text) =>
      text.replace(/^id: .*$/m, 'id: 22222222-3333-4444-8555-666666666666').replace(/^name: .*$/m, 'name: Ammyy every 15 minutes').replace(/^queryFrequency: .*$/m, 'queryFrequency: PT15M'),
    );
    const clock = settableClock(sampleNow);
    const handler = createTimerHandler({
      env: () => ({ ...localSettings(outDir, 'FunctionDue'), RULE_PATH: `rules/ammyy-file-signature.yaml, ${quarterHourly}` }),
      clock,
      appRoot: process.cwd(),
    });
    const ran = { hourly: 0, quarterHourly: 0, skipped: 0 };
    for (let tick = 0; tick < 12; tick++) {
      const { context, logs } = invocation();
      await handler(timer, context);
      for (const line of logs) {
        if (/ammyyHunter (succeeded|partial|failed)/.test(line)) ran[line.includes('every 15 minutes') ? 'quarterHourly' : 'hourly']++;
        if (/ammyyHunter skipped: .*not due/.test(line)) ran.skipped++;
      }
      clock.advance(5 * 60_000);
    }
    expect(ran).toEqual({ hourly: 1, quarterHourly: 4, skipped: 12 * 2 - 5 });

    // The timer fires a little early (jitter): a rule 2 s short of its hour is due all the same.
    clock.advance(-2_000);
    const early = invocation();
    await handler(timer, early.context);
    expect(early.logs.filter((line) => /ammyyHunter succeeded/.test(line))).toHaveLength(2);
  });

  it('runs every enabled rule; a failing rule never stops the others, and fails the invocation so the host retries', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-fn-'));
    // A rule that loads but whose query does not return the hit columns: it fails at run time.
    const broken = shippedRuleVariant((text) =>
      text.replace(/^id: .*$/m, 'id: 11111111-2222-4333-8444-555555555555').replace('Report=make_set(ReportId), Count=count() by DeviceId, DeviceName', 'Count=count() by DeviceId'),
    );
    const handler = createTimerHandler({
      env: () => ({ ...localSettings(outDir, 'FunctionRules'), RULE_PATH: `${broken}, rules/ammyy-file-signature.yaml` }),
      clock: fixedClock(sampleNow),
      appRoot: process.cwd(),
    });
    const { context, logs } = invocation();
    await expect(handler(timer, context)).rejects.toThrow(/the hunt query must return columns/);
    // The rule after the broken one ran and raised its incidents.
    expect(readFileSync(path.join(outDir, 'incidents.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(logs.join('\n')).toMatch(/error: ammyyHunter .*: failed before its report: .*the hunt query must return columns/);
    expect(logs.join('\n')).toMatch(/ammyyHunter succeeded: Remote Management and Monitoring tool - Ammyy - File Signature, .* 3 created/);
  });

  it('refuses two enabled rule files with one rule id (they would share a watermark)', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-fn-'));
    const handler = createTimerHandler({
      env: () => ({ ...localSettings(outDir, 'FunctionTwice'), RULE_PATH: 'rules/ammyy-file-signature.yaml,rules/rmm/Ammyy' }),
      clock: fixedClock(sampleNow),
      appRoot: process.cwd(),
    });
    await expect(handler(timer, invocation().context)).rejects.toThrow(/ammyy-file-signature\.yaml and .*rmm_Ammyy_filesig\.yaml have the same rule id 7c20af02-/);
  });

  it('fails before any query when a setting is bad, naming it', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-fn-'));
    const handler = createTimerHandler({
      env: () => ({ ...localSettings(outDir, 'FunctionBad'), QUERY_BACKEND: 'kusto-emulator', DRY_RUN: 'perhaps' }),
      clock: fixedClock(sampleNow),
      appRoot: process.cwd(),
    });
    const { context } = invocation();
    await expect(handler(timer, context)).rejects.toThrow(/QUERY_BACKEND: .*"kusto-emulator"[\s\S]*DRY_RUN: .*"perhaps"/);
  });
});
