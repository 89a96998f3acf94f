/**
 * The one composition root: settings in, a ready hunt out. The Function, `hunter run`,
 * `hunter replay` and the tests all build the hunter here, so they run the same pipeline.
 */
import { ConfigError, type HunterConfig } from '../config/loadConfig.js';
import type { Clock, Logger } from '../core/ports.js';
import { runHunt } from '../core/hunt.js';
import { RUN_TIME_BUDGET_MS, timeBudget } from '../core/runBudget.js';
import { dueRules, packLoad, packLoadWarning, type LastRun } from '../core/schedule.js';
import { mapWithConcurrency } from '../core/concurrency.js';
import { parseUtcDate } from '../kql/literals.js';
import { HuntRunFailed, type RunReport } from '../core/report.js';
import { errorMessage } from '../core/errors.js';
import { loadRule, resolveFromRoot } from '../rules/load.js';
import type { HuntRule } from '../rules/rule.js';
import { RulePathError, ruleFilesOf } from '../rules/ruleFiles.js';
import { CallLog } from '../adapters/callLog.js';
import { createIncidentRenderer } from '../incidents/index.js';
import { createContextEnricher } from '../context/index.js';
import { backendQuotas, buildQueryBackend } from './queryBackend.js';
import { CallBudgets, describeQuota, type CallBudget } from '../budget/callBudget.js';
import { withCallBudget } from '../budget/budgetedBackend.js';
import type { HuntProgress, RunBudget, StateStore } from '../core/ports.js';
import { buildIncidentSink } from './incidentSink.js';
import { buildStateStore } from './stateStore.js';
import { buildExclusions } from './exclusions.js';
import { createCredentialFactory } from './credential.js';
import { sentinelIncidentLink } from './incidentLinks.js';
import type { AzureAccess, AzureAccessOverrides } from './azureAccess.js';
import { RunRecorder } from './runRecords.js';

export interface HunterRuntime {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Relative paths in settings (rule, exclusions, local data, output) resolve from here. */
  readonly appRoot: string;
  readonly azure?: AzureAccessOverrides;
  /** Call budgets shared beyond this hunter (the Function keeps one set per process); default: this hunter's own. */
  readonly callBudgets?: CallBudgets;
  /** Told how far each run has got (a terminal line, the Function's log). */
  readonly progress?: HuntProgress;
}

/**
 * One rule's run: its report, and what it threw if it failed (a failed hit leaves a report, other failures none);
 * or why it did not run this time (`notDue`: its queryFrequency has not passed; `deferred`: the backend's quota
 * left no room for it now). A skipped rule neither failed nor lost anything: it stays due.
 */
export interface RuleRun {
  readonly rule: HuntRule;
  readonly report?: RunReport;
  readonly error?: unknown;
  readonly skipped?: 'notDue' | 'deferred';
}

export interface RunOptions {
  /** The Function's timer: run only the rules that are due, as far as the backend's quota allows. Default (the CLI): every rule. */
  readonly scheduled?: boolean;
}

export interface Hunter {
  /** The enabled rules (RULE_PATH), in the order they run. */
  readonly rules: readonly HuntRule[];
  /** Set when the enabled rules' queries at their frequencies overrun the backend's quota's headroom (logged as a warning). */
  readonly packWarning: string | undefined;
  /** Runs the rules once each, one after the other; a rule that fails never stops the others. */
  run(options?: RunOptions): Promise<readonly RuleRun[]>;
}

/** One rule's hunt over the shared backend, state and budget; throws HuntRunFailed (with the report) when a hit could not be completed. */
interface RuleHunter {
  readonly rule: HuntRule;
  /** The queries a run plans: the hunt, and one context batch when the rule has a context query. */
  readonly queriesPerRun: number;
  run(budget: RunBudget, scheduledAt: Date): Promise<RunReport>;
}

/** What buildHunter makes once for the run records and the hunters alike. */
interface Shared extends Omit<AzureAccess, 'callLog'> {
  readonly fromRoot: (file: string) => string;
}

/** What the enabled rules share: their hunters, the state store, the backend's call budget. */
interface Assembled {
  readonly hunters: readonly RuleHunter[];
  readonly state: StateStore;
  readonly callBudget: CallBudget;
  readonly packWarning: string | undefined;
}

