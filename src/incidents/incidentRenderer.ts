/**
 * The incident a SOC analyst triages from alone: what was found, why it matters, the evidence,
 * what was ruled out, a query to dig further and a checklist. Sizes are kept within Sentinel's
 * limits by showing fewer items per list (each list says how many it left out), never by cutting text.
 */
import type { EnrichedHit, IncidentComment, IncidentDraft } from '../core/model.js';
import type { IncidentEpisode, IncidentRenderer } from '../core/ports.js';
import type { HuntRule } from '../rules/rule.js';
import { deviceHuntingQuery } from './deviceHuntingQuery.js';
import { destinationLines, fileHashLines, processLines, type EvidenceCaps } from './evidence.js';
import { exclusionLines } from './exclusionsSection.js';
import { sentinelSizeLimits, type IncidentSizeLimits } from './limits.js';
import { code, formatCount, formatTime, plain, summarisedList } from './markdown.js';
import { evidenceUsers, redFlagLines } from './redFlags.js';
import { triageChecklist } from './triageChecklist.js';

export interface IncidentRendererOptions {
  /** e.g. https://security.microsoft.com (DEFENDER_PORTAL_URL). */
  readonly defenderPortalUrl: string;
  /** Link to another incident (the previous episode); without it the incident id is shown. */
  readonly incidentLink?: (incidentId: string) => string | undefined;
  readonly limits?: IncidentSizeLimits;
}

interface Caps extends EvidenceCaps {
  readonly reportIds: number;
}

// Tried in order until the text fits; the last one keeps only counts, which always fits.
const CAP_LEVELS: readonly Caps[] = [
  { items: 25, valueChars: 300, reportIds: 100 },
  { items: 10, valueChars: 200, reportIds: 40 },
  { items: 5, valueChars: 120, reportIds: 15 },
  { items: 3, valueChars: 80, reportIds: 5 },
  { items: 1, valueChars: 60, reportIds: 2 },
  { items: 0, valueChars: 40, reportIds: 0 },
];

export const incidentLabels = (rule: HuntRule): readonly string[] => ['RMM', 'Ammyy', 'T1219', rule.id];

