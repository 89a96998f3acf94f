import * as z from 'zod';
import { exclusionFileSchema } from './schema.js';

/**
 * The JSON Schema editors use to complete and check exclusion files. Draft-07, because that is
 * the draft the YAML language server and most editors understand fully.
 */
export function renderExclusionsJsonSchema(): string {
  const generated = z.toJSONSchema(exclusionFileSchema, { target: 'draft-7', io: 'input' });
  const schema = {
    ...generated,
    title: 'ammyy-hunter exclusions',
    description: 'Exclusions for legitimate Ammyy use. Generated from src/exclusions/schema.ts by scripts/gen-exclusions-schema.ts; do not edit.',
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
