import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderExclusionsJsonSchema } from '../../src/exclusions/jsonSchema.js';
import { OPERATORS } from '../../src/exclusions/schema.js';

describe('schemas/exclusions.schema.json', () => {
  it('is what npm run gen:schemas generates from the zod schema (run it after changing the schema)', async () => {
    const committed = await readFile('schemas/exclusions.schema.json', 'utf8');
    expect(committed).toBe(renderExclusionsJsonSchema());
  });

  it('offers every operator and ECS field to editors', () => {
    const schema = JSON.parse(renderExclusionsJsonSchema()) as {
      definitions: { Condition: { anyOf: { properties: Record<string, { enum?: string[] }> }[] } };
    };
    const fieldCondition = schema.definitions.Condition.anyOf.find((branch) => 'field' in branch.properties);
    expect(Object.keys(fieldCondition?.properties ?? {})).toEqual(expect.arrayContaining([...OPERATORS, 'case_sensitive']));
    expect(fieldCondition?.properties['field']?.enum).toContain('user.group');
  });

  it('is referenced by the sample file for editor completion', async () => {
    const sample = await readFile('config/exclusions.sample.yaml', 'utf8');
    expect(sample.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/exclusions.schema.json');
  });
});
