/**
 * The incident a SOC analyst triages from alone: what was found, why it matters, the evidence,
 * what was ruled out, a query to dig further and a checklist. Sizes are kept within Sentinel's
 * limits by showing fewer items per list (each list says how many it left out), never by cutting text.
 */
import type { EnrichedHit } from '../core/model.js';
import type { IncidentEpisode, IncidentRenderer, RenderedIncident } from '../core/ports.js';
import { SENTINEL_TACTICS, techniqueUrl } from '../rules/mitre.js';
import type { HuntRule } from '../rules/rule.js';
import { fillTemplate, type TemplateColumn } from '../rules/template.js';
import { deviceHuntingQuery, kustoBlock } from './deviceHuntingQuery.js';
import { destinationLines, fileHashLines, processLines, type EvidenceCaps } from './evidenceLists.js';
import { exclusionLines } from './exclusionsSection.js';
import { sentinelSizeLimits, type IncidentSizeLimits } from './limits.js';
import { code, formatCount, formatTime, plain, summarisedList } from './markdown.js';
import { evidenceUsers, redFlagLines, redFlagSentences } from './redFlags.js';
import { triageChecklist } from './triageChecklist.js';
import { trimTrailing } from '../text/trimTrailing.js';

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

export const incidentLabels = (rule: HuntRule): readonly string[] => rule.wording.labels;

/** `MITRE ATT&CK: [T1219](…), tactic Command and Control.` from the rule's techniques and tactics. */
/** The hunt result columns a title or description format may name. */
function templateValues(enriched: EnrichedHit): Record<TemplateColumn, string> {
  return { DeviceName: enriched.hit.deviceName, DeviceId: enriched.hit.deviceId };
}

function mitreLine(rule: HuntRule): string {
  const techniques = rule.relevantTechniques.map((id) => `[${id}](${techniqueUrl(id)})`).join(', ');
  const tactics = rule.tactics.map((tactic) => SENTINEL_TACTICS[tactic as keyof typeof SENTINEL_TACTICS] ?? tactic);
  return `MITRE ATT&CK: ${techniques}; tactic${tactics.length === 1 ? '' : 's'} ${tactics.map((name) => `**${name}**`).join(', ')}.`;
}

