/**
 * The one composition root: settings in, a ready hunt out. The Function, `hunter run`,
 * `hunter replay` and the tests all build the hunter here, so they run the same pipeline.
 */
import type { HunterConfig } from '../config/loadConfig.js';
import type { Clock, Logger } from '../core/ports.js';
import { runHunt } from '../core/hunt.js';
import { timeBudget } from '../core/runBudget.js';
import type { RunReport } from '../core/report.js';
import { loadRule, resolveFromRoot } from '../rules/load.js';
import type { HuntRule } from '../rules/rule.js';
import { CallLog } from '../adapters/callLog.js';
import { createIncidentRenderer } from '../incidents/index.js';
import { createContextEnricher } from '../context/index.js';
import { backendQuotas, buildQueryBackend } from './queryBackend.js';
import { CallBudgets } from '../budget/callBudget.js';
import { withCallBudget } from '../budget/budgetedBackend.js';
import type { HuntProgress } from '../core/ports.js';
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

export interface Hunter {
  readonly rule: HuntRule;
  /** One hunt; throws HuntRunFailed (with the report) when a hit could not be completed. */
  run(): Promise<RunReport>;
}

/**
 * Every run, and every failure to get as far as a run, leaves one run record (docs/operations.md): written after
 * the run, whatever its outcome, and never a reason for the run to fail.
 */
export async function buildHunter(config: HunterConfig, runtime: HunterRuntime): Promise<Hunter> {
  const fromRoot = (file: string) => resolveFromRoot(runtime.appRoot, file);
  const azure = { credentials: createCredentialFactory(config.settings, runtime.azure?.credential), pipelineOptions: runtime.azure?.pipelineOptions };
  const recorder = RunRecorder.fromSettings(config.settings, { azure, logger: runtime.logger, clock: runtime.clock, fromRoot });
  const hunter = await recorder.recordingFailure(() => assembleHunter(config, runtime));
  return { rule: hunter.rule, run: () => recorder.recorded(hunter.rule, () => hunter.run()) };
}

async function assembleHunter(config: HunterConfig, runtime: HunterRuntime): Promise<Hunter> {
  const { settings } = config;
  const fromRoot = (file: string) => resolveFromRoot(runtime.appRoot, file);
  const rule = loadRule(fromRoot(settings.RULE_PATH));
  const callLog = new CallLog();
  const azure: AzureAccess = {
    credentials: createCredentialFactory(settings, runtime.azure?.credential),
    pipelineOptions: runtime.azure?.pipelineOptions,
    callLog,
  };
  const exclusions = await buildExclusions(settings, { now: runtime.clock.now(), fromRoot, logger: runtime.logger });
  const budget = (runtime.callBudgets ?? new CallBudgets()).for(settings.QUERY_BACKEND, backendQuotas(settings));
  const backend = withCallBudget(await buildQueryBackend(settings, { clock: runtime.clock, azure, fromRoot }), budget);
  const { sink, textLimits } = buildIncidentSink(settings, { rule, azure, logger: runtime.logger, clock: runtime.clock, fromRoot });
  const state = await buildStateStore(config, azure);
  const enricher = rule.contextQuery === undefined ? undefined : createContextEnricher(backend, { maxBatchSize: settings.CONTEXT_BATCH_SIZE, logger: runtime.logger });
  const incidentLink = sentinelIncidentLink(settings);
  const renderer = createIncidentRenderer({ defenderPortalUrl: settings.DEFENDER_PORTAL_URL, limits: textLimits, ...(incidentLink ? { incidentLink } : {}) });
  return {
    rule,
    run: () =>
      runHunt(
        {
          backend,
          state,
          sink,
          renderer,
          enricher,
          exclusions,
          clock: runtime.clock,
          logger: runtime.logger,
          serviceCalls: () => callLog.entries(),
          backendCalls: () => backend.usage(),
          budget: timeBudget(),
          ...(runtime.progress && { progress: runtime.progress }),
        },
        { rule, dryRun: settings.DRY_RUN, runReportRetentionDays: settings.RUN_REPORT_RETENTION_DAYS },
      ),
  };
}
