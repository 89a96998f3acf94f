/** Regenerates schemas/exclusions.schema.json from the zod schema: `npx tsx scripts/gen-exclusions-schema.ts`. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderExclusionsJsonSchema } from '../src/exclusions/jsonSchema.js';

const target = fileURLToPath(new URL('../schemas/exclusions.schema.json', import.meta.url));
await writeFile(target, renderExclusionsJsonSchema());
process.stdout.write(`wrote ${target}\n`);
