import { renderEditorSchema } from '../yaml/editorSchema.js';
import { exclusionFileSchema } from './schema.js';

/** schemas/exclusions.schema.json: what editors check exclusion files against. */
export function renderExclusionsJsonSchema(): string {
  return renderEditorSchema(
    exclusionFileSchema,
    'ammyy-hunter exclusions',
    'Exclusions for legitimate use of what a rule detects. Generated from src/exclusions/schema.ts by npm run gen:schemas; do not edit.',
  );
}
