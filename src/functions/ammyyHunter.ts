import { app, type InvocationContext, type Timer } from '@azure/functions';
import { loadConfig } from '../config/loadConfig.js';
import { buildHunter, failureOf } from '../compose/buildHunter.js';
import { errorMessage } from '../core/errors.js';
import type { AzureAccessOverrides } from '../compose/azureAccess.js';
import { CallBudgets } from '../budget/callBudget.js';
import type { Clock, Logger } from '../core/ports.js';
import { systemClock } from '../runtime/clock.js';
import { findAppRoot } from '../runtime/appRoot.js';
import { withData } from '../runtime/logger.js';
import { intervalProgressLog } from '../runtime/progress.js';

export interface TimerHandlerDependencies {
  /** App settings; read once per invocation, so a changed setting applies to the next run. */
  readonly env: () => Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  /** Folder the rule and exclusion paths are relative to (the app root in Azure). */
  readonly appRoot: string;
  /** Tests point the real Azure clients at loopback servers with their own token and CA. */
  readonly azure?: AzureAccessOverrides;
  /** The backend's call quota is per tenant: one budget for every run of this process. Default: a new one per handler. */
  readonly callBudgets?: CallBudgets;
}

/** Builds the timer handler; tests pass their own settings and clock. */
export function createTimerHandler(dependencies: TimerHandlerDependencies) {
  const callBudgets = dependencies.callBudgets ?? new CallBudgets();
  return async function ammyyHunter(timer: Timer, context: InvocationContext): Promise<void> {
    context.log(`ammyyHunter invoked (isPastDue=${timer.isPastDue}, retry=${context.retryContext?.retryCount ?? 0})`);
    // Fails before any query when a setting is bad, naming every bad setting at once.
    const config = loadConfig(dependencies.env());
    const hunter = await buildHunter(config, {
      clock: dependencies.clock,
      logger: invocationLogger(context),
      appRoot: dependencies.appRoot,
      callBudgets,
      // A mass deployment's run takes minutes: say how far it is, at most every 30 s.
      progress: intervalProgressLog((line) => context.log(line)),
      ...(dependencies.azure ? { azure: dependencies.azure } : {}),
    });
    // Only the rules whose queryFrequency has passed, as far as the backend's quota allows (docs/rules.md).
    const runs = await hunter.run({ scheduled: true });
    const deferred = runs.filter((run) => run.skipped === 'deferred').map((run) => run.rule.name);
    if (deferred.length > 0) context.warn(`ammyyHunter deferred ${deferred.length} due rule(s) to the next invocation: the backend's quota has no room for them now (${deferred.join(', ')})`);
    for (const { rule, report, error, skipped } of runs) {
      if (skipped) {
        context.log(`ammyyHunter skipped: ${rule.name}, ${skipped === 'notDue' ? 'not due (its queryFrequency has not passed)' : 'deferred to the next invocation (quota)'}`);
      } else if (report) {
        context.log(
          `ammyyHunter ${report.status}: ${rule.name}, window ${report.window.start}..${report.window.end}, ` +
            `${report.hits} hit(s), ${report.created.length} created, ${report.updated.length} updated, ` +
            `${report.suppressed.length} suppressed, ${report.unchanged} unchanged`,
        );
      } else {
        context.error(`ammyyHunter ${rule.name}: failed before its report: ${errorMessage(error)}`);
      }
    }
    // Every rule ran; a failure of any fails the invocation so the host retries it (the rules that
    // succeeded find their devices unchanged on the retry).
    const failure = failureOf(runs);
    if (failure !== undefined) throw failure;
  };
}

function invocationLogger(context: InvocationContext): Logger {
  return {
    info: (message, data) => context.log(withData(message, data)),
    warn: (message, data) => context.warn(withData(message, data)),
    error: (message, data) => context.error(withData(message, data)),
  };
}

export const ammyyHunter = createTimerHandler({ env: () => process.env, clock: systemClock, appRoot: findAppRoot(import.meta.url) });

app.timer('ammyyHunter', {
  schedule: '%HUNT_SCHEDULE%',
  runOnStartup: false,
  // A failed run (throttling, a transient outage) is retried without advancing the watermark;
  // the next scheduled run would cover the window too, the retry just shortens the delay.
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 3, minimumInterval: { seconds: 30 }, maximumInterval: { minutes: 10 } },
  handler: ammyyHunter,
});
