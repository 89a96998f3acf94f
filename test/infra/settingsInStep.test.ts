/**
 * Guard: every setting the code reads is set by the infrastructure, listed in
 * local.settings.sample.json and documented in the README settings table; nothing is set there that
 * nobody reads. Exceptions are listed below, each with its reason.
 */
import { describe, expect, it } from 'vitest';
import {
  bicepAppSettings,
  compareSettings,
  describeComparison,
  processEnvReadsInSource,
  readBicepFiles,
  readLocalSettingsSample,
  readReadmeSettingsTable,
  settingsReadByCode,
} from './infraChecks.js';

/** Read by the Functions host, not by the hunter; setting them is still right. */
const readByFunctionsHost: Readonly<Record<string, string>> = {
  AzureWebJobsStorage__credential: 'host storage over the managed identity',
  AzureWebJobsStorage__blobServiceUri: 'host storage: blob endpoint (timer locks, deployment package)',
  AzureWebJobsStorage__queueServiceUri: 'host storage: queue endpoint',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'host telemetry target',
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'host telemetry authenticated with the managed identity',
  FUNCTIONS_WORKER_RUNTIME: 'local Functions host: picks the node worker (Flex Consumption takes the runtime from functionAppConfig instead)',
};

/** Read by the code, deliberately not set in Azure. */
const notSetInAzure: Readonly<Record<string, string>> = {
  AzureWebJobsStorage: 'the connection-string form needs an account key; Azure uses the identity form (__credential, __clientId, __*ServiceUri)',
  AzureWebJobsStorage__accountName: 'Azure sets AzureWebJobsStorage__tableServiceUri, which the resolver prefers',
  LOCAL_DATA_DIR: 'QUERY_BACKEND=local is for a workstation; Azure queries log-analytics or defender',
  INCIDENT_OUT_DIR: 'INCIDENT_SINK=file is for a workstation; Azure raises Sentinel incidents',
};

/** Read by the code, deliberately absent from the local sample. */
const notInLocalSample: Readonly<Record<string, string>> = {
  AzureWebJobsStorage__tableServiceUri: 'identity form, Azure only; locally AzureWebJobsStorage holds the Azurite connection string',
  AzureWebJobsStorage__accountName: 'identity form, Azure only',
  AzureWebJobsStorage__clientId: 'identity form, Azure only',
};

const code = settingsReadByCode();

describe('settings read by the code', () => {
  it('include the state table connection variants (found by running the resolver)', () => {
    // If this fails the recording environment no longer sees the resolver's reads and every check below would be too lenient.
    expect(code.tableConnectionNames).toEqual(
      expect.arrayContaining(['AzureWebJobsStorage', 'AzureWebJobsStorage__tableServiceUri', 'AzureWebJobsStorage__accountName', 'AzureWebJobsStorage__clientId']),
    );
  });

  it('are read only through the settings schema (no stray process.env reads of other names in src/)', () => {
    const stray = processEnvReadsInSource().filter((read) => !code.names.has(read.name));
    expect(stray, 'src/ reads these names from process.env without going through src/config/settings.ts').toEqual([]);
  });
});

describe('settings stay in step', () => {
  it('infra/**/*.bicep sets every setting the code reads, and only settings someone reads', () => {
    const files = readBicepFiles();
    expect(files.length, 'no .bicep files under infra/').toBeGreaterThan(0);
    const declared = bicepAppSettings(files);
    const comparison = compareSettings(
      declared.map((setting) => setting.name),
      code.names,
      { mayBeAbsent: notSetInAzure, readByHost: readByFunctionsHost },
    );
    const problems = describeComparison('infra/**/*.bicep app settings', comparison);
    const wronglyExcused = Object.keys(notSetInAzure).filter((name) => declared.some((setting) => setting.name === name));
    if (wronglyExcused.length > 0) problems.push(`infra/**/*.bicep sets settings the test says are not set in Azure: ${wronglyExcused.join(', ')}`);
    expect(problems).toEqual([]);
  });

  it('infra/**/*.bicep sets no app setting the Flex Consumption plan rejects', () => {
    // https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations
    // (the runtime and version come from functionAppConfig; content shares do not exist on Flex).
    const rejectedByFlex = ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_NODE_DEFAULT_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', 'WEBSITE_CONTENTSHARE'];
    expect(bicepAppSettings(readBicepFiles()).filter((setting) => rejectedByFlex.includes(setting.name))).toEqual([]);
  });

  it('local.settings.sample.json lists every setting the code reads, and only settings someone reads', () => {
    const sample = readLocalSettingsSample();
    if (!sample.ok) expect.fail(sample.problem);
    const comparison = compareSettings(sample.value, code.names, { mayBeAbsent: notInLocalSample, readByHost: readByFunctionsHost });
    expect(describeComparison('local.settings.sample.json Values', comparison)).toEqual([]);
  });

  it('the README settings table documents every setting the code reads, and only settings someone reads', () => {
    const table = readReadmeSettingsTable(code.names);
    if (!table.ok) expect.fail(table.problem);
    const comparison = compareSettings(table.value, code.names, { mayBeAbsent: {}, readByHost: readByFunctionsHost });
    expect(describeComparison('README.md settings table', comparison)).toEqual([]);
  });
});

describe('the comparison itself', () => {
  const readByCode = new Set(['A', 'B', 'C']);

  it('reports a setting the code reads that a source lacks', () => {
    expect(compareSettings(['A', 'B'], readByCode, { mayBeAbsent: {}, readByHost: {} }).missing).toEqual(['C']);
  });

  it('reports a setting a source sets that nobody reads', () => {
    expect(compareSettings(['A', 'B', 'C', 'TYPO'], readByCode, { mayBeAbsent: {}, readByHost: {} }).neverRead).toEqual(['TYPO']);
  });

  it('accepts excused absences and host-read settings, and flags excuses for names no longer read', () => {
    const comparison = compareSettings(['A', 'B', 'HOST'], readByCode, { mayBeAbsent: { C: 'why', GONE: 'why' }, readByHost: { HOST: 'why' } });
    expect(comparison).toEqual({ missing: [], neverRead: [], staleExcuses: ['GONE'] });
  });

  it('finds app settings in Bicep object variables and literal appSettings arrays, not in comments', () => {
    const bicep = [
      "var hunterAppSettings = {",
      "  HUNT_SCHEDULE: huntSchedule",
      "  'AzureWebJobsStorage__clientId': id.outputs.clientId",
      "  NESTED: { INNER: 'x' }",
      "  // COMMENTED_OUT: 'x'",
      "}",
      "resource site 'Microsoft.Web/sites@2024-04-01' = {",
      "  properties: { siteConfig: { appSettings: [",
      "    { name: 'LITERAL_SETTING', value: 'v' }",
      "  ] } }",
      "}",
    ].join('\n');
    expect(bicepAppSettings([{ path: 'x.bicep', text: bicep }]).map((setting) => setting.name)).toEqual([
      'HUNT_SCHEDULE',
      'AzureWebJobsStorage__clientId',
      'NESTED',
      'LITERAL_SETTING',
    ]);
  });
});
