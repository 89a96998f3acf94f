import { ExitCode, UsageError, type CliIo } from './command.js';
import { commands } from './commands/index.js';

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'hunter: replay, query and lint hunting rules locally; run the hunt against Azure with the Function\'s settings.',
    '',
    'Usage: hunter <command> [options]   (hunter <command> --help for details)',
    '',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
  ].join('\n');
}

/** Runs one CLI invocation; returns the exit code (EXIT_CODE_MEANINGS in ./command.ts). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview() + '\n');
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const entry = commands.find((candidate) => candidate.name === name);
  if (!entry) {
    io.stderr.write(`hunter: unknown command '${name}'\n\n${overview()}\n`);
    return ExitCode.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.trimEnd() + '\n');
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`hunter ${name}: ${(error as Error).message}\n(see 'hunter ${name} --help')\n`);
      return ExitCode.usage;
    }
    io.stderr.write(`hunter ${name}: ${(error as Error).message}\n`);
    return ExitCode.problems;
  }
}
