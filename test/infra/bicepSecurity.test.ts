/**
 * Guard: no Bicep resource reaches storage with a connection string or account key, and every role
 * assignment names its role through a commented role id constant, with a guid(scope, principal, role) name.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBicepFiles, repoRoot, roleAssignmentProblems, roleIdConstants, storageSecretUses, type SourceFile } from './infraChecks.js';

const files = readBicepFiles();

describe('infra/**/*.bicep', () => {
  it('exists', () => {
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining(['infra/main.bicep']));
  });

  it('uses no storage connection string or account key', () => {
    expect(storageSecretUses(files)).toEqual([]);
  });

  it('names every role through a commented role id constant, in assignments named guid(scope, principal, role)', () => {
    expect(roleAssignmentProblems(files)).toEqual([]);
  });

  it('declares each built-in role id once', () => {
    const { constants } = roleIdConstants(files);
    const byGuid = new Map<string, string[]>();
    for (const constant of constants.values()) byGuid.set(constant.guid.toLowerCase(), [...(byGuid.get(constant.guid.toLowerCase()) ?? []), constant.name]);
    expect([...byGuid.values()].filter((names) => names.length > 1)).toEqual([]);
  });
});

describe('infra/scripts/grant-graph-permission.sh', () => {
  it('grants the same Graph app role as the Bicep (ThreatHunting.Read.All on Microsoft Graph)', () => {
    const script = readFileSync(join(repoRoot, 'infra', 'scripts', 'grant-graph-permission.sh'), 'utf8');
    const { constants } = roleIdConstants(files);
    const scriptConstant = (name: string) => new RegExp(`^readonly ${name}='([0-9a-f-]{36})'`, 'm').exec(script)?.[1];
    expect(scriptConstant('THREAT_HUNTING_READ_ALL_APP_ROLE_ID')).toBe(constants.get('graphThreatHuntingReadAllAppRoleId')?.guid);
    expect(scriptConstant('MICROSOFT_GRAPH_APP_ID')).toBe(constants.get('microsoftGraphAppId')?.guid);
  });
});

describe('the checks catch', () => {
  const bicep = (text: string): SourceFile[] => [{ path: 'bad.bicep', text }];

  it('listKeys, an AccountKey connection string, and a storage connectionString', () => {
    const problems = storageSecretUses(
      bicep(
        [
          "var key = listKeys(storage.id, '2023-05-01').keys[0].value",
          "var conn = 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${key}'",
          'var other = storage.properties.connectionString',
          'var telemetry = applicationInsights.properties.ConnectionString // allowed: not a storage secret',
        ].join('\n'),
      ),
    );
    expect(problems.join('\n')).toMatch(/listKeys/);
    expect(problems.join('\n')).toMatch(/AccountKey=/);
    expect(problems.join('\n')).toMatch(/bad\.bicep:3: connection string/);
    expect(problems.join('\n')).not.toMatch(/bad\.bicep:4/);
  });

  it('a storage account that keeps shared key access, and the AzureWebJobsStorage connection-string setting', () => {
    const problems = storageSecretUses(
      bicep(
        [
          "resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {",
          "  name: 'x'",
          '  properties: { minimumTlsVersion: \'TLS1_2\' }',
          '}',
          'var hostAppSettings = {',
          "  AzureWebJobsStorage: 'x'",
          '}',
        ].join('\n'),
      ),
    );
    expect(problems).toHaveLength(2);
  });

  it('a role assignment with an inline GUID, an uncommented constant, and a name that is not guid(scope, principal, role)', () => {
    const problems = roleAssignmentProblems(
      bicep(
        [
          "var readerRoleId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'",
          "resource inline 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
          '  name: guid(scope.id, principalId, readerRoleId)',
          "  properties: { roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7') }",
          '}',
          "resource badName 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
          "  name: guid('fixed')",
          '  properties: {',
          "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', readerRoleId)",
          '  }',
          '}',
        ].join('\n'),
      ),
    );
    expect(problems.join('\n')).toMatch(/readerRoleId: role id constant has no comment/);
    expect(problems.join('\n')).toMatch(/inline must use subscriptionResourceId/);
    expect(problems.join('\n')).toMatch(/badName must be named guid/);
  });

  it('accepts a commented constant (comment above, decorator in between)', () => {
    const problems = roleAssignmentProblems(
      bicep(
        [
          '// Reader: read-only look at the resource.',
          '@export()',
          "var readerRoleId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'",
          "resource ok 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (enabled) {",
          '  scope: thing',
          '  name: guid(thing.id, principalId, readerRoleId)',
          '  properties: {',
          "    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', readerRoleId)",
          '  }',
          '}',
        ].join('\n'),
      ),
    );
    expect(problems).toEqual([]);
  });
});
