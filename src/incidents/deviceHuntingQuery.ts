/**
 * A ready-to-run advanced hunting / Log Analytics query that shows everything Ammyy did on one device.
 * The device id comes from telemetry, so it goes into the query only as an escaped string literal.
 */
import { kqlDatetime, kqlString } from '../kql/queryText.js';

const DAY_MS = 86_400_000;

export function deviceHuntingQuery(deviceId: string, firstSeen: Date): string {
  // A day before the first signature event, so the download and install that preceded it are included.
  const since = new Date(firstSeen.getTime() - DAY_MS);
  return [
    `let huntedDevice = ${kqlString(deviceId)};`,
    `let since = ${kqlDatetime(since)};`,
    'let ammyySha1 = DeviceFileCertificateInfo',
    '    | where Timestamp >= since and DeviceId == huntedDevice and Signer has "Ammyy"',
    '    | distinct SHA1;',
    'union',
    '    (DeviceFileCertificateInfo',
    '        | where Timestamp >= since and DeviceId == huntedDevice and Signer has "Ammyy"',
    '        | project Timestamp, Evidence = "signed file", SHA1, Signer, ReportId),',
    '    (DeviceProcessEvents',
    '        | where Timestamp >= since and DeviceId == huntedDevice',
    '        | where SHA1 in (ammyySha1) or InitiatingProcessSHA1 in (ammyySha1)',
    '        | project Timestamp, Evidence = "process", SHA1, FileName, FolderPath, ProcessCommandLine,',
    '            InitiatingProcessFileName, AccountDomain, AccountName, ReportId),',
    '    (DeviceNetworkEvents',
    '        | where Timestamp >= since and DeviceId == huntedDevice',
    '        | where InitiatingProcessSHA1 in (ammyySha1)',
    '        | project Timestamp, Evidence = "network", SHA1 = InitiatingProcessSHA1, FileName = InitiatingProcessFileName,',
    '            RemoteIP, RemoteUrl, RemotePort, ReportId)',
    '| sort by Timestamp asc',
  ].join('\n');
}
