/**
 * The timer Function over the RMM pack on Defender XDR advanced hunting (the real Graph client against a loopback
 * contract server, state in Azurite): the rules share the tenant's call quota (45 calls a minute, 1,500 an hour;
 * learn.microsoft.com/defender-xdr/api-advanced-hunting). Due rules the hour's remaining calls cannot take are
 * deferred to the next invocation (never failed, never lost), and a pack whose schedule overruns the quota's
 * headroom says so in the log and in its run reports. The call budget runs on a fake timer: counts, no timing.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvocationContext, type Timer } from '@azure/functions';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimerHandler } from '../../src/functions/ammyyHunter.js';
import { startAzuriteTables, type AzuriteTables } from '../../src/adapters/table/azurite.js';
import { TableStateStore } from '../../src/adapters/table/tableStateStore.js';
import { CallBudgets, type BudgetTimer } from '../../src/budget/callBudget.js';
import { defenderQuotas } from '../../src/adapters/defender/index.js';
import { HIT_COLUMNS } from '../../src/core/hitRows.js';
import { loadRule } from '../../src/rules/load.js';
import { GraphHuntingContractServer } from '../support/contractServers/graphHuntingContractServer.js';
import { FixedTokenCredential } from '../support/contractServers/fixedTokenCredential.js';
import { loopbackPipelineOptions } from '../support/contractServers/loopbackPipeline.js';
import { settableClock } from '../support/settableClock.js';
import { runCli } from '../support/cli.js';

const HOUR = 3_600_000;
const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
// No device has any RMM tool: every rule's run is its hunt query alone.
const graph = new GraphHuntingContractServer(() => ({ schema: HIT_COLUMNS.map((name) => ({ name, type: 'String' })), results: [] }));
let azurite: AzuriteTables;

beforeAll(async () => {
  [azurite] = await Promise.all([startAzuriteTables({ persistenceDir: undefined }), graph.start()]);
});
afterAll(async () => {
  await Promise.all([azurite?.stop(), graph.stop()]);
});

/** A call budget on a fake timer, with `used` of the hour's 1,500 Defender calls already spent (by earlier runs). */
async function spentBudgets(used: number): Promise<{ budgets: CallBudgets; timer: BudgetTimer & { now: number } }> {
  const fake = { now: 0, nowMs: () => fake.now, sleep: async (ms: number) => void (fake.now += ms) };
  const budgets = new CallBudgets(fake);
  const budget = budgets.for('defender', defenderQuotas);
  for (let i = 0; i < used; i++) await budget.take();
  return { budgets, timer: fake };
}

function handler(table: string, rulePath: string, budgets: CallBudgets, clock: ReturnType<typeof settableClock>) {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-schedule-'));
  return createTimerHandler({
    env: () => ({
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: azurite.connectionString,
      STATE_TABLE_NAME: table,
      QUERY_BACKEND: 'defender',
      GRAPH_ENDPOINT: graph.url,
      INCIDENT_SINK: 'file',
      INCIDENT_OUT_DIR: outDir,
      RULE_PATH: rulePath,
    }),
    clock,
    appRoot: process.cwd(),
    azure: { credential: new FixedTokenCredential(), pipelineOptions: loopbackPipelineOptions() },
    callBudgets: budgets,
  });
}

