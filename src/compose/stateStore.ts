import { TableClient } from '@azure/data-tables';
import type { HunterConfig } from '../config/loadConfig.js';
import type { StateStore } from '../core/state.js';
import { TableStateStore } from '../adapters/table/tableStateStore.js';
import type { AzureAccess } from './azureAccess.js';

/** Opens the state table named in settings, by connection string (Azurite, local) or managed identity (Azure). */
export async function buildStateStore(config: HunterConfig, azure: AzureAccess): Promise<TableStateStore & StateStore> {
  return TableStateStore.open(stateTableClient(config, azure));
}

export function stateTableClient(config: HunterConfig, azure: AzureAccess): TableClient {
  const tableName = config.settings.STATE_TABLE_NAME;
  const connection = config.table;
  switch (connection.kind) {
    case 'connectionString':
      // Azurite listens on plain http on loopback; Azure's endpoints are https and unaffected.
      return TableClient.fromConnectionString(connection.connectionString, tableName, { allowInsecureConnection: /^UseDevelopmentStorage=true|http:\/\//i.test(connection.connectionString) });
    case 'identity':
      return new TableClient(connection.tableServiceUri, tableName, azure.credentials(connection.clientId), azure.pipelineOptions);
  }
}
