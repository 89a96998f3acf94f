/**
 * `hunter run --dry-run` is the smoke test after a deployment: a dry run in which every hit failed
 * (here: the incident sink's status reads fail) used to print "dryRun" and exit 0, as if all was well.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { uniqueTableName, useAzurite } from '../support/azurite.js';

/** The sample data with its signature events an hour ago, so a run on the real clock finds them. */
function recentData(): string {
  const data = path.join(mkdtempSync(path.join(os.tmpdir(), 'hunter-dry-')), 'data');
  cpSync('test/fixtures/ammyy-basic', data, { recursive: true });
  const file = path.join(data, 'DeviceFileCertificateInfo.jsonl');
  const recent = new Date(Date.now() - 3_600_000).toISOString();
  const rows = readFileSync(file, 'utf8').trim().split('\n').map((line) => ({ ...(JSON.parse(line) as object), Timestamp: recent }));
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return data;
}

describe('hunter run --dry-run', () => {
  const az = useAzurite();

  it('exits 1 and says failed when every hit failed', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'hunter-dry-'));
    writeFileSync(path.join(out, 'incidents.jsonl'), '{"incidentId": "torn\n');
    const env = {
      QUERY_BACKEND: 'local',
      LOCAL_DATA_DIR: recentData(),
      INCIDENT_SINK: 'file',
      INCIDENT_OUT_DIR: out,
      AzureWebJobsStorage: az.azurite().connectionString,
      STATE_TABLE_NAME: uniqueTableName(),
    };
    const run = await runCli(['run', '--dry-run', '--format', 'json'], { env });
    const report = JSON.parse(run.stdout) as { status: string; dryRun: boolean; hits: number; failures: unknown[] };
    expect(report.hits).toBeGreaterThan(0);
    expect(report.failures).toHaveLength(report.hits);
    expect(report).toMatchObject({ status: 'failed', dryRun: true });
    expect(run.code).toBe(1);
  });
});
