/**
 * What the hunter remembers between runs about each device (pure data). The store that keeps
 * it is the StateStore port (./ports.ts); the Table Storage adapter is in src/adapters/table/.
 */
import type { Hit, IncidentStatus } from './model.js';
import { emptyEvidence, type Evidence } from './evidence.js';

/** The incident the device's current episode belongs to. */
export interface EpisodeState {
  readonly incidentId: string;
  readonly episodeStart: Date;
  readonly previousIncidentId: string | undefined;
  /**
   * False while the incident is only reserved: the id is fixed before the incident is
   * written, so a crash or a concurrent run resumes with the same id instead of minting another.
   */
  readonly incidentWritten: boolean;
  /** Status as the hunter last wrote it; the SOC's current status is read from the sink. */
  readonly incidentStatus: IncidentStatus;
  /** When the hunter last wrote the incident: the grouping look-back counts from here. */
  readonly lastUpdate: Date;
}

/**
 * What the exclusions explained on this device (docs/exclusions.md, docs/state-and-windows.md).
 * Kept apart from the reported evidence on purpose: report ids seen only while suppressed are
 * not "already reported", so a later hit that no exclusion covers still raises, and its
 * incident (or update comment) then carries them too.
 */
export interface SuppressionState {
  /** The run that last recorded a suppression (new report ids, wider activity or other exclusions). */
  readonly lastSuppressedAt: Date;
  /** Span of the suppressed hits' activity. */
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  /** The exclusions that matched at the last recorded suppression, sorted. */
  readonly exclusionIds: readonly string[];
  /** Report ids seen only while suppressed (never on an incident when recorded), bounded like the evidence. */
  readonly evidence: Evidence;
  /** How many runs recorded a suppression (a run that found nothing to add writes and counts nothing). */
  readonly count: number;
}

export interface DeviceState {
  readonly deviceId: string;
  readonly deviceName: string;
  /** Undefined until the first evidence is merged (a bare reservation, or a device only ever suppressed). */
  readonly firstSeen: Date | undefined;
  readonly lastSeen: Date | undefined;
  /** Report ids already on an incident (reported), not those only suppressed. */
  readonly evidence: Evidence;
  /** Undefined for a device whose hits were all suppressed so far: no incident yet. */
  readonly episode: EpisodeState | undefined;
  /** Undefined until exclusions suppressed a hit of the device. */
  readonly suppression?: SuppressionState | undefined;
}

/**
 * The device's next state: `changes` over what `state` had (a device seen for the first time starts
 * with the hit's id and name and nothing else). No `suppression` key while there is none.
 */
export function nextDeviceState(state: DeviceState | undefined, hit: Hit, changes: Partial<Omit<DeviceState, 'deviceId'>>): DeviceState {
  const { suppression, ...next }: DeviceState = {
    deviceId: hit.deviceId,
    deviceName: state?.deviceName ?? hit.deviceName,
    firstSeen: state?.firstSeen,
    lastSeen: state?.lastSeen,
    evidence: state?.evidence ?? emptyEvidence,
    episode: state?.episode,
    suppression: state?.suppression,
    ...changes,
  };
  return suppression ? { ...next, suppression } : next;
}
