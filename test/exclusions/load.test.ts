import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExclusionFileError, loadExclusionsFile, parseExclusionsText } from '../../src/exclusions/index.js';
import { thrown } from '../support/thrown.js';

const problemsOf = (text: string): ExclusionFileError => thrown(() => parseExclusionsText(text, 'bad.yaml'), ExclusionFileError);

const header = `exclusions:
  - id: one
    description: d
    enabled: true
`;

describe('loading the sample file', () => {
  it('accepts config/exclusions.sample.yaml with its five enabled scenarios', async () => {
    const file = await loadExclusionsFile('config/exclusions.sample.yaml');
    expect(file.exclusions.map((entry) => entry.id)).toEqual([
      'it-staff-remote-support',
      'scheduled-maintenance',
      'admins-routine-audit',
      'internal-server-file-transfer',
      'msp-managed-service',
    ]);
    expect(file.exclusions.every((entry) => entry.enabled)).toBe(true);
  });

  it('reads an unquoted YAML date as the expiry day', () => {
    const file = parseExclusionsText(`${header}    expires: 2026-03-31\n    when: {field: process.name, equals: a}\n`, 'x.yaml');
    expect(file.exclusions[0]?.expires).toBe('2026-03-31');
  });
});

describe('invalid exclusion files', () => {
  it('name the file, the path of the bad field and its line:col', () => {
    const error = problemsOf(`${header}    when:
      all:
        - field: destination.ip
          cidr: [10.0.0.0/8, 300.1.1.1/8]
`);
    expect(error.file).toBe('bad.yaml');
    expect(error.problems).toEqual([
      expect.objectContaining({ path: 'exclusions[0].when.all[0].cidr[1]', line: 8, col: 30 }),
    ]);
    expect(error.message).toContain('bad.yaml:8:30: exclusions[0].when.all[0].cidr[1]: is not an IPv4 or IPv6 address or CIDR range');
  });

  it('point at an unknown key itself', () => {
    const error = problemsOf(`${header}    when:
      field: process.name
      equal: ammyy.exe
`);
    expect(error.problems).toContainEqual(expect.objectContaining({ path: 'exclusions[0].when.equal', line: 7, col: 7, message: 'unknown key "equal"' }));
  });

  it('report a condition with two operators once, at the condition', () => {
    const error = problemsOf(`${header}    when:
      any:
        - field: process.name
          equals: ammyy.exe
          in: [a.exe]
`);
    expect(error.problems).toEqual([
      expect.objectContaining({ path: 'exclusions[0].when.any[0]', message: expect.stringContaining('several operators (equals, in)') }),
    ]);
  });

  it('report an unknown ECS field with the allowed ones', () => {
    const error = problemsOf(`${header}    when: {field: process.parent, equals: cmd.exe}\n`);
    expect(error.problems[0]).toMatchObject({ path: 'exclusions[0].when.field', line: 5 });
    expect(error.problems[0]?.message).toContain('process.parent.name');
  });

  it('report a missing required key at its parent', () => {
    const error = problemsOf(`exclusions:
  - id: one
    description: d
    when: {field: process.name, equals: a}
`);
    expect(error.problems).toEqual([expect.objectContaining({ path: 'exclusions[0].enabled', message: 'is required', line: 2, col: 5 })]);
  });

  it('report a value that is not a condition', () => {
    const error = problemsOf(`${header}    when: {process.name: ammyy.exe}\n`);
    expect(error.problems[0]?.message).toContain('one of the keys all, any, not, field');
  });

  it('reject case_sensitive where it means nothing', () => {
    const error = problemsOf(`${header}    when: {field: destination.ip, cidr: 10.0.0.0/8, case_sensitive: true}\n`);
    expect(error.problems[0]).toMatchObject({ path: 'exclusions[0].when.case_sensitive', message: 'does not apply to cidr' });
  });

  it('reject a duplicate id', () => {
    const error = problemsOf(`${header}    when: {field: process.name, equals: a}
  - id: one
    description: again
    enabled: true
    when: {field: process.name, equals: b}
`);
    expect(error.problems[0]).toMatchObject({ path: 'exclusions[1].id', line: 6, message: 'duplicates the id of exclusions[0]' });
  });

  it('reject an expiry that is not a date', () => {
    const error = problemsOf(`${header}    expires: next year\n    when: {field: process.name, equals: a}\n`);
    expect(error.problems[0]).toMatchObject({ path: 'exclusions[0].expires', line: 5, message: 'must be a date YYYY-MM-DD' });
  });

  it('reject a non-boolean enabled, e.g. a quoted "yes"', () => {
    const error = problemsOf(`exclusions:\n  - id: one\n    description: d\n    enabled: "yes"\n    when: {field: process.name, equals: a}\n`);
    expect(error.problems[0]).toMatchObject({ path: 'exclusions[0].enabled', line: 4 });
  });

  it('report YAML syntax errors with their position', () => {
    const error = problemsOf('exclusions:\n  - id: [unclosed\n');
    expect(error.problems[0]?.message).toMatch(/^YAML: /);
    expect(error.problems[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('explain an empty file', () => {
    expect(problemsOf('# nothing here\n').problems[0]?.message).toContain('empty');
  });

  it('name the file when it cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'excl-'));
    await expect(loadExclusionsFile(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml.*cannot read/);
    const path = join(dir, 'ok.yaml');
    await writeFile(path, `${header}    when: {field: host.name, matches: 'lab-*'}\n`);
    await expect(loadExclusionsFile(path)).resolves.toMatchObject({ exclusions: [{ id: 'one' }] });
  });
});
