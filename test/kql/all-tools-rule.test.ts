// The "all tools" network rule (datatable, has_any over a tabular subquery, trim_start, split) on
// fixture data. As published it groups by AccountUpn, which DeviceNetworkEvents does not have, so it
// fails to bind exactly as it would in Defender; with the column corrected it finds the RMM hosts.
import { describe, expect, it } from 'vitest';
import { openDataDir } from '../../src/data/index.js';
import { evaluate, KqlBindError } from '../../src/kql/index.js';
import { loadCorpus } from './corpus/corpus.js';

const DATA = new URL('../fixtures/kql/all-netconn', import.meta.url).pathname;
const NOW = new Date('2026-11-22T00:00:00Z');

describe('rmm__all_netconn on fixture data', () => {
  const rule = loadCorpus().find((r) => r.file === 'rmm__all_netconn.yaml')!;

  it('fails to bind as published, naming AccountUpn', async () => {
    const err = await evaluate(rule!.query, { tables: openDataDir(DATA), now: NOW }).catch((e) => e);
    expect(err).toBeInstanceOf(KqlBindError);
    expect(err.message).toMatch(/unknown column 'AccountUpn'/);
  });

  it('with InitiatingProcessAccountUpn it extracts the RMM host per device', async () => {
    const query = rule!.query.replace(/\bAccountUpn\b/, 'InitiatingProcessAccountUpn');
    const r = await evaluate(query, { tables: openDataDir(DATA), now: NOW });
    expect(r.rows.map((x) => [x['DeviceId'], x['RemoteUrl'], x['InitiatingProcessFileName'], x['Count'], x['Report']])).toEqual([
      ['dev-a', 'ammyy.com', 'AA_v3.exe', 2, [1001, 1007]],
      ['dev-a', 'rmm.datto.com', 'AEMAgent.exe', 1, [1002]],
      ['dev-b', 'relay.teamviewer.com', 'TeamViewer.exe', 1, [1003]],
    ]);
  });
});
