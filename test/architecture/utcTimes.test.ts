/**
 * Text becomes a time in one place: `parseDatetime` (src/kql/literals.ts), which reads the documented
 * formats as UTC unless the text names its zone. `new Date(text)` and `Date.parse` fall back to the host's
 * time zone for zone-less text, and `new Date(y, m, d, ...)` is local time: on a host outside UTC they
 * would shift windows, watermarks and incident times. The type checker finds every such call in src/.
 */
import path from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { timeOf } from '../../src/context/contextRows.js';
import { hitsFromResult } from '../../src/core/hitRows.js';
import { expiryInstant } from '../../src/exclusions/evaluator.js';

function hostTimeZoneCalls(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.resolve('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error('cannot read tsconfig.json');
  const program = ts.createProgram({ rootNames: config.fileNames.filter((file) => file.includes(`${path.sep}src${path.sep}`)), options: config.options });
  const checker = program.getTypeChecker();
  const offenders: string[] = [];
  const isTextLike = (type: ts.Type): boolean =>
    type.isUnion() ? type.types.some(isTextLike) : (type.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !file.fileName.includes(`${path.sep}src${path.sep}`)) continue;
    const where = (node: ts.Node) => `${path.relative(process.cwd(), file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().slice(0, 80)}`;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.expression.getText() === 'Date' && node.arguments !== undefined) {
        if (node.arguments.length > 1 || (node.arguments.length === 1 && isTextLike(checker.getTypeAtLocation(node.arguments[0]!)))) offenders.push(where(node));
      }
      if (ts.isCallExpression(node) && node.expression.getText() === 'Date.parse') offenders.push(where(node));
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return offenders;
}

describe('times from text', () => {
  it('are parsed as UTC in one place: no new Date(text), Date.parse or local-time new Date(y, m, ...) in src/', () => {
    expect(hostTimeZoneCalls()).toEqual([]);
  });

  describe('on a host outside UTC', () => {
    const hostZone = process.env['TZ'];
    afterEach(() => {
      if (hostZone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = hostZone;
    });

    it('reads a zone-less time as UTC, as Kusto does: hunt rows, context rows, exclusion expiry', () => {
      process.env['TZ'] = 'America/New_York'; // Node applies a changed TZ to every later Date
      expect(new Date(2026, 10, 20, 12).toISOString()).toBe('2026-11-20T17:00:00.000Z'); // the host's zone is in force
      const [hit] = hitsFromResult(
        { columns: ['DeviceId', 'DeviceName', 'FirstSeen', 'LastSeen', 'Report', 'Count'].map((name) => ({ name, type: 'string' })), rows: [{ DeviceId: 'd', DeviceName: 'n', FirstSeen: '2026-11-20 12:00:00', LastSeen: '2026-11-20T13:00:00', Report: ['1'], Count: 1 }] },
        'rule.yaml',
      ).hits;
      expect([hit!.firstSeen.toISOString(), hit!.lastSeen.toISOString()]).toEqual(['2026-11-20T12:00:00.000Z', '2026-11-20T13:00:00.000Z']);
      expect(timeOf('2026-11-20 12:00')?.toISOString()).toBe('2026-11-20T12:00:00.000Z');
      expect(expiryInstant('2026-03-31')?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    });
  });
});