/**
 * Every run, and every failure to get as far as a run, leaves one run record (docs/operations.md): written after
 * the run, whatever its outcome, and never a reason for the run to fail.
 */
export async function buildHunter(config: HunterConfig, runtime: HunterRuntime): Promise<Hunter> {
  const fromRoot = (file: string) => resolveFromRoot(runtime.appRoot, file);
  // One credential factory for the run records and the hunt: one identity, one token cache per invocation.
  const azure = { credentials: createCredentialFactory(config.settings, runtime.azure?.credential), pipelineOptions: runtime.azure?.pipelineOptions };
  const recorder = RunRecorder.fromSettings(config.settings, { azure, logger: runtime.logger, clock: runtime.clock, fromRoot });
  const { hunters, state, callBudget, packWarning } = await recorder.recordingFailure(() => assembleHunters(config, runtime, { ...azure, fromRoot }));
  recorder.enable(hunters.map((hunter) => hunter.rule));
  return {
    rules: hunters.map((hunter) => hunter.rule),
    packWarning,
    run: async (options = {}) => {
      // One time budget for the invocation: the host's functionTimeout ends all rules' work, not each rule's.
      const budget = timeBudget();
      const scheduledAt = runtime.clock.now();
      const runs: RuleRun[] = [];
      let toRun = hunters;
      if (options.scheduled) {
        const due = dueRules(
          hunters.map((hunter) => ({ id: hunter.rule.id, queryFrequencyMs: hunter.rule.queryFrequencyMs, queriesPerRun: hunter.queriesPerRun, hunter })),
          await lastRuns(state, hunters),
          scheduledAt,
        ).map(({ hunter }) => hunter);
        const dueSet = new Set(due);
        for (const hunter of hunters) if (!dueSet.has(hunter)) runs.push({ rule: hunter.rule, skipped: 'notDue' });
        toRun = due;
      }
      for (const [i, hunter] of toRun.entries()) {
        // The rest wait for the next invocation (still due, most overdue first) rather than for an hour's quota.
        if (options.scheduled && callBudget.room(RUN_TIME_BUDGET_MS) < hunter.queriesPerRun) {
          for (const deferred of toRun.slice(i)) runs.push({ rule: deferred.rule, skipped: 'deferred' });
          break;
        }
        try {
          runs.push({ rule: hunter.rule, report: await recorder.recorded(hunter.rule, () => hunter.run(budget, scheduledAt)) });
        } catch (error) {
          runs.push({ rule: hunter.rule, error, ...(error instanceof HuntRunFailed && { report: error.report }) });
        }
      }
      return runs;
    },
  };
}

/**
 * Each rule's last run, from its most recent run report. A rule whose reports cannot be read counts as due:
 * its run then fails with the store's error, as any run would.
 */
async function lastRuns(state: StateStore, hunters: readonly RuleHunter[]): Promise<Map<string, LastRun>> {
  const found = await mapWithConcurrency(hunters, 8, async ({ rule }) => {
    try {
      const [report] = await state.listRunReports(rule.id, 1);
      // An unreadable time counts as never run: due.
      const scheduledAt = report && parseUtcDate(report.scheduledAt ?? report.startedAt);
      return report && scheduledAt ? ([rule.id, { scheduledAt, completed: report.status === 'succeeded' }] as const) : undefined;
    } catch {
      return undefined;
    }
  });
  return new Map(found.filter((entry) => entry !== undefined));
}

/** RULE_PATH's files; a path that names none is a settings problem that names the setting. */
function enabledRuleFiles(rulePath: string, fromRoot: (file: string) => string): string[] {
  try {
    return ruleFilesOf(rulePath, fromRoot);
  } catch (error) {
    if (error instanceof RulePathError) throw new ConfigError([`RULE_PATH: ${error.message} (got ${JSON.stringify(rulePath)})`]);
    throw error;
  }
}

/**
 * The enabled rules (RULE_PATH: rule files or folders) over one backend, one state store and one call budget:
 * the backend's quota is the tenant's, whatever rule spends it. Each rule has its own sink (the sink words and
 * groups by its rule), its own count of queries and its own slice of the service calls for its run report.
 */
