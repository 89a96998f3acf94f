import type { Severity } from '../core/model.js';

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
  /** The KQL that fetches evidence for hit devices; undefined when the rule ships none. */
  readonly contextQuery: string | undefined;
  readonly severity: Severity;
  readonly queryFrequencyMs: number;
  readonly queryPeriodMs: number;
  readonly grouping: GroupingConfiguration;
  readonly window: WindowConfiguration;
}
