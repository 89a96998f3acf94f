import { TableClient } from '@azure/data-tables';
import type { HunterConfig } from '../config/loadConfig.js';
import type { StateStore } from '../core/ports.js';
import { TableStateStore } from '../adapters/table/tableStateStore.js';
import type { AzureAccess } from './azureAccess.js';
import { addRequestTimeout } from '../adapters/http/servicePipeline.js';

/** Opens the state table named in settings, by connection string (Azurite, local) or managed identity (Azure). */
export async function buildStateStore(config: HunterConfig, azure: AzureAccess): Promise<TableStateStore & StateStore> {
  try {
    return await TableStateStore.open(stateTableClient(config, azure));
  } catch (error) {
    if (config.table.kind === 'connectionString' && /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/i.test(config.table.connectionString) && /ECONNREFUSED/.test(String((error as Error).message) + String((error as { cause?: unknown }).cause))) {
      throw new Error(
        `${(error as Error).message}\n(${config.settings.STATE_TABLE_CONNECTION} points at local development storage and nothing answers there: ` +
          'start Azurite, e.g. `npx azurite-table --location .hunter/azurite`, or point it at a storage account)',
        { cause: error },
      );
    }
    throw error;
  }
}

/** The state table's client; no request waits longer than the request timeout for its answer. */
export function stateTableClient(config: HunterConfig, azure: AzureAccess): TableClient {
  const client = tableClient(config, azure);
  addRequestTimeout(client.pipeline);
  return client;
}

function tableClient(config: HunterConfig, azure: AzureAccess): TableClient {
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
