/**
 * A mass deployment (an attacker pushing the tool to every workstation) gives each device its own alert, paced over
 * the analytics rule's runs (./pacing.ts), so the last one can come hours after the first. The SOC must know at
 * once: as soon as a hunter run has more findings than one rule run raises one by one, the findings sink also
 * writes one mass deployment finding, due at once, grouped into its own incident (its own EpisodeId), that says how
 * many devices, names them (as many as fit, and a hunting query that lists them all from the findings table) and
 * when the last paced alert is due. As the run goes on it is written again (the next Sequence of the same episode)
 * whenever the count has doubled since, so its incident follows the run without one alert per batch.
 */
import { ALERT_DESCRIPTION_BYTES, fitBytes, fitList, type FindingRecord } from './findingRecord.js';
import { FINDINGS_TABLE_NAME } from './findingsTable.js';
import { FINDINGS_PER_SLOT, RULE_FREQUENCY_MS } from './analyticsRule.js';
import { kqlDatetime, kqlString } from '../kql/queryText.js';
import type { Severity } from '../core/model.js';
import { trimTrailing } from '../text/trimTrailing.js';

export const MASS_DEPLOYMENT_REASON = 'massDeployment';

interface RuleFacts {
  readonly id: string;
  readonly name: string;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
}

const MASS_SEVERITY: Severity = 'High';

/** Follows one hunter run's findings and says when to announce it as a mass deployment. */
export class MassDeploymentTracker {
  private readonly devices = new Map<string, string>();
  private rule: RuleFacts | undefined;
  private startedAt: Date | undefined;
  private announcedCount = 0;
  private sequence = 0;

  /** Notes the devices of findings just written. */
  add(rule: RuleFacts, records: readonly Pick<FindingRecord, 'DeviceId' | 'DeviceName'>[], now: Date): void {
    this.rule ??= rule;
    this.startedAt ??= now;
    for (const record of records) if (!this.devices.has(record.DeviceId)) this.devices.set(record.DeviceId, record.DeviceName);
  }

  /**
   * The record to write now, if any: when the run's findings no longer fit one rule run (more than one pacing
   * slot), first, then again each time the count has doubled since the last announcement that was written.
   */
  announcement(now: Date, findingsSoFar: number, lastDue: Date | undefined, defenderPortalUrl: string): FindingRecord | undefined {
    if (this.rule === undefined || this.startedAt === undefined || findingsSoFar <= FINDINGS_PER_SLOT) return undefined;
    if (this.announcedCount > 0 && this.devices.size < 2 * this.announcedCount) return undefined;
    return massDeploymentRecord({
      rule: this.rule,
      startedAt: this.startedAt,
      sequence: this.sequence,
      devices: [...this.devices].map(([id, name]) => ({ id, name })),
      lastDue: lastDue ?? now,
      writtenAt: now,
      defenderPortalUrl,
    });
  }

  /** The announcement was accepted: the next one waits until the count has doubled. */
  announced(record: FindingRecord): void {
    this.announcedCount = record.DeviceCount;
    this.sequence += 1;
  }
}

export interface MassDeploymentFacts {
  readonly rule: RuleFacts;
  /** When the run wrote its first finding: names the episode, so every announcement of the run groups together. */
  readonly startedAt: Date;
  readonly sequence: number;
  readonly devices: readonly { readonly id: string; readonly name: string }[];
  /** When the last paced alert of the run is due. */
  readonly lastDue: Date;
  readonly writtenAt: Date;
  readonly defenderPortalUrl: string;
}

export function massDeploymentRecord(facts: MassDeploymentFacts): FindingRecord {
  const { rule, devices } = facts;
  const episodeId = `mass-deployment:${rule.id}:${facts.startedAt.toISOString()}`;
  const listed = fitList(devices.map((device) => ({ DeviceName: fitBytes(device.name, 300, '…'), DeviceId: fitBytes(device.id, 100, '…') })), 0);
  const count = devices.length.toLocaleString('en-US');
  const huntingQuery = [
    FINDINGS_TABLE_NAME,
    `| where TimeGenerated >= ${kqlDatetime(facts.startedAt)} and RuleId == ${kqlString(rule.id)} and Reason != ${kqlString(MASS_DEPLOYMENT_REASON)}`,
    '| summarize arg_min(TimeGenerated, *) by DeviceId',
    '| project DeviceName, DeviceId, EpisodeId, FirstSeen, AlertAfter',
    '| sort by DeviceName asc',
  ].join('\n');
  const minutes = Math.max(0, Math.round((facts.lastDue.getTime() - facts.writtenAt.getTime()) / 60_000));
  const opening = [
    `**Mass deployment.** One hunter run found ${rule.name} on **${count} devices** (since ${facts.startedAt.toISOString()}), more than the analytics rule raises one by one in a run.`,
    `Every device still gets its own alert with its entities: they are raised ${FINDINGS_PER_SLOT} every ${RULE_FREQUENCY_MS / 60_000} minutes, the last due at ${facts.lastDue.toISOString()} (in about ${minutes} minutes). This alert is updated as the count doubles.`,
    '',
    'List every device of this run (Log Analytics):',
    '```kusto',
    huntingQuery,
    '```',
    '',
    `Devices so far (${count}):`,
  ].join('\n');
  // The device names fill what is left of the 5 KB description, then say how many more there are.
  const more = (left: number) => ` and ${left.toLocaleString('en-US')} more (the query above lists them all)`;
  let names = '';
  let shown = 0;
  for (const device of listed.items) {
    const next = `${names}${shown === 0 ? '' : ', '}\`${device.DeviceName}\``;
    if (Buffer.byteLength(`${opening}\n${next}${more(devices.length)}`, 'utf8') > ALERT_DESCRIPTION_BYTES) break;
    names = next;
    shown += 1;
  }
  const description = `${opening}\n${names}${shown < devices.length ? more(devices.length - shown) : ''}`;
  return {
    TimeGenerated: facts.writtenAt.toISOString(),
    FindingId: `${episodeId}:${facts.sequence}`,
    EpisodeId: episodeId,
    Sequence: facts.sequence,
    Reason: MASS_DEPLOYMENT_REASON,
    PreviousEpisodeId: '',
    RuleId: rule.id,
    RuleName: rule.name,
    Severity: MASS_SEVERITY,
    Tactics: rule.tactics,
    Techniques: rule.techniques,
    Title: fitBytes(`Mass deployment: ${rule.name} on ${count} devices`, 256, '…'),
    Description: description,
    UpdateMarkdown: '',
    WhatIsNew: `${count} devices so far; last paced alert due ${facts.lastDue.toISOString()}`,
    DeviceId: '',
    DeviceName: '',
    HostName: '',
    HostDnsDomain: '',
    FirstSeen: facts.startedAt.toISOString(),
    LastSeen: facts.writtenAt.toISOString(),
    ReportIds: [],
    ReportIdCount: 0,
    NewReportIds: [],
    Files: [],
    Processes: [],
    Accounts: [],
    Destinations: [],
    LeftOut: { Files: 0, Processes: 0, Accounts: 0, Destinations: 0, ReportIds: 0 },
    RedFlags: [`${count} devices in one run: a software-deployment tool or GPO may be spreading remote access software.`],
    ContextComplete: true,
    DeviceUrl: `${trimTrailing(facts.defenderPortalUrl, '/')}/machines`,
    HuntingQuery: huntingQuery,
    DeviceCount: devices.length,
    Devices: listed.items,
    AlertAfter: facts.writtenAt.toISOString(),
  };
}
