/**
 * What `hunter replay` shows after a run with the file sink: the findings the run wrote (where, how many, of which
 * kind) and the alerts the analytics rule would raise over them, run by run, with their entities. The query is the
 * file infra/modules/findings.bicep deploys (infra/modules/findingsRule.kql), run by the local evaluator over
 * `<out>/tables`, which also holds the findings of earlier replays: the rule sees them all, as Sentinel would, and
 * the replay reports the alerts of this run's findings only.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { FindingsTableFile, tablesDir } from '../adapters/local/findingsTableFile.js';
import { localCatalogue } from '../adapters/local/localCatalogue.js';
import { openDataDir, withTableCache } from '../data/index.js';
import { ALERTS_PER_RULE_RUN, RULE_FREQUENCY_MS } from '../findings/analyticsRule.js';
import { MASS_DEPLOYMENT_REASON } from '../findings/massDeployment.js';
import { describeEntity, raisedOverSpan, type RaisedAlert } from '../findings/ruleRuns.js';
import { evaluate, parseDatetime } from '../kql/index.js';
import { replaceLetValues } from '../kql/queryText.js';
import { formatTable } from './format.js';
import { findAppRoot } from '../runtime/appRoot.js';

export const FINDINGS_RULE_QUERY_FILE = 'infra/modules/findingsRule.kql';
/** Alerts listed one per line on a terminal (--format json has them all), and those shown with their entities. */
const ALERTS_LISTED = 50;
const ALERTS_WITH_ENTITIES = 10;

/** Where the findings table of an output folder ends before a run: the run's findings are what follows. */
export interface FindingsMark {
  readonly file: string;
  readonly offset: number;
}

export function markFindings(outDir: string): FindingsMark {
  const file = new FindingsTableFile(tablesDir(outDir)).file;
  return { file, offset: existsSync(file) ? statSync(file).size : 0 };
}

export interface ReplayFindings {
  /** The findings table file. */
  readonly file: string;
  /** Findings this run wrote: device episodes opened, updates of open ones, mass deployment announcements. */
  readonly written: { readonly opened: number; readonly updates: number; readonly massDeployment: number };
  /** What the analytics rule would raise for them, rule run by rule run. */
  readonly alerts: RaisedAlert[];
  /**
   * Rule runs with more findings due (this run's and any other's) than Sentinel raises one by one: it raises 149 and
   * folds the rest into one summary alert.
   */
  readonly crowdedRuns: readonly { readonly runAt: string; readonly due: number }[];
}

interface WrittenFinding {
  readonly FindingId: string;
  readonly Sequence: number;
  readonly Reason: string;
  readonly AlertAfter: string;
}

/** The findings appended after `mark`, and the alerts of the rule runs from just after `now` until the last is due. */
export async function replayFindings(mark: FindingsMark, options: { readonly now: Date; readonly appRoot?: string }): Promise<ReplayFindings> {
  const written = appendedFindings(mark);
  const counts = {
    opened: written.filter((finding) => finding.Reason !== MASS_DEPLOYMENT_REASON && finding.Sequence === 0).length,
    updates: written.filter((finding) => finding.Reason !== MASS_DEPLOYMENT_REASON && finding.Sequence > 0).length,
    massDeployment: written.filter((finding) => finding.Reason === MASS_DEPLOYMENT_REASON).length,
  };
  if (written.length === 0) return { file: mark.file, written: counts, alerts: [], crowdedRuns: [] };
  // The repository the CLI runs from (the nearest host.json above this module), wherever the command was started.
  const query = readFileSync(path.join(options.appRoot ?? findAppRoot(import.meta.url), FINDINGS_RULE_QUERY_FILE), 'utf8');
  const tables = withTableCache(openDataDir(path.dirname(mark.file), localCatalogue));
  // ISO texts of one format: the greatest is the latest.
  const lastDueText = written.map((finding) => finding.AlertAfter).reduce((latest, due) => (due > latest ? due : latest));
  const lastDue = parseDatetime(lastDueText) ?? options.now.getTime();
  // The first run a minute after the findings were written, then one every rule interval until the last is due.
  const first = new Date(options.now.getTime() + 60_000);
  const last = new Date(Math.max(lastDue, options.now.getTime()) + 60_000 + RULE_FREQUENCY_MS);
  const ids = new Set(written.map((finding) => finding.FindingId));
  const runQuery = async (runAt: Date, runEvery: string) => (await evaluate(replaceLetValues(query, { runEvery }), { tables, now: runAt })).rows;
  const raised = await raisedOverSpan(runQuery, first, last);
  const perRun = new Map<string, number>();
  for (const alert of raised) perRun.set(alert.runAt, (perRun.get(alert.runAt) ?? 0) + 1);
  const crowdedRuns = [...perRun].filter(([, due]) => due > ALERTS_PER_RULE_RUN).map(([runAt, due]) => ({ runAt, due }));
  return { file: mark.file, written: counts, alerts: raised.filter((alert) => ids.has(alert.findingId)), crowdedRuns };
}

