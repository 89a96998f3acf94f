import { describe, expect, it } from 'vitest';
import type { Activity, DeviceContext, Hit } from '../../src/core/model.js';
import { createExclusionEvaluator, createNoExclusionsEvaluator, parseExclusionsText, type ExclusionEntry } from '../../src/exclusions/index.js';

const now = new Date('2026-11-27T12:00:00Z');

const hit: Hit = {
  deviceId: 'dev-1',
  deviceName: 'ws-1.contoso.local',
  firstSeen: new Date('2026-11-26T00:00:00Z'),
  lastSeen: new Date('2026-11-27T00:00:00Z'),
  reportIds: ['1'],
  eventCount: 1,
};

function activity(id: string, fields: Activity['fields']): Activity {
  return { id, timestamp: undefined, fields };
}

function context(...activities: Activity[]): DeviceContext {
  return { files: [{ sha1: 'a'.repeat(40), signer: 'Ammyy LLC' }], activities };
}

function entries(yaml: string): ExclusionEntry[] {
  return parseExclusionsText(`exclusions:\n${yaml}`, 'test.yaml').exclusions;
}

const schedulerAndMsp = entries(`
  - id: scheduler
    description: scheduled maintenance
    enabled: true
    when: {field: process.parent.name, equals: schtasks.exe}
  - id: msp
    description: MSI deployed
    enabled: true
    when: {field: process.parent.name, equals: msiexec.exe}
`);

describe('evaluate', () => {
  const evaluator = createExclusionEvaluator(schedulerAndMsp, { warnShare: 0.5 });

  it('suppresses a hit when every activity is excluded, by one exclusion or several', () => {
    const verdict = evaluator.evaluate(hit, context(
      activity('a1', { 'process.parent.name': ['schtasks.exe'] }),
      activity('a2', { 'process.parent.name': ['MSIEXEC.EXE'] }),
    ), now);
    expect(verdict).toEqual({
      suppressed: true,
      matches: [{ exclusionId: 'scheduler', activityIds: ['a1'] }, { exclusionId: 'msp', activityIds: ['a2'] }],
      considered: ['scheduler', 'msp'],
    });
  });

  it('raises a device where one run came from the scheduler and another from a shell', () => {
    const verdict = evaluator.evaluate(hit, context(
      activity('a1', { 'process.parent.name': ['schtasks.exe'] }),
      activity('a2', { 'process.parent.name': ['cmd.exe'] }),
    ), now);
    expect(verdict.suppressed).toBe(false);
    expect(verdict.matches).toEqual([{ exclusionId: 'scheduler', activityIds: ['a1'] }]);
  });

  it('never suppresses a hit without activity, or without context at all', () => {
    expect(evaluator.evaluate(hit, context(), now)).toEqual({ suppressed: false, matches: [], considered: ['scheduler', 'msp'] });
    expect(evaluator.evaluate(hit, undefined, now).suppressed).toBe(false);
  });

  it('does not suppress an activity whose excluded field is missing', () => {
    const verdict = evaluator.evaluate(hit, context(activity('a1', { 'process.name': ['ammyy.exe'] })), now);
    expect(verdict.suppressed).toBe(false);
  });
});