async function invoke(hunt: ReturnType<typeof createTimerHandler>): Promise<{ ran: number; notDue: number; deferred: number; logs: string[] }> {
  const logs: string[] = [];
  const context = new InvocationContext({ invocationId: 'schedule', functionName: 'ammyyHunter', logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`) });
  await hunt(timer, context);
  const count = (pattern: RegExp) => logs.filter((line) => pattern.test(line)).length;
  return { ran: count(/ammyyHunter succeeded:/), notDue: count(/ammyyHunter skipped: .*not due/), deferred: count(/ammyyHunter skipped: .*deferred/), logs };
}

describe('the timer Function sharing the Defender call quota between rules', () => {
  it('with 3 of the hour\'s 1,500 calls left, runs 2 of the Ammyy rules (2 queries planned each) and defers the third; the next invocation runs it', async () => {
    const clock = settableClock(new Date('2026-11-20T12:00:00Z'));
    const { budgets, timer: budgetTimer } = await spentBudgets(1_497);
    const hunt = handler('ScheduleDefer', 'rules/rmm/Ammyy', budgets, clock);
    const queriesBefore = graph.queries.length;

    const first = await invoke(hunt);
    expect({ ran: first.ran, notDue: first.notDue, deferred: first.deferred }).toEqual({ ran: 2, notDue: 0, deferred: 1 });
    expect(graph.queries.length - queriesBefore).toBe(2);
    expect(first.logs.join('\n')).toMatch(/warning: ammyyHunter deferred 1 due rule\(s\) to the next invocation/);

    // Five minutes on, the hour's first calls have aged out: the deferred rule is due (never run), the two others are not.
    clock.advance(5 * 60_000);
    budgetTimer.now += HOUR;
    const second = await invoke(hunt);
    expect({ ran: second.ran, notDue: second.notDue, deferred: second.deferred }).toEqual({ ran: 1, notDue: 2, deferred: 0 });
  });

  it('a pack whose schedule overruns the quota (167 rules every 5 minutes: 4,008 calls an hour) warns at startup and in its run reports', async () => {
    const pack = mkdtempSync(path.join(os.tmpdir(), 'rmm-every-5-'));
    cpSync('rules', pack, { recursive: true });
    const rmm = path.join(pack, 'rmm');
    const files = readdirSync(rmm, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.yaml'));
    for (const file of files) {
      const full = path.join(rmm, file);
      writeFileSync(full, readFileSync(full, 'utf8').replace(/^queryFrequency: .*$/m, 'queryFrequency: PT5M'));
    }
    const clock = settableClock(new Date('2026-11-20T12:00:00Z'));
    // One call left in the hour: every rule is deferred, none fails, none writes anything.
    const { budgets } = await spentBudgets(1_499);
    const first = await invoke(handler('SchedulePack', rmm, budgets, clock));
    expect(files).toHaveLength(167);
    expect({ ran: first.ran, deferred: first.deferred }).toEqual({ ran: 0, deferred: 167 });
    const warning = first.logs.filter((line) => line.startsWith('warning:') && /167 enabled rules do not fit/.test(line));
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatch(/4,008 calls against 1,500 calls per hour .* \(267%\)/);

    // With the quota free, the rules that run keep the warning in their run reports (`hunter runs` prints them).
    // Four calls left: the first rules run (one query each here, no hits), the rest are deferred.
    const free = await spentBudgets(1_500 - 4);
    const second = await invoke(handler('SchedulePack', rmm, free.budgets, clock));
    expect(second.ran).toBeGreaterThan(1);
    expect(second.ran + second.deferred).toBe(167);
    const state = await TableStateStore.open(TableClient.fromConnectionString(azurite.connectionString, 'SchedulePack', { allowInsecureConnection: true }));
    const ran = second.logs.filter((line) => /ammyyHunter succeeded:/.test(line)).map((line) => /succeeded: (.*), window/.exec(line)![1]);
    const rules = files.map((file) => loadRule(path.join(rmm, file))).filter((rule) => ran.includes(rule.name));
    for (const rule of rules) {
      const [report] = await state.listRunReports(rule.id, 1);
      expect(report!.warnings[0]).toMatch(/167 enabled rules do not fit the backend's quota with headroom/);
    }
    expect(rules).toHaveLength(second.ran);

    // `hunter runs` over the pack says so beside each rule that ran.
    const listed = await runCli(['runs', '--azure', '--rule', rmm], { env: { AzureWebJobsStorage: azurite.connectionString, STATE_TABLE_NAME: 'SchedulePack' } });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.match(/enabled rules over the query quota's headroom/g)).toHaveLength(second.ran);
  });
});
