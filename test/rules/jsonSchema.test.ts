import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderRuleJsonSchema } from '../../src/rules/jsonSchema.js';
import { ALERT_ENTITY_TYPES } from '../../src/rules/schema.js';

describe('schemas/rule.schema.json', () => {
  it('is what npm run gen:schemas generates from the zod schema (run it after changing the schema)', async () => {
    expect(await readFile('schemas/rule.schema.json', 'utf8')).toBe(renderRuleJsonSchema());
  });

  it('offers editors the hunter fields with their meaning, and lets other Sentinel fields through', () => {
    const schema = JSON.parse(renderRuleJsonSchema()) as { properties: Record<string, { description?: string; items?: { enum?: string[] }; default?: unknown }>; additionalProperties: unknown; required: string[] };
    for (const field of ['tool', 'contextQueryFile', 'deviceQueryFile', 'triageChecklist', 'alertEntities', 'tags']) {
      expect(schema.properties[field]?.description, field).toMatch(/\w/);
    }
    expect(schema.properties['alertEntities']?.items?.enum).toEqual([...ALERT_ENTITY_TYPES]);
    expect(schema.required).toEqual(['id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query']);
    expect(schema.additionalProperties).toEqual({});
  });

  it('has every field documented in docs/rules.md', async () => {
    const docs = await readFile('docs/rules.md', 'utf8');
    const schema = JSON.parse(renderRuleJsonSchema()) as { properties: Record<string, { properties?: Record<string, { properties?: Record<string, unknown> }> }> };
    const fields = Object.entries(schema.properties).flatMap(([name, field]) =>
      field.properties === undefined
        ? [name]
        : Object.entries(field.properties).flatMap(([child, nested]) => (nested.properties === undefined ? [`${name}.${child}`] : Object.keys(nested.properties).map((leaf) => `${name}.${child}.${leaf}`))),
    );
    expect(fields.filter((field) => !docs.includes(`| \`${field}\` |`))).toEqual([]);
  });
});
