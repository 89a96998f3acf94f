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

/** One row of the hunt's summarize: a device on which the rule's query matched. */
export interface Hit {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** Distinct `ReportId`s as strings (Kusto longs may exceed 2^53 in other tables). */
  readonly reportIds: readonly string[];
  readonly count: number;
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

/** What the context query found for one device in the hunt window. */
export interface DeviceContext {
  readonly files: readonly SignedFile[];
  readonly activities: readonly Activity[];
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

/** The incident as the hunter wants it to exist in Sentinel (or the local sink). */
export interface IncidentDraft {
  readonly incidentId: string;
  readonly ruleId: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly title: string;
  readonly severity: Severity;
  /** New when creating; on an existing incident only Active (reopen) has an effect: see statusAfterUpsert. */
  readonly status: IncidentStatus;
  readonly firstActivity: Date;
  readonly lastActivity: Date;
  readonly labels: readonly string[];
  /** Markdown, already within the service's size limit. */
  readonly description: string;
}

/**
 * The status an existing incident has after an upsert of `draft`: the SOC owns the status, so a
 * draft only changes it to reopen a Closed incident (draft status Active). Both sinks follow this.
 */
export function statusAfterUpsert(existing: IncidentStatus, requested: IncidentStatus): IncidentStatus {
  return existing === 'Closed' && requested === 'Active' ? 'Active' : existing;
}

export interface IncidentComment {
  readonly incidentId: string;
  /** Deterministic, so a retried comment rewrites itself instead of adding a second one. */
  readonly commentId: string;
  readonly message: string;
}
