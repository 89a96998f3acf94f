/** Regenerates infra/generated/*.json from the code and the default rule YAML: `npm run gen:infra`. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingsSchema } from '../src/config/settings.js';
import { renderFindingsInfraFiles } from '../src/findings/infraFiles.js';
import { renderHealthInfraFiles } from '../src/health/infraFiles.js';
import { loadRule } from '../src/rules/load.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const rule = loadRule(join(root, settingsSchema.shape.RULE_PATH.parse(undefined)));
for (const file of [...renderFindingsInfraFiles(rule), ...renderHealthInfraFiles((path) => readFileSync(join(root, path), 'utf8'))]) {
  mkdirSync(dirname(join(root, file.path)), { recursive: true });
  writeFileSync(join(root, file.path), file.text);
  process.stdout.write(`wrote ${file.path}\n`);
}
