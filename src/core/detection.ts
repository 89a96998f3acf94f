/**
 * What the core hands to a sink: one Detection per device episode create or update, pure data.
 * Built from the episode's evidence kept in state (bounded, src/core/episodeEvidence.ts), so every
 * detection shows everything the episode has gathered so far, not only this run's window. Sinks
 * take them in batches and answer one result per detection (DetectionSink, ./ports.ts).
 */
import type { IncidentStatus, Severity } from './model.js';

/** A list kept to a bound, with how many items it left out. */
export interface Bounded<T> {
  readonly items: readonly T[];
  readonly omitted: number;
}

/** The rule as a detection names it (from the rule file). */
export interface DetectionRule {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
}

export interface FileEntity {
  readonly sha1: string;
  readonly name?: string;
  readonly path?: string;
  readonly signer?: string;
}

export interface ProcessEntity {
  readonly name?: string;
  readonly path?: string;
  readonly sha1?: string;
  readonly commandLine?: string;
  readonly parentName?: string;
  /** `DOMAIN\name` or the name alone, as telemetry gave it. */
  readonly account?: string;
  readonly startedAt?: Date;
}

export interface AccountEntity {
  readonly name: string;
  readonly domain?: string;
  readonly upn?: string;
  readonly sid?: string;
}

export interface DestinationEntity {
  readonly ip?: string;
  /** Host part of the URL (lower case). */
  readonly domain?: string;
  readonly port?: string;
}

/** The entities of the episode's evidence, each list bounded with a count of what it left out. */
export interface DetectionEvidence {
  readonly files: Bounded<FileEntity>;
  readonly processes: Bounded<ProcessEntity>;
  readonly accounts: Bounded<AccountEntity>;
  readonly destinations: Bounded<DestinationEntity>;
}

/** Why this detection is written (the run report says the same). */
export type DetectionReason =
  /** The device's first episode. */
  | 'newDevice'
  /** More evidence for the open episode. */
  | 'update'
  /** The context missing when the episode was raised has arrived: the same episode, re-rendered with it. */
  | 'contextArrived'
  /** A new episode: the SOC closed the previous one. */
  | 'closed'
  /** A new episode: the previous one was not updated within the rule's grouping look-back. */
  | 'lookbackExpired'
  /** A new episode: the previous episode's incident no longer exists in the sink. */
  | 'incidentMissing'
  /** A new episode: the previous one holds as many detections as the sink groups into one incident. */
  | 'episodeFull';

export interface DetectionText {
  /** Plain text, within the sink's title limit. */
  readonly title: string;
  /** Markdown: the episode's evidence so far, within the sink's size limit. */
  readonly description: string;
  readonly labels: readonly string[];
  /** Markdown for an update (sequence > 0): what is new since the previous detection. */
  readonly updateComment: string | undefined;
}

export interface Detection {
  /** Deterministic from the episode and the sequence (src/core/ids.ts). */
  readonly findingId: string;
  readonly episodeId: string;
  /** 0: the episode's first detection; +1 per update. */
  readonly sequence: number;
  readonly previousEpisodeId: string | undefined;
  readonly reason: DetectionReason;
  readonly rule: DetectionRule;
  /** Episodes are per detection group and device (default: the rule id). */
  readonly groupId: string;
  readonly device: { readonly id: string; readonly name: string };
  /** When the episode's first evidence was seen. */
  readonly episodeStart: Date;
  /** The episode's activity span so far. */
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** The episode's report ids so far (the most recent ones), `omitted` the rest. */
  readonly reportIds: Bounded<string>;
  /** Events the hunt counted in this run's window (the query's Count). */
  readonly windowEventCount: number;
  readonly evidence: DetectionEvidence;
  /** Plain-text indicators of malicious use found in the evidence so far. */
  readonly redFlags: readonly string[];
  /** False while the context query failed or returned nothing for the device: the hunter retries it. */
  readonly contextComplete: boolean;
  /** What this detection adds to the previous one of the episode (everything, for sequence 0). */
  readonly added: { readonly reportIds: readonly string[]; readonly evidence: DetectionEvidence };
  /** A sink that keeps a status reopens a Closed incident instead of answering `closed` (reopenClosedIncident). */
  readonly reopenIfClosed: boolean;
  readonly text: DetectionText;
}

export type DetectionWriteResult =
  /**
   * Written. `existed`: the sink already had this episode (a retried create, a run after lost
   * state); undefined when the sink cannot tell. `status` after the write, for sinks that keep one;
   * `reopened`: the write reopened a Closed incident (reopenIfClosed).
   */
  | { readonly outcome: 'written'; readonly existed?: boolean; readonly status?: IncidentStatus; readonly reopened?: boolean; readonly link?: string }
  /** Nothing written: the SOC closed the episode's incident (or it is gone), and the detection did not ask to reopen it. */
  | { readonly outcome: 'closed'; readonly missing: boolean }
  /** Nothing written. `permanent`: retrying the same detection cannot succeed (a 4xx other than 408, 409, 412, 429). */
  | { readonly outcome: 'failed'; readonly message: string; readonly permanent: boolean };
