/**
 * The emulator under `hunter replay` and `hunter state`: Azurite saves its tables to disk every
 * 5 seconds (LokiJS autosaveInterval) and on a clean close. A replay killed hard (SIGKILL, an
 * out-of-memory kill, a closed terminal) used to leave its Azurite child running, holding the
 * state folder; killing that child too lost what it had acknowledged since its last save.
 * Now the child shuts down cleanly on its own when its parent goes away.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { startAzuriteTables } from '../../../src/adapters/table/azurite.js';
import { isRunning, waitUntil } from '../../support/processes.js';

describe('Azurite started by the hunter', () => {
  it('shuts down cleanly when its parent is killed, keeping the writes it acknowledged', async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-azurite-'));
    const parent = spawn(process.execPath, ['--import', 'tsx', 'test/support/azuriteParent.ts', stateDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout! }).once('line', resolve);
      parent.once('exit', (code) => reject(new Error(`the parent exited (code ${code}) before writing`)));
    });
    const { azuritePid } = JSON.parse(firstLine) as { azuritePid: number };
    expect(isRunning(azuritePid)).toBe(true);

    parent.kill('SIGKILL');
    await waitUntil(() => !isRunning(azuritePid), 'Azurite to exit after its parent was killed');

    const azurite = await startAzuriteTables({ persistenceDir: stateDir });
    try {
      const table = TableClient.fromConnectionString(azurite.connectionString, 'Survivors', { allowInsecureConnection: true });
      expect((await table.getEntity('p', 'acknowledged'))['value']).toBe('written before the parent died');
    } finally {
      await azurite.stop();
    }
  });

  it('stop() closes the emulator and lets it save', async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'hunter-azurite-'));
    const first = await startAzuriteTables({ persistenceDir: stateDir });
    const table = TableClient.fromConnectionString(first.connectionString, 'Saved', { allowInsecureConnection: true });
    await table.createTable();
    await table.createEntity({ partitionKey: 'p', rowKey: 'r' });
    await first.stop();
    expect(isRunning(first.pid)).toBe(false);
    const second = await startAzuriteTables({ persistenceDir: stateDir });
    try {
      const reopened = TableClient.fromConnectionString(second.connectionString, 'Saved', { allowInsecureConnection: true });
      expect((await reopened.getEntity('p', 'r')).rowKey).toBe('r');
    } finally {
      await second.stop();
    }
  });
});
