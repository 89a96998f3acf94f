import * as z from 'zod';

/**
 * The JSON Schema editors use to complete and check one of the hunter's YAML files, generated from the
 * zod schema that loads it (so the two cannot drift; `npm run gen:schemas` writes schemas/*.schema.json
 * and a test per file fails when it is stale). Draft-07, the draft the YAML language server and most
 * editors understand fully; the input side, since files are written before defaults apply.
 */
export function renderEditorSchema(schema: z.ZodType, title: string, description: string): string {
  const generated = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' });
  return `${JSON.stringify({ ...generated, title, description }, null, 2)}\n`;
}
