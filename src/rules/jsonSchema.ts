import { renderEditorSchema } from '../yaml/editorSchema.js';
import { ruleFileSchema } from './schema.js';

/** schemas/rule.schema.json: what editors check rule files against (Sentinel fields pass through). */
export function renderRuleJsonSchema(): string {
  return renderEditorSchema(
    ruleFileSchema,
    'ammyy-hunter rule',
    'A Microsoft Sentinel analytic rule with the hunter\'s fields (docs/rules.md). Generated from src/rules/schema.ts by npm run gen:schemas; do not edit.',
  );
}
