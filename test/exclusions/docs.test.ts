import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ECS_MAPPING } from '../../src/context/ecsMapping.js';

describe('docs/exclusions.md', () => {
  it('shows the ECS mapping table exactly as the code defines it', async () => {
    const doc = await readFile('docs/exclusions.md', 'utf8');
    const code = (text: string | undefined) => (text === undefined ? '—' : `\`${text}\``);
    for (const mapping of ECS_MAPPING) {
      const row = `| \`${mapping.field}\` | ${code(mapping.processEvent?.columns)} | ${code(mapping.networkEvent?.columns)} | ${mapping.elsewhere ?? ''} |`;
      expect(doc.split('\n')).toContain(row);
    }
  });
});
