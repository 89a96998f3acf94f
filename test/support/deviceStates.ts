import type { ReportIdSet } from '../../src/core/reportIdSet.js';
import type { DeviceState } from '../../src/core/state.js';
import { emptyEpisodeEvidence } from '../../src/core/episodeEvidence.js';

/** A device whose first detection was written: the shape the state store tests write and read back. */
export function writtenDeviceState(deviceId: string, deviceName: string, reported: ReportIdSet, lastUpdate = new Date('2026-11-21T00:00:00Z')): DeviceState {
  return {
    deviceId,
    deviceName,
    firstSeen: new Date('2026-11-20T00:00:00Z'),
    lastSeen: new Date('2026-11-21T00:00:00Z'),
    reported,
    episode: {
      episodeId: '00000000-0000-5000-8000-000000000001',
      episodeStart: new Date('2026-11-20T00:00:00Z'),
      previousEpisodeId: undefined,
      sequence: 0,
      openedAt: lastUpdate,
      lastUpdate,
      evidence: emptyEpisodeEvidence,
    },
  };
}
