/**
 * One Azurite table service per test file (started on a free loopback port, in memory),
 * and a fresh table per store so tests never see each other's state.
 */
import { afterAll, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { startAzuriteTables, type AzuriteTables } from '../../src/adapters/table/azurite.js';
import { TableStateStore } from '../../src/adapters/table/tableStateStore.js';

export interface AzuriteForTests {
  readonly azurite: () => AzuriteTables;
  /** A client on a new, uniquely named table; `connectionString` defaults to the emulator's. */
  tableClient(tableName?: string, connectionString?: string): TableClient;
  newStore(connectionString?: string): Promise<{ store: TableStateStore; table: TableClient }>;
}

export function uniqueTableName(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

export function useAzurite(): AzuriteForTests {
  let running: AzuriteTables | undefined;
  beforeAll(async () => {
    running = await startAzuriteTables({ persistenceDir: undefined });
  });
  afterAll(async () => {
    await running?.stop();
  });
  const azurite = () => {
    if (!running) throw new Error('Azurite is not running (use inside a test)');
    return running;
  };
  const tableClient = (tableName = uniqueTableName(), connectionString = azurite().connectionString) =>
    TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
  return {
    azurite,
    tableClient,
    async newStore(connectionString) {
      const table = tableClient(uniqueTableName(), connectionString);
      return { store: await TableStateStore.open(table), table };
    },
  };
}
