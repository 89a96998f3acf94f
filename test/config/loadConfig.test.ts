import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/loadConfig.js';
import { thrown } from '../support/thrown.js';

const localEnv = { QUERY_BACKEND: 'local', LOCAL_DATA_DIR: 'test/fixtures/ammyy-basic', INCIDENT_SINK: 'file', AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

const problemsOf = (env: Record<string, string | undefined>): readonly string[] => thrown(() => loadConfig(env), ConfigError).problems;

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const { settings, table } = loadConfig(localEnv);
    expect(settings.HUNT_SCHEDULE).toBe('0 0 * * * *');
    expect(settings.RULE_PATH).toBe('rules/ammyy-file-signature.yaml');
    expect(settings.STATE_TABLE_NAME).toBe('AmmyyHunterState');
    expect(settings.DRY_RUN).toBe(false);
    expect(settings.EXCLUSIONS_PATH).toBeUndefined();
    expect(table).toEqual({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' });
  });

  it('names every bad setting in one error', () => {
    const problems = problemsOf({ ...localEnv, QUERY_BACKEND: 'splunk', DRY_RUN: 'maybe', HUNT_SCHEDULE: '0 * * * *', CONTEXT_BATCH_SIZE: '-3' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['CONTEXT_BATCH_SIZE', 'DRY_RUN', 'HUNT_SCHEDULE', 'QUERY_BACKEND']);
    expect(problems.find((problem) => problem.startsWith('QUERY_BACKEND'))).toContain('"splunk"');
  });

  it('names what the chosen backend and sink need', () => {
    const problems = problemsOf({ QUERY_BACKEND: 'log-analytics', INCIDENT_SINK: 'sentinel-incidents', AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(problems).toEqual([
      'LOG_ANALYTICS_WORKSPACE_ID: required when QUERY_BACKEND=log-analytics (missing)',
      'SENTINEL_SUBSCRIPTION_ID: required when INCIDENT_SINK=sentinel-incidents (missing)',
      'SENTINEL_RESOURCE_GROUP: required when INCIDENT_SINK=sentinel-incidents (missing)',
      'SENTINEL_WORKSPACE_NAME: required when INCIDENT_SINK=sentinel-incidents (missing)',
    ]);
  });

  it('names what the alerts sink needs, and checks the DCR immutable id and stream shapes', () => {
    const base = { QUERY_BACKEND: 'defender', INCIDENT_SINK: 'sentinel-alerts', AzureWebJobsStorage: 'UseDevelopmentStorage=true' };
    expect(problemsOf(base)).toEqual([
      'LOGS_INGESTION_ENDPOINT: required when INCIDENT_SINK=sentinel-alerts (missing)',
      'FINDINGS_DCR_IMMUTABLE_ID: required when INCIDENT_SINK=sentinel-alerts (missing)',
    ]);
    const bad = problemsOf({ ...base, LOGS_INGESTION_ENDPOINT: 'http://x.ingest.monitor.azure.com', FINDINGS_DCR_IMMUTABLE_ID: 'my-dcr', FINDINGS_STREAM_NAME: 'AmmyyHunterFindings' });
    expect(bad.map((problem) => problem.split(':')[0])).toEqual(['LOGS_INGESTION_ENDPOINT', 'FINDINGS_DCR_IMMUTABLE_ID', 'FINDINGS_STREAM_NAME']);
    const { settings } = loadConfig({ ...base, LOGS_INGESTION_ENDPOINT: 'https://dcr-x.westeurope-1.ingest.monitor.azure.com', FINDINGS_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef' });
    expect(settings.FINDINGS_STREAM_NAME).toBe('Custom-AmmyyHunterFindings');
  });

  it("says what the old INCIDENT_SINK=sentinel became", () => {
    const [problem] = problemsOf({ ...localEnv, INCIDENT_SINK: 'sentinel' });
    expect(problem).toMatch(/^INCIDENT_SINK: .*sentinel-alerts.*sentinel-incidents/);
  });

  it('lists bad values and what the chosen backend still needs in one message', () => {
    // The default sink (sentinel-alerts, for new deployments) needs its DCR.
    const problems = problemsOf({ QUERY_BACKEND: 'log-analytics', HUNT_SCHEDULE: 'hourly', AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'HUNT_SCHEDULE',
      'LOG_ANALYTICS_WORKSPACE_ID',
      'LOGS_INGESTION_ENDPOINT',
      'FINDINGS_DCR_IMMUTABLE_ID',
    ]);
  });

  it('does not call an invalid value missing', () => {
    const problems = problemsOf({ QUERY_BACKEND: 'log-analytics', LOG_ANALYTICS_WORKSPACE_ID: 'not-a-guid', INCIDENT_SINK: 'file', AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^LOG_ANALYTICS_WORKSPACE_ID: .*\(got "not-a-guid"\)$/);
  });

  it('requires QUERY_BACKEND and treats empty values as unset', () => {
    const problems = problemsOf({ QUERY_BACKEND: '  ', INCIDENT_SINK: 'file', AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^QUERY_BACKEND: .*\(got "  "\)$/);
  });

  it('resolves the state table connection like a Functions connection', () => {
    const identity = loadConfig({
      QUERY_BACKEND: 'local',
      LOCAL_DATA_DIR: 'x',
      INCIDENT_SINK: 'file',
      STATE_TABLE_CONNECTION: 'StateStorage',
      StateStorage__tableServiceUri: 'https://huntstate.table.core.windows.net/',
      StateStorage__clientId: '00000000-0000-0000-0000-000000000001',
    });
    expect(identity.table).toEqual({ kind: 'identity', tableServiceUri: 'https://huntstate.table.core.windows.net', clientId: '00000000-0000-0000-0000-000000000001' });
    const problems = problemsOf({ QUERY_BACKEND: 'local', LOCAL_DATA_DIR: 'x', INCIDENT_SINK: 'file' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^AzureWebJobsStorage: state table connection missing/);
  });
});