export function createIncidentRenderer(options: IncidentRendererOptions): IncidentRenderer {
  const limits = options.limits ?? sentinelSizeLimits;
  const portal = trimTrailing(options.defenderPortalUrl, '/');
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

  function evidenceSections(rule: HuntRule, enriched: EnrichedHit, caps: Caps): string[] {
    const context = enriched.context;
    const files = context === undefined ? 0 : context.files.length + (context.omitted?.files ?? 0);
    const processes = context === undefined ? 0 : context.activities.length + (context.omitted?.activities ?? 0);
    if (context === undefined || (files === 0 && processes === 0)) {
      return [
        '## Evidence',
        `The hunt matched this device, but the context query found no file, process or network evidence for it in the window.${rule.deviceQuery === undefined ? '' : ' Run the hunting query below over a longer period.'}`,
      ];
    }
    return [
      '## Evidence',
      `**Files and hashes (${formatCount(files)} file${files === 1 ? '' : 's'})**`,
      ...fileHashLines(context, caps),
      '',
      `**Processes started from them (${formatCount(processes)})** — time, process (path), parent, user, command line, connections`,
      ...(context.activities.length === 0 ? ['- None seen in the window.'] : processLines(context, caps)),
      '',
      '**Remote connections** — address:port (host), kind of peer, processes',
      ...destinationLines(context, rule.tool, caps),
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
    const previous = episode.previousEpisodeId;
    const reportCount = enriched.reportCount ?? hit.reportIds.length;
    const huntQuery = deviceHuntingQuery(rule, hit.deviceId, hit.firstSeen);
    return [
      `# ${fillTemplate(rule.wording.title, templateValues(enriched), (value) => code(value, caps.valueChars)).replace(/\s+/g, ' ')}`,
      fillTemplate(rule.wording.summary, templateValues(enriched), (value) => code(value, caps.valueChars)),
      mitreLine(rule),
      '',
      '## Device',
      `- Name: ${code(hit.deviceName, caps.valueChars)}`,
      `- Device id: ${code(hit.deviceId, 100)} — [open the device page in the Defender portal](${deviceUrl(hit.deviceId)})`,
      `- First seen: ${formatTime(hit.firstSeen)}; last seen: ${formatTime(hit.lastSeen)}`,
      `- Report ids (${formatCount(reportCount)}): ${summarisedList(reportIds, caps.reportIds, 'report ids', reportCount - hit.reportIds.length)}`,
      ...suppressedBeforeLines(enriched, caps),
      `- Rule: ${plain(rule.name, 200)} (${code(rule.id, 80)}), severity ${rule.severity}`,
      `- Episode since ${formatTime(episode.episodeStart)}${previous ? `; previous incident for this device: ${incidentReference(previous)}` : ''}`,
      '',
      ...evidenceSections(rule, enriched, caps),
      '',
      '## Exclusions considered',
      ...exclusionLines(enriched, Math.max(caps.items, 1)),
      '',
      '## Red flags in the evidence',
      ...redFlagLines(enriched.context, rule.tool, caps),
      '',
      '## Triage checklist',
      ...triageChecklist(rule, evidenceUsers(enriched.context), Math.min(Math.max(caps.items, 1), 5)).map((item) => `- [ ] ${item}`),
      ...(huntQuery === undefined ? [] : ['', '## Hunt this device', ...kustoBlock(huntQuery)]),
    ].join('\n');
  }

  /** The rule's title format with each value plain and shortened so the whole title fits. */
  function title(rule: HuntRule, enriched: EnrichedHit): string {
    const format = rule.wording.title;
    const fixedChars = format.reduce((sum, part) => sum + ('text' in part ? part.text.length : 0), 0);
    const placeholders = format.length - format.filter((part) => 'text' in part).length;
    const perValue = placeholders === 0 ? 0 : Math.max(1, Math.floor((limits.titleChars - fixedChars) / placeholders));
    return plain(fillTemplate(format, templateValues(enriched), (value) => plain(value, perValue)), limits.titleChars);
  }

  return {
    renderIncident(rule, enriched, episode): RenderedIncident {
      return {
        title: title(rule, enriched),
        labels: incidentLabels(rule),
        description: fitted(limits.descriptionChars, (caps) => description(rule, enriched, episode, caps)),
      };
    },

    /** `enriched.context` holds only what is new since the episode's previous detection. */
    renderUpdateComment(rule, enriched, episode, newReportIds): string {
      const { hit } = enriched;
      const newEvidence = (enriched.context?.files.length ?? 0) + (enriched.context?.activities.length ?? 0) > 0;
      const newFlags = redFlagSentences(enriched.context, rule.tool).length > 0;
      return fitted(limits.commentChars, (caps) =>
        [
          `**New evidence on ${code(hit.deviceName, caps.valueChars)}** (rule ${code(rule.id, 80)})`,
          `- Last seen: ${formatTime(hit.lastSeen)}; report ids of this episode so far: ${formatCount(enriched.reportCount ?? hit.reportIds.length)}`,
          `- New report ids (${formatCount(newReportIds.length)}): ${summarisedList(newReportIds.map((id) => code(id, 40)), caps.reportIds, 'report ids')}`,
          ...suppressedBeforeLines(enriched, caps),
          '',
          ...(newEvidence
            ? evidenceSections(rule, enriched, caps).map((line) => (line === '## Evidence' ? '**Evidence new since the previous update**' : line))
            : ['No new files, processes or connections since the previous update.']),
          ...(newFlags ? ['', '**Red flags in the new evidence**', ...redFlagLines(enriched.context, rule.tool, caps)] : []),
          '',
          `The description holds the episode's evidence so far. Episode ${code(episode.episodeId)}, since ${formatTime(episode.episodeStart)}.`,
        ].join('\n'),
      );
    },

    redFlags: (rule, context) => redFlagSentences(context, rule.tool),
  };
}
