import type { Severity } from '../core/model.js';
import type { AlertEntityType, RuleTestCase } from './schema.js';
import type { Template } from './template.js';

/** Sentinel-like incident grouping: one incident per device episode. */
export interface GroupingConfiguration {
  /** A known device with new evidence joins the open incident if it was last updated within this long (ms). */
  readonly lookbackDurationMs: number;
  /** When the SOC closed the incident: reopen it (true) or start a new episode with a new incident (false). */
  readonly reopenClosedIncident: boolean;
}

/** How the hunter binds the query window from its watermark. */
export interface WindowConfiguration {
  /** Re-read this much before the watermark so late-arriving events are seen (ms). */
  readonly overlapMs: number;
  /** Stop the window this far before now, so events still being ingested are read next run (ms). */
  readonly ingestionDelayMs: number;
}

/** What the rule says about the tool it detects, for the incident's red flags. */
export interface ToolDescription {
  readonly name: string;
  /** Wildcard patterns (`*`, `?`) of the names the tool ships under, matched ignoring case. */
  readonly fileNames: readonly string[];
  /** The vendor's relay hosts; a subdomain of one is one too. Lower case. */
  readonly relayDomains: readonly string[];
}

/** What a detection of the rule says, all from the rule file (docs/rules.md). */
export interface DetectionWording {
  /** Sentinel's alertDisplayNameFormat: the incident and alert title. */
  readonly title: Template;
  /** Sentinel's alertDescriptionFormat: the description's opening paragraph (Markdown from the rule author). */
  readonly summary: Template;
  /** The triage questions, Markdown, one per legitimate use. */
  readonly triageChecklist: readonly string[];
  /** Incident labels: the rule's text tags, its techniques and its id. */
  readonly labels: readonly string[];
}

/** A hunting rule: the Sentinel analytic-rule YAML plus the hunter's optional fields. */
export interface HuntRule {
  readonly sourcePath: string;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly requiredDataConnectors: readonly { readonly connectorId: string; readonly dataTypes: readonly string[] }[];
  readonly tactics: readonly string[];
  readonly relevantTechniques: readonly string[];
  readonly query: string;
  /** The KQL that fetches evidence for hit devices (contextQueryFile); undefined when the rule names none. */
  readonly contextQuery: string | undefined;
  /** The KQL the incident offers to hunt one device further (deviceQueryFile); undefined when the rule names none. */
  readonly deviceQuery: string | undefined;
  readonly wording: DetectionWording;
  readonly tool: ToolDescription | undefined;
  /** Entity types the alert sink maps from the evidence, most important first. */
  readonly alertEntities: readonly AlertEntityType[];
  readonly severity: Severity;
  readonly queryFrequencyMs: number;
  readonly queryPeriodMs: number;
  readonly grouping: GroupingConfiguration;
  readonly window: WindowConfiguration;
  /**
   * Rules with the same group share one episode per device (src/core/detectionGroup.ts); undefined:
   * the rule is its own group.
   */
  readonly detectionGroup?: string;
  /**
   * Set for a rule of a group: the rule's table, put in front of its report ids (`Table:ReportId`). A
   * ReportId is unique only per device and table, so ids from the group's other rules cannot be
   * mistaken for this rule's (which would leave its new evidence unraised).
   */
  readonly reportIdScope?: string;
  /** The test cases beside the rule (`hunter test`). */
  readonly tests: readonly RuleTestCase[];
}
