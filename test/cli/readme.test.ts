/**
 * The README's CLI section is generated from the commands themselves: each command's usage line and
 * summary, the options it parses (as its help names them) and the one exit-code contract. This test
 * fails while the README is stale; regenerate it with
 *   UPDATE_DOCS=1 npx vitest run test/cli/readme.test.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EXIT_CODE_MEANINGS, type Command, type CommandEntry } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands/index.js';

const README = 'README.md';
const START = '<!-- cli:start — generated from src/cli/commands by test/cli/readme.test.ts; regenerate with UPDATE_DOCS=1 npx vitest run test/cli/readme.test.ts -->';
const END = '<!-- cli:end -->';

/** `--now ISO`, `--fresh`: each option line of a help text, as the help writes it. */
function helpOptions(help: string): string[] {
  return [...help.matchAll(/^ {2}(--[a-z][\w-]*(?: [A-Z]+)?)(?= {2,}|$)/gm)].map((match) => match[1]!);
}

const cell = (text: string) => text.replaceAll('|', '\\|');

async function loaded(): Promise<{ entry: CommandEntry; command: Command }[]> {
  return Promise.all(commands.map(async (entry) => ({ entry, command: await entry.load() })));
}

async function renderCliSection(): Promise<string> {
  const rows = (await loaded()).map(({ entry, command }) => {
    const usage = command.help.split('\n')[0]!.replace(/ \[options\]$/, '');
    const options = helpOptions(command.help).map((option) => `\`${cell(option)}\``).join(' ');
    return `| \`${cell(usage)}\` | ${cell(entry.summary)} | ${options || 'none'} |`;
  });
  return [
    START,
    '| command | what it does | options |',
    '|---|---|---|',
    ...rows,
    '',
    'Exit codes, the same contract for every command (`hunter <command> --help` says what each code means there):',
    '',
    ...Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `- \`${code}\` ${meaning}.`),
    END,
  ].join('\n');
}

describe('the README CLI section', () => {
  it('lists every option each command parses, with its help', async () => {
    for (const { entry, command } of await loaded()) {
      const documented = helpOptions(command.help).map((option) => option.split(' ')[0]!.slice(2)).sort();
      expect(documented, `hunter ${entry.name} --help`).toEqual(Object.keys(command.options).sort());
    }
  });

  it('is generated from the commands', async () => {
    const readme = await readFile(README, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, `${README} has no ${START}`).toBeGreaterThanOrEqual(0);
    const expected = await renderCliSection();
    const current = readme.slice(start, end + END.length);
    if (process.env['UPDATE_DOCS'] === '1' && current !== expected) {
      await writeFile(README, readme.slice(0, start) + expected + readme.slice(end + END.length));
      return;
    }
    expect(current).toBe(expected);
  });
});
