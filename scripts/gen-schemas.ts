/** Regenerates the editor schemas in schemas/ from the zod schemas that load the files: `npm run gen:schemas`. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderExclusionsJsonSchema } from '../src/exclusions/jsonSchema.js';
import { renderRuleJsonSchema } from '../src/rules/jsonSchema.js';

const EDITOR_SCHEMAS = [
  { file: 'schemas/exclusions.schema.json', render: renderExclusionsJsonSchema },
  { file: 'schemas/rule.schema.json', render: renderRuleJsonSchema },
] as const;

for (const { file, render } of EDITOR_SCHEMAS) {
  await writeFile(fileURLToPath(new URL(`../${file}`, import.meta.url)), render());
  process.stdout.write(`wrote ${file}\n`);
}
