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

/** Runs the rule at `first`, then every rule interval up to `last` (inclusive), collecting what each run raises. */
export async function simulateRuleRuns(runQuery: (now: Date) => Promise<readonly Row[]>, first: Date, last: Date): Promise<RaisedAlert[]> {
  const alerts: RaisedAlert[] = [];
  for (let time = first.getTime(); time <= last.getTime(); time += RULE_FREQUENCY_MS) {
    const runAt = new Date(time);
    for (const row of await runQuery(runAt)) alerts.push(alertFromRow(row, runAt));
  }
  return alerts;
}

/** One line per entity, as the replay prints it: `Host HostName=wks-7 DnsDomain=contoso.local`. */
export function describeEntity(entity: AlertEntity): string {
  return `${entity.type} ${Object.entries(entity.identifiers).map(([identifier, value]) => `${identifier}=${value}`).join(' ')}`;
}
