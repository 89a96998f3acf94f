/**
 * The rule file is the only place a detection is described: src/ names no detected tool. The app's own
 * name (ammyy-hunter, the ammyyHunter Function, its AmmyyHunter* tables) is the one exception, and so is
 * the setting that points at the shipped rule file by default.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const APP_NAME = /ammyy-hunter|ammyyHunter/gi;
const SHIPPED_RULE_DEFAULT = "RULE_PATH: z.string().min(1).default('rules/ammyy-file-signature.yaml'),";

describe('src/ holds no detection', () => {
  it('names the shipped tool nowhere but in the app\'s own name', () => {
    const offenders = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((entry) => /\.(ts|md|json)$/.test(entry))
      .flatMap((entry) =>
        readFileSync(path.join('src', entry), 'utf8')
          .split('\n')
          .map((line, index) => ({ where: `src/${entry}:${index + 1}`, line }))
          .filter(({ line }) => line.trim() !== SHIPPED_RULE_DEFAULT && /ammyy/i.test(line.replace(APP_NAME, ''))),
      )
      .map(({ where, line }) => `${where}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
