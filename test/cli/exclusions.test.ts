import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIo } from '../../src/cli/command.js';
import { exclusionsCommand } from '../../src/cli/commands/exclusions.js';

function captureIo(): CliIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void) => new Writable({ write(chunk, _encoding, done) { append(String(chunk)); done(); } });
  return {
    stdout: sink((text) => { out += text; }),
    stderr: sink((text) => { err += text; }),
    env: {},
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}

describe('hunter exclusions test', () => {
  it('shows per exclusion what it would suppress, and per device the outcome', async () => {
    const io = captureIo();
    const code = await exclusionsCommand.run(['test', '--data', 'test/fixtures/exclusions/scheduled-maintenance'], io);
    expect(code).toBe(0);
    const out = io.out();
    expect(out).toContain('2 hits, 1 suppressed, 1 raised');
    expect(out).toMatch(/scheduled-maintenance\s+active\s+3\s+srv-patch-01\.contoso\.local\s+srv-patch-01\.contoso\.local/);
    expect(out).toMatch(/srv-patch-02\.contoso\.local\s+2\s+raised\s+scheduled-maintenance \(1\)/);
  });

  it('prints JSON with the activities behind each verdict', async () => {
    const io = captureIo();
    await exclusionsCommand.run(['test', '--data', 'test/fixtures/exclusions/msp-managed-service', '--format', 'json'], io);
    const report = JSON.parse(io.out()) as { hits: { deviceName: string; suppressed: boolean; activities: { fields: Record<string, string[]> }[] }[] };
    const networkOnly = report.hits.find((hit) => hit.deviceName === 'msp-cl-02.contoso.local');
    expect(networkOnly?.suppressed).toBe(true);
    expect(networkOnly?.activities[0]?.fields['process.parent.name']).toEqual(['msiexec.exe']);
  });

  it('judges a disabled entry as if enabled, without letting it suppress', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'excl-cli-'));
    const file = join(dir, 'exclusions.yaml');
    await writeFile(file, `exclusions:
  - id: scheduler-off
    description: switched off
    enabled: false
    when: {field: process.parent.name, in: [schtasks.exe, taskeng.exe]}
`);
    const io = captureIo();
    await exclusionsCommand.run(['test', '--data', 'test/fixtures/exclusions/scheduled-maintenance', '--exclusions', file, '--now', '2026-11-20T12:00:00Z'], io);
    expect(io.out()).toContain('2 hits, 0 suppressed, 2 raised');
    expect(io.out()).toMatch(/scheduler-off\s+disabled\s+3\s+-\s+srv-patch-01\.contoso\.local/);
    expect(io.out()).toContain('warning: exclusion "scheduler-off" is disabled and was ignored');
  });

  it('reports an invalid exclusion file with its path and exit code 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'excl-cli-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'exclusions:\n  - id: x\n    description: d\n    enabled: true\n    when: {field: destination.ip, cidr: 10.0.0.0/33}\n');
    const io = captureIo();
    expect(await exclusionsCommand.run(['test', '--data', 'test/fixtures/exclusions/scheduled-maintenance', '--exclusions', file], io)).toBe(1);
    expect(io.err()).toContain(`${file}:5:41: exclusions[0].when.cidr: is not an IPv4 or IPv6 address or CIDR range`);
  });

  it('rejects a missing sub-command or --data as usage errors', async () => {
    await expect(exclusionsCommand.run(['list'], captureIo())).rejects.toBeInstanceOf(UsageError);
    await expect(exclusionsCommand.run(['test'], captureIo())).rejects.toBeInstanceOf(UsageError);
    await expect(exclusionsCommand.run(['test', '--data', 'x', '--warn-share', '2'], captureIo())).rejects.toBeInstanceOf(UsageError);
  });
});
