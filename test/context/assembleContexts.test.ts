import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../src/core/model.js';
import { assembleDeviceContexts } from '../../src/context/assembleContexts.js';
import { EMPTY_GROUP_DIRECTORY, groupDirectoryFromRows } from '../../src/context/groupDirectory.js';

const SHA1 = 'B3A6C5E7D1F24A8B9C0D1E2F3A4B5C6D7E8F9A0B';
const created = new Date('2026-11-18T09:01:00Z');

const fileRow: ResultRow = { Evidence: 'file', DeviceId: 'dev-1', DeviceName: 'ws-1', SHA1, Signer: 'Ammyy LLC', Timestamp: new Date('2026-11-18T09:00:00Z') };
const processRow: ResultRow = {
  Evidence: 'process', Timestamp: created, DeviceId: 'dev-1', DeviceName: 'ws-1', SHA1,
  FileName: 'ammyy.exe', FolderPath: 'C:\\Users\\bob\\Downloads\\ammyy.exe', ProcessCommandLine: 'ammyy.exe -outid',
  ProcessId: 7312, ProcessCreationTime: created, InitiatingProcessFileName: 'powershell.exe',
  AccountDomain: 'CONTOSO', AccountName: 'bob', AccountUpn: 'bob@contoso.com',
};
const networkRow: ResultRow = {
  Evidence: 'network', Timestamp: new Date('2026-11-18T09:02:00Z'), DeviceId: 'dev-1', DeviceName: 'ws-1',
  InitiatingProcessSHA1: SHA1, InitiatingProcessFileName: 'ammyy.exe', InitiatingProcessFolderPath: 'C:\\Users\\bob\\Downloads\\ammyy.exe',
  InitiatingProcessCommandLine: 'ammyy.exe -outid', InitiatingProcessId: 7312, InitiatingProcessCreationTime: created,
  InitiatingProcessParentFileName: 'powershell.exe', InitiatingProcessAccountDomain: 'CONTOSO', InitiatingProcessAccountName: 'bob',
  InitiatingProcessAccountUpn: 'bob@contoso.com',
  // make_set(bag_pack('ip', RemoteIP, 'url', RemoteUrl, 'port', RemotePort)): each connection kept whole.
  Destinations: [
    { ip: '10.20.0.15', url: '', port: 5931 },
    { ip: '185.212.47.19', url: 'https://RL.ammyy.com:443/connect', port: 443 },
    { ip: '', url: '', port: null },
  ],
};

