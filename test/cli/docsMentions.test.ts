/**
 * The docs say nothing the CLI does not do. readme.test.ts generates the README's command table from the
 * commands; this guard reads every other place the Markdown shows the CLI (code blocks and inline code in
 * README.md, docs/, infra/README.md and the READMEs under src/, bench/ and rules/): each `hunter <command>`
 * names a command that exists, each flag after it is one that command parses, a flag quoted on its own in
 * README.md or docs/ is one some command parses, and each `npm run <script>` is a script of package.json.
 * And every repository path the Markdown and the comments in src/ name (src/..., docs/..., rules/..., ...) exists.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';

type CommandOptions = ReadonlyMap<string, readonly string[]>;

interface Mentions {
  readonly commands: CommandOptions;
  readonly scripts: readonly string[];
}

function markdownFiles(): string[] {
  const files = ['README.md', 'infra/README.md'];
  for (const dir of ['docs', 'src', 'bench', 'rules']) {
    for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) if (entry.endsWith('.md')) files.push(path.join(dir, entry));
  }
  return files;
}

/** The code of a Markdown text with its line numbers: each line of a fenced block, each inline code span. */
function codeOf(text: string): { line: number; code: string }[] {
  const code: { line: number; code: string }[] = [];
  let fenced = false;
  text.split('\n').forEach((line, index) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced) code.push({ line: index + 1, code: line.replace(/\s#.*$/, '') });
    else for (const span of line.matchAll(/`([^`]+)`/g)) code.push({ line: index + 1, code: span[1]! });
  });
  return code;
}

const flagsIn = (text: string) => [...text.matchAll(/(?:^|[\s[(|])--([a-z][\w-]*)/g)].map((match) => match[1]!);

/** Every mention in one Markdown file that the CLI or package.json does not back, as `file:line: what`. */
function mentionProblems(file: string, text: string, known: Mentions): string[] {
  const problems: string[] = [];
  const everyFlag = new Set([...known.commands.values()].flat());
  const flagsAreHunters = file === 'README.md' || file.startsWith('docs');
  for (const { line, code } of codeOf(text)) {
    const where = `${file}:${line}`;
    // `hunter replay ...`, `bin/hunter.js replay ...`, `npm run hunter -- replay ...`, `npm run replay -- ...`
    const invocation = /(?:(?<![\w-])hunter(?:\.js)?(?: --)?|\bnpm run (replay)(?: --)?)(?:\s+([a-z][\w-]*))?([^;&]*)/g;
    let mentioned = false;
    for (const match of code.matchAll(invocation)) {
      const name = match[1] ?? match[2];
      if (name === undefined) continue;
      mentioned = true;
      const options = known.commands.get(name);
      if (options === undefined) {
        problems.push(`${where}: \`hunter ${name}\` is not a command (${[...known.commands.keys()].join(', ')})`);
        continue;
      }
      const rest = match[1] === undefined ? match[3]! : `${match[2] ?? ''}${match[3]}`;
      for (const flag of flagsIn(rest)) {
        if (flag !== 'help' && !options.includes(flag)) problems.push(`${where}: \`hunter ${name}\` has no --${flag}`);
      }
    }
    for (const script of code.matchAll(/\bnpm run ([\w:-]+)/g)) {
      if (!known.scripts.includes(script[1]!)) problems.push(`${where}: \`npm run ${script[1]}\` is not a script of package.json`);
    }
    // A flag quoted on its own (`--fresh`, `--state DIR`) in the hunter's own docs.
    if (!mentioned && flagsAreHunters && /^--[a-z]/.test(code.trim())) {
      for (const flag of flagsIn(code)) if (flag !== 'help' && !everyFlag.has(flag)) problems.push(`${where}: no command has --${flag}`);
    }
  }
  return problems;
}

async function known(): Promise<Mentions> {
  const options = new Map<string, readonly string[]>();
  for (const entry of commands) options.set(entry.name, Object.keys((await entry.load()).options));
  const scripts = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts);
  return { commands: options, scripts };
}

/** Paths from the repository's root the Markdown names, that do not exist (globs and placeholders aside). */
function missingPaths(file: string, text: string): string[] {
  const missing: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/(?<![\w./-])((?:src|test|docs|bench|rules|schemas|scripts|infra)\/[\w./-]*\w)/g)) {
      const named = match[1]!;
      if (/[*<{]/.test(line.slice(match.index, match.index + named.length + 1))) continue;
      // a module is named by its .js import path or without an ending
      if (![named, `${named}.ts`, named.replace(/\.js$/, '.ts')].some((candidate) => existsSync(candidate))) missing.push(`${file}:${index + 1}: ${named} does not exist`);
    }
  });
  return missing;
}

describe('the docs show the CLI as it is', () => {
  it('every hunter command, flag and npm script the Markdown shows exists', async () => {
    const mentions = await known();
    const problems = markdownFiles().flatMap((file) => mentionProblems(file, readFileSync(file, 'utf8'), mentions));
    expect(problems).toEqual([]);
  });

  it('every repository path the Markdown and the comments in src/ name exists', () => {
    const sources = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((entry) => entry.endsWith('.ts')).map((entry) => path.join('src', entry));
    // infra/README names paths inside infra/
    const rootRelative = [...markdownFiles().filter((file) => file !== 'infra/README.md'), ...sources];
    expect(rootRelative.flatMap((file) => missingPaths(file, readFileSync(file, 'utf8')))).toEqual([]);
    expect(missingPaths('docs/x.md', 'see `src/core/hunt.ts`, src/core/ports.js and src/core/gone.ts')).toEqual(['docs/x.md:1: src/core/gone.ts does not exist']);
  });

  it('names what does not exist, at its line', async () => {
    const text = [
      'Run `hunter replay --data DIR --frobnicate` or `hunter replays`.',
      '```bash',
      'npm run replay -- --fresh --nope   # forget the state first',
      'npm run hunter -- runs --limit 5 --rule FILE',
      'npm run deploy',
      '```',
      'Pass `--state DIR`, or `--stat DIR`.',
    ].join('\n');
    expect(mentionProblems('docs/x.md', text, await known())).toEqual([
      'docs/x.md:1: `hunter replay` has no --frobnicate',
      expect.stringMatching(/^docs\/x\.md:1: `hunter replays` is not a command \(replay, run, .*\)$/),
      'docs/x.md:3: `hunter replay` has no --nope',
      'docs/x.md:5: `npm run deploy` is not a script of package.json',
      'docs/x.md:7: no command has --stat',
    ]);
  });
});