async function assembleHunters(config: HunterConfig, runtime: HunterRuntime, shared: Shared): Promise<Assembled> {
  const { settings } = config;
  const { fromRoot } = shared;
  const rules = loadRules(enabledRuleFiles(settings.RULE_PATH, fromRoot));
  const callLog = new CallLog();
  const azure: AzureAccess = { credentials: shared.credentials, pipelineOptions: shared.pipelineOptions, callLog };
  const exclusionsFor = await buildExclusions(settings, { now: runtime.clock.now(), fromRoot, logger: runtime.logger }, rules);
  const budget = (runtime.callBudgets ?? new CallBudgets()).for(settings.QUERY_BACKEND, backendQuotas(settings));
  const sharedBackend = await buildQueryBackend(settings, { clock: runtime.clock, azure, fromRoot });
  const state = await buildStateStore(config, azure);
  const incidentLink = sentinelIncidentLink(settings);
  const queriesPerRun = (rule: HuntRule) => 1 + (rule.contextQuery === undefined ? 0 : 1);
  const loads = packLoad(
    rules.map((rule) => ({ id: rule.id, queryFrequencyMs: rule.queryFrequencyMs, queriesPerRun: queriesPerRun(rule) })),
    budget.quotas.map((quota) => ({ calls: quota.calls, perMs: quota.perMs, text: describeQuota(quota) })),
  );
  const packWarning = packLoadWarning(loads, rules.length);
  if (packWarning !== undefined) runtime.logger.warn(packWarning, { backend: settings.QUERY_BACKEND });
  const hunters = rules.map((rule): RuleHunter => {
    const backend = withCallBudget(sharedBackend, budget);
    const { sink, textLimits } = buildIncidentSink(settings, { rule, azure, logger: runtime.logger, clock: runtime.clock, fromRoot });
    const enricher = rule.contextQuery === undefined ? undefined : createContextEnricher(backend, { maxBatchSize: settings.CONTEXT_BATCH_SIZE, logger: runtime.logger });
    const exclusions = exclusionsFor(rule);
    const renderer = createIncidentRenderer({ defenderPortalUrl: settings.DEFENDER_PORTAL_URL, limits: textLimits, ...(incidentLink ? { incidentLink } : {}) });
    return {
      rule,
      queriesPerRun: queriesPerRun(rule),
      run: (budget, scheduledAt) => {
        // Rules run one after the other: the calls logged from here on are this rule's.
        const firstCall = callLog.entries().length;
        return runHunt(
          {
            backend,
            state,
            sink,
            renderer,
            enricher,
            exclusions,
            clock: runtime.clock,
            logger: runtime.logger,
            serviceCalls: () => callLog.entries().slice(firstCall),
            backendCalls: () => backend.usage(),
            budget,
            ...(runtime.progress && { progress: runtime.progress }),
          },
          {
            rule,
            dryRun: settings.DRY_RUN,
            runReportRetentionDays: settings.RUN_REPORT_RETENTION_DAYS,
            scheduledAt,
            ...(packWarning !== undefined && { scheduleWarnings: [packWarning] }),
          },
        );
      },
    };
  });
  return { hunters, state, callBudget: budget, packWarning };
}

/** Every rule file, loaded; two files with one rule id would share its watermark and run reports, so that is refused. */
function loadRules(files: readonly string[]): HuntRule[] {
  const rules = files.map((file) => loadRule(file));
  const byId = new Map<string, HuntRule>();
  for (const rule of rules) {
    const other = byId.get(rule.id);
    if (other) throw new Error(`RULE_PATH: ${other.sourcePath} and ${rule.sourcePath} have the same rule id ${rule.id}; enable one of them`);
    byId.set(rule.id, rule);
  }
  return rules;
}

/**
 * What a run of several rules failed with: the one rule's error as it was thrown, or, when several
 * rules failed, one error naming each (their errors as its `errors`); undefined when every rule succeeded.
 */
export function failureOf(runs: readonly RuleRun[]): unknown {
  const failed = runs.filter((run) => run.error !== undefined);
  if (failed.length === 0) return undefined;
  if (failed.length === 1) return failed[0]!.error;
  const lines = failed.map((run) => `${run.rule.sourcePath}: ${errorMessage(run.error)}`);
  return new AggregateError(
    failed.map((run) => run.error),
    `${failed.length} of ${runs.length} rules failed:\n${lines.join('\n')}`,
  );
}
