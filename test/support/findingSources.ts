/** Detections as the core hands them to a sink, for tests of the findings path. */
import type { FindingSource } from '../../src/findings/findingSource.js';

const none = { items: [], omitted: 0 };

/** Device `index`'s episode opening detection: one signed file, one process, one account, one destination. */
export function findingSource(index: number, overrides: Partial<FindingSource> = {}): FindingSource {
  const deviceId = `${String(index).padStart(8, '0')}${'ab'.repeat(16)}`;
  const name = `wks-${String(index).padStart(5, '0')}.contoso.local`;
  const evidence = {
    files: { items: [{ sha1: `${'c'.repeat(32)}${String(index).padStart(8, '0')}`, name: 'AA_v3.exe', path: 'C:\\Users\\Public\\Downloads', signer: 'Ammyy LLC' }], omitted: 0 },
    processes: { items: [{ name: 'AA_v3.exe', path: 'C:\\Users\\Public\\Downloads', commandLine: '"AA_v3.exe" -connect 10.0.0.5', parentName: 'explorer.exe', account: 'CONTOSO\\jdoe', startedAt: new Date('2026-11-20T09:00:00Z') }], omitted: 0 },
    accounts: { items: [{ name: 'jdoe', domain: 'CONTOSO', upn: 'jdoe@contoso.com', sid: 'S-1-5-21-1-2-3-1104' }], omitted: 0 },
    destinations: { items: [{ ip: '203.0.113.7', domain: 'rl.ammyy.com', port: '443' }], omitted: 0 },
  };
  return {
    findingId: `episode-${index}-0`,
    episodeId: `episode-${index}`,
    sequence: 0,
    previousEpisodeId: undefined,
    reason: 'newDevice',
    groupId: '7c20af02-4bce-4d6d-b609-3ddf5ca4fb59',
    episodeStart: new Date('2026-11-20T09:00:00Z'),
    windowEventCount: 1,
    reopenIfClosed: false,
    rule: { id: '7c20af02-4bce-4d6d-b609-3ddf5ca4fb59', name: 'Remote Management and Monitoring tool - Ammyy - File Signature', severity: 'Medium', tactics: ['CommandAndControl'], techniques: ['T1219'] },
    device: { id: deviceId, name },
    firstSeen: new Date('2026-11-20T09:00:00Z'),
    lastSeen: new Date('2026-11-20T09:05:00Z'),
    reportIds: { items: [`${1000 + index}`], omitted: 0 },
    evidence,
    redFlags: ['Started from a user-writable folder (C:\\Users\\Public\\Downloads).'],
    contextComplete: true,
    added: { reportIds: [`${1000 + index}`], evidence },
    text: { title: `Ammyy Admin remote access tool (T1219) on ${name}`, description: `# Ammyy Admin remote access software on \`${name}\`\n\nEvidence and triage.`, labels: ['RMM', 'Ammyy', 'T1219'], updateComment: undefined },
    ...overrides,
  };
}

export const noEvidence = { files: none, processes: none, accounts: none, destinations: none };
