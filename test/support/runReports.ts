import type { RunReport } from '../../src/core/report.js';

/** A run report with every list empty: tests set what they need. */
export function testRunReport(overrides: Partial<RunReport> = {}): RunReport {
  const startedAt = overrides.startedAt ?? '2026-11-20T12:00:00.000Z';
  return {
    runId: 'run-1',
    ruleId: 'rule-x',
    ruleName: 'rule x',
    groupId: overrides.ruleId ?? 'rule-x',
    backend: 'local',
    sink: 'memory',
    dryRun: false,
    status: 'succeeded',
    startedAt,
    finishedAt: startedAt,
    window: { start: '2026-11-15T12:00:00.000Z', end: '2026-11-20T11:45:00.000Z', firstRun: false },
    watermark: undefined,
    rows: 0,
    hits: 0,
    created: [],
    updated: [],
    suppressed: [],
    unchanged: 0,
    failures: [],
    parked: [],
    rejectedRows: [],
    contextIncomplete: [],
    deferred: 0,
    warnings: [],
    durationsMs: {},
    calls: [],
    ...overrides,
  };
}