describe('expiry and disabled exclusions', () => {
  const expiring = entries(`
  - id: ends-march
    description: temporary
    enabled: true
    expires: 2026-03-31
    when: {field: process.parent.name, equals: schtasks.exe}
  - id: switched-off
    description: disabled
    enabled: false
    when: {field: process.parent.name, equals: schtasks.exe}
`);
  const scheduled = context(activity('a1', { 'process.parent.name': ['schtasks.exe'] }));

  it('applies through the whole expiry day (UTC) and not a millisecond after', () => {
    const evaluator = createExclusionEvaluator(expiring, { warnShare: 1 });
    expect(evaluator.evaluate(hit, scheduled, new Date('2026-03-31T23:59:59.999Z')).suppressed).toBe(true);
    const after = evaluator.evaluate(hit, scheduled, new Date('2026-04-01T00:00:00.000Z'));
    expect(after).toEqual({ suppressed: false, matches: [], considered: [] });
  });

  it('warns about the expired and the disabled exclusion it ignored', () => {
    const evaluator = createExclusionEvaluator(expiring, { warnShare: 1 });
    evaluator.evaluate(hit, scheduled, new Date('2026-04-01T00:00:00Z'));
    expect(evaluator.warningsForRun([], 0)).toEqual([
      'exclusion "ends-march" expired after 2026-03-31 and was ignored',
      'exclusion "switched-off" is disabled and was ignored',
    ]);
  });

  it('reports an exclusion expired at load time even before any hit', () => {
    const evaluator = createExclusionEvaluator(expiring, { warnShare: 1, now: new Date('2026-05-01T00:00:00Z') });
    expect(evaluator.warningsForRun([], 0)[0]).toContain('"ends-march" expired');
    const fresh = createExclusionEvaluator(expiring, { warnShare: 1, now: new Date('2026-03-01T00:00:00Z') });
    expect(fresh.warningsForRun([], 0)).toEqual(['exclusion "switched-off" is disabled and was ignored']);
  });
});

describe('over-broad exclusion warnings', () => {
  const evaluator = createExclusionEvaluator(schedulerAndMsp, { warnShare: 0.4 });
  const scheduled = context(activity('a1', { 'process.parent.name': ['schtasks.exe'] }));
  const shell = context(activity('a1', { 'process.parent.name': ['cmd.exe'] }));

  it('name an exclusion that suppressed every hit', () => {
    const verdicts = [evaluator.evaluate(hit, scheduled, now), evaluator.evaluate(hit, scheduled, now)];
    expect(evaluator.warningsForRun(verdicts, 2)).toEqual([
      'exclusion "scheduler" suppressed every hit of the run (2 of 2); check it is not too broad',
    ]);
  });

  it('name an exclusion above the configured share, and not one at or below it', () => {
    const verdicts = [scheduled, scheduled, shell, shell].map((c) => evaluator.evaluate(hit, c, now));
    expect(evaluator.warningsForRun(verdicts, 4)).toEqual([
      'exclusion "scheduler" suppressed 2 of 4 hits (50%), more than the warning share of 40%; check it is not too broad',
    ]);
    const five = [scheduled, scheduled, shell, shell, shell].map((c) => evaluator.evaluate(hit, c, now));
    expect(evaluator.warningsForRun(five, 5)).toEqual([]);
  });

  it('does not count a match on a hit that was raised anyway', () => {
    const mixed = context(
      activity('a1', { 'process.parent.name': ['schtasks.exe'] }),
      activity('a2', { 'process.parent.name': ['cmd.exe'] }),
    );
    expect(evaluator.warningsForRun([evaluator.evaluate(hit, mixed, now)], 1)).toEqual([]);
  });

  it('rejects a share outside 0..1', () => {
    expect(() => createExclusionEvaluator([], { warnShare: 1.5 })).toThrow(/warnShare/);
  });
});

describe('risky conditions', () => {
  it('are named in every run: matching on absence, and includes outside user.group', () => {
    const evaluator = createExclusionEvaluator(entries(`
  - id: no-network
    description: never talked to anyone
    enabled: true
    when: {field: destination.ip, exists: false}
  - id: one-internal-peer
    description: any internal peer
    enabled: true
    when: {any: [{field: destination.ip, includes: 10.0.0.1}, {field: user.group, includes: IT Support}]}
`), { warnShare: 1 });
    expect(evaluator.warningsForRun([], 0)).toEqual([
      'exclusion "no-network" matches activities that lack destination.ip (exists: false): missing data can suppress through it',
      'exclusion "one-internal-peer" uses includes on destination.ip: one matching value excuses all the others; prefer equals, in or cidr',
    ]);
  });
});

describe('no exclusion file', () => {
  it('suppresses nothing', () => {
    const evaluator = createNoExclusionsEvaluator();
    const scheduled = context(activity('a1', { 'process.parent.name': ['schtasks.exe'] }));
    expect(evaluator.evaluate(hit, scheduled, now)).toEqual({ suppressed: false, matches: [], considered: [] });
    expect(evaluator.warningsForRun([], 0)).toEqual([]);
  });
});
