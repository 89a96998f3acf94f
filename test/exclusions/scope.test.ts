import { describe, expect, it } from 'vitest';
import { exclusionsForRule, unknownRuleNames, type ExclusionEntry } from '../../src/exclusions/index.js';

const entry = (id: string, rules?: string[]): ExclusionEntry => ({
  id,
  description: id,
  enabled: true,
  ...(rules && { rules }),
  when: { field: 'process.parent.name', equals: 'schtasks.exe' },
});
const anydeskProcess = { id: 'e9c26766-0fe4-49b6-ae27-c41c41aae094', detectionGroup: 'rmm-anydesk' };
const teamviewerFile = { id: '0e92144a-d108-45dd-abb4-b0200c8c8cd0', detectionGroup: 'rmm-teamviewer' };
const shipped = { id: '7c20af02-4bce-4d6d-b609-3ddf5ca4fb59' };

describe('exclusions scoped to rules', () => {
  const entries = [entry('everywhere'), entry('anydesk-support', ['rmm-anydesk']), entry('one-rule', [teamviewerFile.id]), entry('typo', ['rmm-anydsk'])];

  it('apply to the rules they name (by id or detection group), and one naming none applies to every rule', () => {
    expect(exclusionsForRule(entries, anydeskProcess).map((e) => e.id)).toEqual(['everywhere', 'anydesk-support']);
    expect(exclusionsForRule(entries, teamviewerFile).map((e) => e.id)).toEqual(['everywhere', 'one-rule']);
    expect(exclusionsForRule(entries, shipped).map((e) => e.id)).toEqual(['everywhere']);
  });

  it('name the rules that no enabled rule answers to', () => {
    expect(unknownRuleNames(entries, [anydeskProcess, teamviewerFile])).toEqual(['typo: rmm-anydsk']);
  });
});