describe('assembleDeviceContexts', () => {
  it('maps a process and its network events to one activity with ECS fields', () => {
    const contexts = assembleDeviceContexts([networkRow, processRow, fileRow], EMPTY_GROUP_DIRECTORY);
    expect([...contexts.keys()]).toEqual(['dev-1']);
    const context = contexts.get('dev-1');
    expect(context?.files).toEqual([{ sha1: SHA1.toLowerCase(), signer: 'Ammyy LLC', fileName: 'ammyy.exe', folderPath: 'C:\\Users\\bob\\Downloads\\ammyy.exe' }]);
    expect(context?.activities).toEqual([{
      id: 'dev-1:7312:2026-11-18T09:01:00.000Z',
      timestamp: created,
      fields: {
        'process.name': ['ammyy.exe'],
        'process.parent.name': ['powershell.exe'],
        'process.executable': ['C:\\Users\\bob\\Downloads\\ammyy.exe'],
        'process.command_line': ['ammyy.exe -outid'],
        'process.hash.sha1': [SHA1.toLowerCase()],
        'user.name': ['CONTOSO\\bob'],
        'user.domain': ['CONTOSO'],
        'destination.ip': ['10.20.0.15', '185.212.47.19'],
        'destination.domain': ['rl.ammyy.com'],
        'destination.port': ['5931', '443'],
        'host.id': ['dev-1'],
        'host.name': ['ws-1'],
      },
      destinations: [
        { ip: '10.20.0.15', port: '5931' },
        { ip: '185.212.47.19', domain: 'rl.ammyy.com', port: '443' },
      ],
    }]);
  });

  it('keeps each port with the address it was used with, across network rows and JSON-text bags', () => {
    const later = { ...networkRow, Destinations: JSON.stringify([{ ip: '10.20.0.15', url: '', port: 443 }, { ip: '10.20.0.15', url: '', port: 5931 }]) };
    const activity = assembleDeviceContexts([processRow, networkRow, later], EMPTY_GROUP_DIRECTORY).get('dev-1')?.activities[0];
    expect(activity?.destinations).toEqual([
      { ip: '10.20.0.15', port: '5931' },
      { ip: '185.212.47.19', domain: 'rl.ammyy.com', port: '443' },
      { ip: '10.20.0.15', port: '443' },
    ]);
    expect(activity?.fields['destination.port']).toEqual(['5931', '443']);
  });

  it('gives an activity without network rows no destinations, and one with network rows but no usable bag an empty list', () => {
    expect(assembleDeviceContexts([processRow], EMPTY_GROUP_DIRECTORY).get('dev-1')?.activities[0]?.destinations).toBeUndefined();
    const empty = { ...networkRow, Destinations: [{ ip: '', url: '-', port: null }, 'not a bag'] };
    const activity = assembleDeviceContexts([empty], EMPTY_GROUP_DIRECTORY).get('dev-1')?.activities[0];
    expect(activity?.destinations).toEqual([]);
    expect(activity?.fields['destination.ip']).toBeUndefined();
  });

  it('still yields an activity from network events whose process-creation event is missing', () => {
    const context = assembleDeviceContexts([fileRow, networkRow], EMPTY_GROUP_DIRECTORY).get('dev-1');
    expect(context?.activities).toHaveLength(1);
    expect(context?.activities[0]?.fields['process.parent.name']).toEqual(['powershell.exe']);
    expect(context?.activities[0]?.fields['destination.ip']).toEqual(['10.20.0.15', '185.212.47.19']);
  });

  it('keeps separate process instances apart, and a file that never ran yields no activity', () => {
    const second = { ...processRow, ProcessId: 8000, InitiatingProcessFileName: 'schtasks.exe' };
    const contexts = assembleDeviceContexts([fileRow, processRow, second, { ...fileRow, DeviceId: 'dev-2' }], EMPTY_GROUP_DIRECTORY);
    expect(contexts.get('dev-1')?.activities.map((activity) => activity.fields['process.parent.name'])).toEqual([['powershell.exe'], ['schtasks.exe']]);
    expect(contexts.get('dev-2')).toEqual({ files: [{ sha1: SHA1.toLowerCase(), signer: 'Ammyy LLC' }], activities: [] });
  });

  it('does not merge rows it cannot prove to be one process', () => {
    const noCreationTime = { ...processRow, ProcessCreationTime: null };
    const contexts = assembleDeviceContexts([noCreationTime, { ...noCreationTime }], EMPTY_GROUP_DIRECTORY);
    expect(contexts.get('dev-1')?.activities).toHaveLength(2);
  });

  it('treats empty strings and "-" as missing values, and joins a folder-only path with the file name', () => {
    const sparse = { ...processRow, AccountDomain: '', AccountName: '-', FolderPath: 'C:\\Tools\\', ProcessCommandLine: '' };
    const fields = assembleDeviceContexts([sparse], EMPTY_GROUP_DIRECTORY).get('dev-1')?.activities[0]?.fields;
    expect(fields?.['user.name']).toBeUndefined();
    expect(fields?.['user.domain']).toBeUndefined();
    expect(fields?.['process.command_line']).toBeUndefined();
    expect(fields?.['process.executable']).toEqual(['C:\\Tools\\ammyy.exe']);
  });

  it('adds the account groups from the directory', () => {
    const directory = groupDirectoryFromRows([{ AccountName: 'bob', AccountDomain: 'contoso.com', AccountUPN: 'bob@contoso.com', GroupMembership: ['Domain Users', 'Finance'] }]);
    const fields = assembleDeviceContexts([processRow], directory).get('dev-1')?.activities[0]?.fields;
    expect(fields?.['user.group']).toEqual(['Domain Users', 'Finance']);
  });

  it('ignores rows without a known evidence kind or device', () => {
    expect(assembleDeviceContexts([{ ...processRow, Evidence: 'other' }, { ...processRow, DeviceId: '' }], EMPTY_GROUP_DIRECTORY).size).toBe(0);
  });
});

describe('groupDirectoryFromRows', () => {
  const rows: ResultRow[] = [
    { TimeGenerated: new Date('2026-10-01T00:00:00Z'), AccountName: 'jdoe', AccountDomain: 'contoso.com', AccountUPN: 'jdoe@contoso.com', GroupMembership: ['Domain Admins'] },
    { TimeGenerated: new Date('2026-11-15T00:00:00Z'), AccountName: 'jdoe', AccountDomain: 'contoso.com', AccountUPN: 'jdoe@contoso.com', GroupMembership: '["Domain Users"]' },
    { Timestamp: '2026-11-15T00:00:00Z', AccountName: 'admin', AccountDomain: 'contoso.com', AccountUpn: 'admin@contoso.com', GroupMembership: ['Domain Admins'] },
    { AccountName: 'admin', AccountDomain: 'fabrikam.com', AccountUPN: 'admin@fabrikam.com', GroupMembership: ['Fabrikam Admins'] },
  ];
  const directory = groupDirectoryFromRows(rows);

  it('uses the newest snapshot of an account', () => {
    expect(directory.groupsOf({ name: 'jdoe', domain: 'CONTOSO', upn: undefined })).toEqual(['Domain Users']);
  });

  it('matches by UPN first, then by name and NetBIOS or DNS domain', () => {
    expect(directory.groupsOf({ name: 'x', domain: 'y', upn: 'ADMIN@contoso.com' })).toEqual(['Domain Admins']);
    expect(directory.groupsOf({ name: 'admin', domain: 'FABRIKAM', upn: undefined })).toEqual(['Fabrikam Admins']);
    expect(directory.groupsOf({ name: 'admin', domain: 'fabrikam.com', upn: undefined })).toEqual(['Fabrikam Admins']);
  });

  it('gives no groups to an unknown or local account, or without a domain', () => {
    expect(directory.groupsOf({ name: 'admin', domain: 'WS-HR-03', upn: undefined })).toBeUndefined();
    expect(directory.groupsOf({ name: 'admin', domain: undefined, upn: undefined })).toBeUndefined();
    expect(directory.groupsOf({ name: 'nobody', domain: 'CONTOSO', upn: 'nobody@contoso.com' })).toBeUndefined();
  });
});