export function createIncidentRenderer(options: IncidentRendererOptions): IncidentRenderer {
  const limits = options.limits ?? sentinelSizeLimits;
  const portal = options.defenderPortalUrl.replace(/\/+$/, '');
  const deviceUrl = (deviceId: string) => `${portal}/machines/${encodeURIComponent(deviceId)}`;
  const incidentReference = (incidentId: string) => {
    const link = options.incidentLink?.(incidentId);
    return link ? `[${incidentId}](${link})` : code(incidentId);
  };

  function fitted(maxChars: number, render: (caps: Caps) => string): string {
    for (const caps of CAP_LEVELS) {
      const text = render(caps);
      if (text.length <= maxChars) return text;
    }
    throw new Error(`incident text does not fit in ${maxChars} characters even with every list summarised to a count`);
  }

  function evidenceSections(enriched: EnrichedHit, caps: Caps): string[] {
    const context = enriched.context;
    if (context === undefined || (context.files.length === 0 && context.activities.length === 0)) {
      return [
        '## Evidence',
        'The context query found no Ammyy process or network activity on this device in the window: the signed file is present but was not seen running. Run the hunting query below over a longer period.',
      ];
    }
    return [
      '## Evidence',
      `**Ammyy-signed files and hashes (${formatCount(context.files.length)} file${context.files.length === 1 ? '' : 's'})**`,
      ...fileHashLines(context, caps),
      '',
      `**Processes started from them (${formatCount(context.activities.length)})** — time, process (path), parent, user, command line, connections`,
      ...(context.activities.length === 0 ? ['- None seen in the window.'] : processLines(context, caps)),
      '',
      '**Remote connections** — address:port (host), kind of peer, processes',
      ...destinationLines(context, caps),
    ];
  }

  /** Evidence that exclusions suppressed earlier and that is raised now: say so, and by which exclusions. */
  function suppressedBeforeLines(enriched: EnrichedHit, caps: Caps): string[] {
    const before = enriched.suppressedBefore;
    if (before === undefined) return [];
    const ids = summarisedList(before.reportIds.map((id) => code(id, 40)), caps.reportIds, 'report ids');
    const exclusions = summarisedList(before.exclusionIds.map((id) => code(id, 80)), Math.max(caps.items, 1), 'exclusions');
    return [
      `- Earlier suppressed by ${exclusions} (${formatCount(before.count)} run${before.count === 1 ? '' : 's'}, last ${formatTime(before.lastSuppressedAt)}); included now that the exclusions no longer explain every activity. Report ids seen while suppressed (${formatCount(before.reportIds.length)}): ${ids}`,
    ];
  }

  function description(rule: HuntRule, enriched: EnrichedHit, episode: IncidentEpisode, caps: Caps): string {
    const { hit } = enriched;
    const reportIds = hit.reportIds.map((id) => code(id, 40));
    const previous = episode.previousIncidentId;
    return [
      `# Ammyy Admin remote access software on ${code(hit.deviceName, caps.valueChars)}`,
      'Files signed by Ammyy were seen on this device. Ammyy Admin is a remote monitoring and management (RMM) tool; attackers install such tools to keep interactive, hard-to-spot control of a machine. MITRE ATT&CK **T1219 Remote Access Software**, tactic **Command and Control**. Unless a legitimate use below explains it, treat it as unauthorised remote access.',
      '',
      '## Device',
      `- Name: ${code(hit.deviceName, caps.valueChars)}`,
      `- Device id: ${code(hit.deviceId, 100)} — [open the device page in the Defender portal](${deviceUrl(hit.deviceId)})`,
      `- First seen: ${formatTime(hit.firstSeen)}; last seen: ${formatTime(hit.lastSeen)}`,
      `- Signature events: ${formatCount(hit.count)}`,
      `- Report ids (${formatCount(hit.reportIds.length)}): ${summarisedList(reportIds, caps.reportIds, 'report ids')}`,
      ...suppressedBeforeLines(enriched, caps),
      `- Rule: ${plain(rule.name, 200)} (${code(rule.id, 80)}), severity ${rule.severity}`,
      `- Episode since ${formatTime(episode.episodeStart)}${previous ? `; previous incident for this device: ${incidentReference(previous)}` : ''}`,
      '',
      ...evidenceSections(enriched, caps),
      '',
      '## Exclusions considered',
      ...exclusionLines(enriched, Math.max(caps.items, 1)),
      '',
      '## Red flags in the evidence',
      ...redFlagLines(enriched.context, caps),
      '',
      '## Triage checklist',
      ...triageChecklist(evidenceUsers(enriched.context), Math.min(Math.max(caps.items, 1), 5)).map((item) => `- [ ] ${item}`),
      '',
      '## Hunt this device',
      '```kusto',
      deviceHuntingQuery(hit.deviceId, hit.firstSeen),
      '```',
    ].join('\n');
  }

  function title(enriched: EnrichedHit): string {
    const prefix = 'Ammyy Admin remote access tool (T1219) on ';
    return prefix + plain(enriched.hit.deviceName, limits.titleChars - prefix.length);
  }

  return {
    renderIncident(rule, enriched, episode): IncidentDraft {
      const { hit } = enriched;
      return {
        incidentId: episode.incidentId,
        ruleId: rule.id,
        deviceId: hit.deviceId,
        deviceName: hit.deviceName,
        title: title(enriched),
        severity: rule.severity,
        status: 'New',
        firstActivity: hit.firstSeen,
        lastActivity: hit.lastSeen,
        labels: incidentLabels(rule),
        description: fitted(limits.descriptionChars, (caps) => description(rule, enriched, episode, caps)),
      };
    },

    renderUpdateComment(rule, enriched, episode, newReportIds, commentId): IncidentComment {
      const { hit } = enriched;
      const message = fitted(limits.commentChars, (caps) =>
        [
          `**New Ammyy evidence on ${code(hit.deviceName, caps.valueChars)}** (rule ${code(rule.id, 80)})`,
          `- Last seen: ${formatTime(hit.lastSeen)}; signature events recorded so far (this run's included): ${formatCount(hit.count)}`,
          `- New report ids (${formatCount(newReportIds.length)}): ${summarisedList(newReportIds.map((id) => code(id, 40)), caps.reportIds, 'report ids')}`,
          ...suppressedBeforeLines(enriched, caps),
          '',
          ...evidenceSections(enriched, caps).map((line) => (line === '## Evidence' ? "**Evidence in this run's window**" : line)),
          '',
          "**Red flags in this run's evidence**",
          ...redFlagLines(enriched.context, caps),
          '',
          `Incident ${code(episode.incidentId)}, episode since ${formatTime(episode.episodeStart)}.`,
        ].join('\n'),
      );
      return { incidentId: episode.incidentId, commentId, message };
    },
  };
}
