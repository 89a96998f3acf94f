/**
 * What `hunter replay` shows after a run with the file sink: the alerts the analytics rule would raise over the
 * findings the run wrote, run by run, with their entities. The query is the file infra/modules/findings.bicep
 * deploys (infra/modules/findingsRule.kql), run by the local evaluator over `<out>/tables`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FindingsTableFile, tablesDir } from '../adapters/local/findingsTableFile.js';
import { localCatalogue } from '../adapters/local/localCatalogue.js';
import { openDataDir, withTableCache } from '../data/index.js';
import { RULE_FREQUENCY_MS } from '../findings/analyticsRule.js';
import { FINDINGS_TABLE_NAME } from '../findings/findingsTable.js';
import { describeEntity, simulateRuleRuns, type RaisedAlert } from '../findings/ruleRuns.js';
import { evaluate } from '../kql/index.js';
import { kqlDatetime } from '../kql/queryText.js';
import { formatTable } from './format.js';
import { findAppRoot } from '../runtime/appRoot.js';

export const FINDINGS_RULE_QUERY_FILE = 'infra/modules/findingsRule.kql';

/** The alerts of the rule runs from just after `now` until the last finding written at or after `now` is due. */
export async function alertsTheRuleWouldRaise(options: { readonly outDir: string; readonly now: Date; readonly appRoot?: string }): Promise<RaisedAlert[]> {
  const dir = tablesDir(options.outDir);
  if (!existsSync(new FindingsTableFile(dir).file)) return [];
  // The repository the CLI runs from (the nearest host.json above this module), wherever the command was started.
  const query = readFileSync(path.join(options.appRoot ?? findAppRoot(import.meta.url), FINDINGS_RULE_QUERY_FILE), 'utf8');
  const tables = withTableCache(openDataDir(dir, localCatalogue));
  const since = kqlDatetime(options.now);
  const last = await evaluate(`${FINDINGS_TABLE_NAME} | where ingestion_time() >= ${since} | summarize Last = max(AlertAfter)`, { tables, now: options.now });
  const lastDue = last.rows[0]?.Last;
  if (!(lastDue instanceof Date)) return [];
  // The first run a minute after the findings were written, then one every rule interval until the last is due.
  const first = new Date(options.now.getTime() + 60_000);
  const until = new Date(Math.max(lastDue.getTime(), options.now.getTime()) + 60_000);
  return simulateRuleRuns(async (runAt) => (await evaluate(query, { tables, now: runAt })).rows, first, new Date(until.getTime() + RULE_FREQUENCY_MS));
}

export function describeAlerts(alerts: readonly RaisedAlert[]): string {
  if (alerts.length === 0) return 'the analytics rule would raise no alert (no new findings)';
  const runs = new Set(alerts.map((alert) => alert.runAt)).size;
  const lines = [`the analytics rule would raise ${alerts.length} alert(s) over ${runs} rule run(s):`];
  lines.push(formatTable(['rule run', 'alert', 'severity', 'episode'], alerts.map((alert) => [alert.runAt, alert.title, alert.severity, alert.episodeId])));
  for (const alert of alerts.slice(0, 20)) {
    lines.push(`  ${alert.title}`);
    for (const entity of alert.entities) lines.push(`    ${describeEntity(entity)}`);
  }
  if (alerts.length > 20) lines.push(`  (entities of the other ${alerts.length - 20} alerts: --format json)`);
  return lines.join('\n');
}
