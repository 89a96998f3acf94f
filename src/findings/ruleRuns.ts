/**
 * The alerts the analytics rule would raise over a findings table: its query run at the times Sentinel runs it
 * (every RULE_FREQUENCY_MS), each result row turned into the alert Sentinel makes of it, with the entities and
 * custom details of the rule's mappings (./analyticsRule.ts). `hunter replay` shows these after a run. Pure: the
 * caller runs the query (the file infra/modules/findings.bicep loads) with the local evaluator.
 */
import { CUSTOM_DETAILS, ENTITY_MAPPINGS, RULE_FREQUENCY_MS } from './analyticsRule.js';

type Row = Readonly<Record<string, unknown>>;

export interface AlertEntity {
  readonly type: string;
  /** Identifier -> value, the identifiers with a value only. */
  readonly identifiers: Readonly<Record<string, string>>;
}

export interface RaisedAlert {
  /** The rule run that raises it. */
  readonly runAt: string;
  readonly findingId: string;
  readonly episodeId: string;
  readonly title: string;
  readonly severity: string;
  readonly entities: readonly AlertEntity[];
  readonly customDetails: Readonly<Record<string, unknown>>;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return value instanceof Date ? value.toISOString() : String(value);
}

/** The alert Sentinel makes of one result row: an entity for each mapping with at least one identifier value. */
export function alertFromRow(row: Row, runAt: Date): RaisedAlert {
  const entities: AlertEntity[] = [];
  for (const mapping of ENTITY_MAPPINGS) {
    const identifiers = Object.fromEntries(mapping.fieldMappings.map(({ identifier, columnName }) => [identifier, text(row[columnName])]).filter(([, value]) => value !== ''));
    if (Object.keys(identifiers).length > 0) entities.push({ type: mapping.entityType, identifiers });
  }
  return {
    runAt: runAt.toISOString(),
    findingId: text(row.FindingId),
    episodeId: text(row.EpisodeId),
    title: text(row.Title),
    severity: text(row.Severity),
    entities,
    customDetails: Object.fromEntries(Object.entries(CUSTOM_DETAILS).map(([key, column]) => [key, row[column] ?? null])),
  };
}

/**
 * The alerts of the rule runs from `first` to `last` (one every rule interval), from ONE evaluation of the rule's
 * query: a run at time t raises the findings due in (t - runEvery, t], so the query evaluated at `last` with `runEvery` spanning every run
 * returns each finding those runs raise, with its DueAt, and the run that raises it is the first at or after DueAt.
 * Linear in the findings, where evaluating run by run reads the whole table once per run (a 10,000-device replay has
 * about 143 paced runs).
 */
export async function raisedOverSpan(runQuery: (now: Date, runEvery: string) => Promise<readonly Row[]>, first: Date, last: Date): Promise<RaisedAlert[]> {
  const runs = Math.floor((last.getTime() - first.getTime()) / RULE_FREQUENCY_MS);
  const lastRun = first.getTime() + runs * RULE_FREQUENCY_MS;
  const rows = await runQuery(new Date(lastRun), `${((runs + 1) * RULE_FREQUENCY_MS) / 60_000}m`);
  const raised = rows.map((row, order) => {
    const due = row.DueAt instanceof Date ? row.DueAt.getTime() : first.getTime();
    const run = Math.max(0, Math.ceil((due - first.getTime()) / RULE_FREQUENCY_MS));
    return { alert: alertFromRow(row, new Date(first.getTime() + run * RULE_FREQUENCY_MS)), run, order };
  });
  return raised.sort((a, b) => a.run - b.run || a.order - b.order).map(({ alert }) => alert);
}

/** One line per entity, as the replay prints it: `Host HostName=wks-7 DnsDomain=contoso.local`. */
export function describeEntity(entity: AlertEntity): string {
  return `${entity.type} ${Object.entries(entity.identifiers).map(([identifier, value]) => `${identifier}=${value}`).join(' ')}`;
}