/** The whole lines appended to the findings table after the mark. */
function appendedFindings(mark: FindingsMark): WrittenFinding[] {
  if (!existsSync(mark.file)) return [];
  const size = statSync(mark.file).size;
  if (size <= mark.offset) return [];
  const buffer = Buffer.alloc(size - mark.offset);
  const fd = openSync(mark.file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, mark.offset);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString('utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as WrittenFinding);
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

export function describeFindings(findings: ReplayFindings): string {
  const { opened, updates, massDeployment } = findings.written;
  const total = opened + updates + massDeployment;
  if (total === 0) return `findings: none written this run (the findings table: ${findings.file})`;
  const kinds = [plural(opened, 'new episode'), plural(updates, 'update'), ...(massDeployment > 0 ? [plural(massDeployment, 'mass deployment announcement')] : [])];
  const lines = [`findings: ${plural(total, 'record')} written to ${findings.file} (${kinds.join(', ')})`];
  const { alerts } = findings;
  if (alerts.length === 0) {
    lines.push('the analytics rule would raise no alert for them');
    return lines.join('\n');
  }
  const runs = [...new Set(alerts.map((alert) => alert.runAt))];
  const span = runs.length === 1 ? `in the rule run at ${runs[0]}` : `over ${runs.length} rule runs, ${runs[0]} to ${runs.at(-1)}`;
  lines.push(`the analytics rule would raise ${plural(alerts.length, 'alert')} ${span} (Sentinel: each in the Defender portal's incident queue, grouped by episode):`);
  // Sentinel raises at most 150 alerts per run, the 150th summarising the rest: say so where a run would pass it.
  for (const { runAt, due } of findings.crowdedRuns) {
    lines.push(`warning: the rule run at ${runAt} has ${plural(due, 'finding')} due: Sentinel raises ${ALERTS_PER_RULE_RUN} of them and folds the other ${(due - ALERTS_PER_RULE_RUN).toLocaleString('en-US')} into one summary alert: those devices get no alert of their own`);
  }
  lines.push(formatTable(['rule run', 'alert', 'severity', 'episode'], alerts.slice(0, ALERTS_LISTED).map((alert) => [alert.runAt, alert.title, alert.severity, alert.episodeId])));
  if (alerts.length > ALERTS_LISTED) lines.push(`… and ${plural(alerts.length - ALERTS_LISTED, 'more alert')} (--format json lists them all)`);
  lines.push('entities:');
  for (const alert of alerts.slice(0, ALERTS_WITH_ENTITIES)) {
    lines.push(`  ${alert.title}`);
    for (const entity of alert.entities) lines.push(`    ${describeEntity(entity)}`);
  }
  if (alerts.length > ALERTS_WITH_ENTITIES) lines.push(`  (entities of the other ${plural(alerts.length - ALERTS_WITH_ENTITIES, 'alert')}: --format json)`);
  return lines.join('\n');
}
