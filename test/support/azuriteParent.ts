/**
 * A process that starts a persisted Azurite, writes one entity, says so on stdout and then waits
 * to be killed: the test kills it hard and checks what the emulator did about it.
 * Usage: node --import tsx test/support/azuriteParent.ts STATE_DIR
 */
import { TableClient } from '@azure/data-tables';
import { startAzuriteTables } from '../../src/adapters/table/azurite.js';

const azurite = await startAzuriteTables({ persistenceDir: process.argv[2] });
const table = TableClient.fromConnectionString(azurite.connectionString, 'Survivors', { allowInsecureConnection: true });
await table.createTable();
await table.createEntity({ partitionKey: 'p', rowKey: 'acknowledged', value: 'written before the parent died' });
process.stdout.write(JSON.stringify({ azuritePid: azurite.pid }) + '\n');
setInterval(() => undefined, 60_000);
