/**
 * The five legitimate uses of the published guidance, each beside a malicious look-alike, run end
 * to end on the local evaluator: hunt query → context query → sample exclusions.
 */
import { describe, expect, it } from 'vitest';
import { LocalKqlBackend } from '../../src/adapters/local/localKqlBackend.js';
import { withSentinelIdentityInfo } from '../../src/context/index.js';
import { openDataDir } from '../../src/data/index.js';
import { loadExclusionsFile } from '../../src/exclusions/index.js';
import { runExclusionTrial, type ExclusionTrialReport } from '../../src/exclusions/trial.js';
import { defaultCatalogue } from '../../src/kql/index.js';
import { loadRule } from '../../src/rules/load.js';

const now = new Date('2026-11-20T12:00:00Z');

async function trial(scenario: string): Promise<ExclusionTrialReport> {
  const rule = loadRule('rules/ammyy-file-signature.yaml');
  const tables = openDataDir(`test/fixtures/exclusions/${scenario}`, withSentinelIdentityInfo(defaultCatalogue));
  const backend = new LocalKqlBackend(tables, { now: () => now });
  const { exclusions } = await loadExclusionsFile('config/exclusions.sample.yaml');
  return runExclusionTrial({
    rule,
    backend,
    entries: exclusions,
    window: { start: new Date(now.getTime() - rule.queryPeriodMs), end: now },
    now,
    maxBatchSize: 2,
    warnShare: 1,
  });
}

/** deviceName → the exclusion ids that suppressed it, or 'raised'. */
function outcome(report: ExclusionTrialReport): Record<string, string[] | 'raised'> {
  return Object.fromEntries(
    report.hits.map(({ hit, verdict }) => [hit.deviceName, verdict.suppressed ? verdict.matches.map((match) => match.exclusionId) : 'raised']),
  );
}

describe('sample exclusions on the scenario fixtures', () => {
  it('IT staff support is suppressed; Ammyy from Downloads started by powershell, talking to a public IP too, is raised; a file that never ran is raised', async () => {
    const report = await trial('it-staff-remote-support');
    expect(outcome(report)).toEqual({
      'hd-support-01.contoso.local': ['it-staff-remote-support'],
      'ws-fin-07.contoso.local': 'raised',
      'ws-idle-02.contoso.local': 'raised',
    });
    const lookAlike = report.hits.find(({ hit }) => hit.deviceName === 'ws-fin-07.contoso.local');
    expect(lookAlike?.context?.activities[0]?.fields).toMatchObject({
      'process.parent.name': ['powershell.exe'],
      'process.executable': ['C:\\Users\\bob\\Downloads\\ammyy.exe'],
      'destination.ip': ['10.20.0.15', '185.212.47.19'],
      'destination.domain': ['rl.ammyy.com'],
      'user.name': ['CONTOSO\\bob'],
      'user.group': ['Domain Users', 'Finance'],
    });
    expect(report.hits.find(({ hit }) => hit.deviceName === 'ws-idle-02.contoso.local')?.context?.activities).toEqual([]);
  });

  it('scheduled runs are suppressed; a device where one run came from the scheduler and another from a shell is raised', async () => {
    expect(outcome(await trial('scheduled-maintenance'))).toEqual({
      'srv-patch-01.contoso.local': ['scheduled-maintenance'],
      'srv-patch-02.contoso.local': 'raised',
    });
  });

  it('the domain Administrator and Domain Admins members are suppressed; a local Administrator and a look-alike group are raised', async () => {
    expect(outcome(await trial('admins-routine-audit'))).toEqual({
      'adm-ws-01.contoso.local': ['admins-routine-audit'],
      'adm-ws-02.contoso.local': ['admins-routine-audit'],
      'ws-hr-03.contoso.local': 'raised',
      'ws-hr-04.contoso.local': 'raised',
    });
  });

  it('internal-only transfers (IPv4, IPv4-mapped and IPv6 ULA peers) are suppressed; one peer outside the ranges, or no network evidence, is raised', async () => {
    expect(outcome(await trial('internal-server-file-transfer'))).toEqual({
      'fs-01.contoso.local': ['internal-server-file-transfer'],
      'ws-eve-05.contoso.local': 'raised',
      'fs-03.contoso.local': 'raised',
    });
  });

  it('MSI-deployed provider runs are suppressed, also when only the network event survived; the renamed binary under a script host is raised', async () => {
    expect(outcome(await trial('msp-managed-service'))).toEqual({
      'msp-cl-01.contoso.local': ['msp-managed-service'],
      'msp-cl-02.contoso.local': ['msp-managed-service'],
      'ws-kiosk-09.contoso.local': 'raised',
    });
  });

  it('reports per exclusion what it would suppress', async () => {
    const report = await trial('scheduled-maintenance');
    expect(report.exclusions.find((exclusion) => exclusion.id === 'scheduled-maintenance')).toEqual({
      id: 'scheduled-maintenance',
      status: 'active',
      matchedActivities: 3,
      suppressedDevices: ['srv-patch-01.contoso.local'],
      suppressesAlone: ['srv-patch-01.contoso.local'],
    });
  });
});
