/** Enriched hits for incident tests: one realistic device with context (the rule is test/support/rules.ts). */
import type { Activity, EnrichedHit } from '../../src/core/model.js';

export function powershellActivity(id: string, overrides: Partial<Activity['fields']> = {}): Activity {
  return {
    id,
    timestamp: new Date('2026-11-20T10:05:00Z'),
    fields: {
      'process.name': ['AA_v3.exe'],
      'process.executable': ['C:\\Users\\bob\\Downloads\\AA_v3.exe'],
      'process.parent.name': ['powershell.exe'],
      'process.command_line': ['AA_v3.exe -outgoing -nogui'],
      'process.hash.sha1': ['0123456789abcdef0123456789abcdef01234567'],
      'user.name': ['CONTOSO\\bob'],
      'user.group': ['Domain Users'],
      'destination.ip': ['10.1.2.3', '136.243.104.242'],
      'destination.domain': ['rl.ammyy.com'],
      'destination.port': ['443'],
      ...overrides,
    },
  };
}

export function enrichedHit(overrides: Partial<EnrichedHit> = {}): EnrichedHit {
  return {
    hit: {
      deviceId: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      deviceName: 'ws-finance-07.contoso.local',
      firstSeen: new Date('2026-11-20T10:00:00Z'),
      lastSeen: new Date('2026-11-21T08:30:00Z'),
      reportIds: ['1001', '1002', '1003'],
      eventCount: 3,
    },
    context: {
      files: [{ sha1: '0123456789abcdef0123456789abcdef01234567', signer: 'Ammyy LLC', fileName: 'AA_v3.exe', folderPath: 'C:\\Users\\bob\\Downloads' }],
      activities: [powershellActivity('act-1')],
    },
    verdict: { suppressed: false, matches: [], considered: ['it-remote-support', 'internal-transfers'] },
    ...overrides,
  };
}
