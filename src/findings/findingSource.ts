/**
 * What a finding is built from: the fields of the core's Detection (src/core/detection.ts, landing with the batch
 * sink port) that the findings table records, under the same names, so a Detection is a FindingSource as it is.
 */
import type { Severity } from '../core/model.js';

interface Bounded<T> {
  readonly items: readonly T[];
  readonly omitted: number;
}

export interface FindingEvidence {
  readonly files: Bounded<{ readonly sha1: string; readonly name?: string; readonly path?: string; readonly signer?: string }>;
  readonly processes: Bounded<{
    readonly name?: string;
    readonly path?: string;
    readonly sha1?: string;
    readonly commandLine?: string;
    readonly parentName?: string;
    readonly account?: string;
    readonly startedAt?: Date;
  }>;
  readonly accounts: Bounded<{ readonly name: string; readonly domain?: string; readonly upn?: string; readonly sid?: string }>;
  readonly destinations: Bounded<{ readonly ip?: string; readonly domain?: string; readonly port?: string }>;
}

export interface FindingSource {
  readonly findingId: string;
  readonly episodeId: string;
  readonly sequence: number;
  readonly previousEpisodeId: string | undefined;
  readonly reason: string;
  readonly rule: { readonly id: string; readonly name: string; readonly severity: Severity; readonly tactics: readonly string[]; readonly techniques: readonly string[] };
  readonly device: { readonly id: string; readonly name: string };
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  readonly reportIds: Bounded<string>;
  readonly evidence: FindingEvidence;
  readonly redFlags: readonly string[];
  readonly contextComplete: boolean;
  readonly added: { readonly reportIds: readonly string[]; readonly evidence: FindingEvidence };
  /** Rendered from the rule: the hunting query is the rule's device query bound to this device (undefined when the rule has none). */
  readonly text: { readonly title: string; readonly description: string; readonly updateComment: string | undefined; readonly huntingQuery: string | undefined };
}
