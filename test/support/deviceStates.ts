import type { Evidence } from '../../src/core/evidence.js';
import type { DeviceState } from '../../src/core/state.js';

/** A device whose incident was written and is New: the shape the state store tests write and read back. */
export function writtenDeviceState(deviceId: string, deviceName: string, evidence: Evidence, lastUpdate = new Date('2026-11-21T00:00:00Z')): DeviceState {
  return {
    deviceId,
    deviceName,
    firstSeen: new Date('2026-11-20T00:00:00Z'),
    lastSeen: new Date('2026-11-21T00:00:00Z'),
    evidence,
    episode: {
      incidentId: '00000000-0000-5000-8000-000000000001',
      episodeStart: new Date('2026-11-20T00:00:00Z'),
      previousIncidentId: undefined,
      incidentWritten: true,
      incidentStatus: 'New',
      lastUpdate,
    },
  };
}
