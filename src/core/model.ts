/**
 * The hunter's domain model: pure data and pure functions over it, no I/O.
 * The interfaces adapters implement live in ./ports.ts; device state in ./state.ts.
 */

export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/** One result row as it comes from any backend: datetime → Date, long → number, dynamic → parsed JSON. */
export type ResultRow = Readonly<Record<string, unknown>>;

export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

export interface QueryResult {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly ResultRow[];
}

export type QueryPurpose = 'hunt' | 'context';

export interface QueryRequest {
  /** KQL text with the hunt window already bound into it. */
  readonly query: string;
  readonly window: TimeWindow;
  readonly purpose: QueryPurpose;
}

/** One device of the hunt's summarize: what the rule's query matched on it in this run's window. */
export interface Hit {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** Distinct `ReportId`s as strings (Kusto longs may exceed 2^53 in other tables). */
  readonly reportIds: readonly string[];
  /**
   * The query's `Count`: events in this run's window (a renamed device's rows added up). Only a
   * measure of this window: the episode's size is its distinct report ids (EpisodeEvidence.reportCount).
   */
  readonly eventCount: number;
}

export type Severity = 'High' | 'Medium' | 'Low' | 'Informational';
export type IncidentStatus = 'New' | 'Active' | 'Closed';

/** ECS field names the exclusions speak, mapped from Defender columns in one table (src/context/ecsMapping.ts). */
export type EcsFieldName =
  | 'process.name'
  | 'process.parent.name'
  | 'process.executable'
  | 'process.command_line'
  | 'process.hash.sha1'
  | 'user.name'
  | 'user.domain'
  | 'user.group'
  | 'destination.ip'
  | 'destination.domain'
  | 'destination.port'
  | 'host.id'
  | 'host.name';

/** A field may hold several values (an activity talks to several addresses). */
export type EcsFields = Readonly<Partial<Record<EcsFieldName, readonly string[]>>>;

/** One process instance of the detected tool seen in the window, with what it touched. */
export interface Activity {
  /** Stable id of the process instance (device, process id, creation time). */
  readonly id: string;
  readonly timestamp: Date | undefined;
  readonly fields: EcsFields;
  /**
   * Each remote endpoint as one network event recorded it (address, URL and port together), so the
   * incident never pairs a port with an address it was not used with. Undefined when the activity
   * has no network evidence; the ECS destination.* fields keep the flat lists exclusions test.
   */
  readonly destinations?: readonly Destination[];
}

/** One (address, host, port) a process connected to; any part may be missing in telemetry. */
export interface Destination {
  readonly ip?: string;
  /** Host part of RemoteUrl, lower-cased (ECS destination.domain). */
  readonly domain?: string;
  readonly port?: string;
}

/** A file of the detected tool seen on the device (with its signer when the evidence has one). */
export interface SignedFile {
  readonly sha1: string;
  readonly signer: string;
  readonly fileName?: string;
  readonly folderPath?: string;
}

/**
 * What the context query found for one device in the hunt window, or (in state) what an episode
 * has gathered so far over all its windows.
 */
export interface DeviceContext {
  readonly files: readonly SignedFile[];
  readonly activities: readonly Activity[];
  /** Items the episode's bounded evidence left out (src/core/episodeEvidence.ts); absent for one window's context. */
  readonly omitted?: { readonly files: number; readonly activities: number };
}

export interface ExclusionMatch {
  readonly exclusionId: string;
  readonly activityIds: readonly string[];
}

/** The outcome of the exclusions for one hit. */
export interface ExclusionVerdict {
  readonly suppressed: boolean;
  /** Exclusions that matched at least one activity. */
  readonly matches: readonly ExclusionMatch[];
  /** Ids of the enabled, unexpired exclusions that were evaluated. */
  readonly considered: readonly string[];
}

/** A hit with everything the hunter learned about it. */
export interface EnrichedHit {
  readonly hit: Hit;
  /** Distinct report ids of the episode when `hit.reportIds` holds only the most recent of them. */
  readonly reportCount?: number;
  /** Undefined when the context query returned nothing for the device: never a reason to suppress. */
  readonly context: DeviceContext | undefined;
  readonly verdict: ExclusionVerdict;
  /** Set when the raised evidence includes report ids seen earlier while exclusions suppressed the device. */
  readonly suppressedBefore?: SuppressedBefore;
}

/** What the incident says about the device's earlier suppressions (src/core/suppression.ts). */
export interface SuppressedBefore {
  readonly exclusionIds: readonly string[];
  /** The report ids seen only while suppressed that this incident or comment now carries. */
  readonly reportIds: readonly string[];
  readonly lastSuppressedAt: Date;
  readonly count: number;
}

/**
 * The status an existing incident has after a write: the SOC owns the status, so a write only
 * changes it to reopen a Closed incident, and only when the rule asks for that (reopenClosedIncident).
 * Every sink that keeps a status follows this.
 */
export function statusAfterWrite(existing: IncidentStatus, reopenIfClosed: boolean): IncidentStatus {
  return existing === 'Closed' && reopenIfClosed ? 'Active' : existing;
}
