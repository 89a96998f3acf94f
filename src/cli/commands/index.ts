import type { CommandEntry } from '../command.js';

/**
 * Every `hunter` sub-command, in the order `hunter --help` lists them. Each module is imported
 * only when its command runs (or shows its help): `hunter --help` loads none of them, and each
 * command loads only what it needs.
 */
export const commands: readonly CommandEntry[] = [
  {
    name: 'replay',
    summary: 'run the whole hunt locally on exported data (Azurite state, file incidents)',
    load: async () => (await import('./replay.js')).replayCommand,
  },
  {
    name: 'run',
    summary: "run one hunt against Azure with the Function's settings (smoke test after a deployment)",
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    name: 'query',
    summary: 'run KQL (or a rule\'s query) over local data files',
    load: async () => (await import('./query.js')).queryCommand,
  },
  {
    name: 'lint',
    summary: 'validate rule files (YAML, fields, KQL) with file:line:col messages',
    load: async () => (await import('./lint.js')).lintCommand,
  },
  {
    name: 'test',
    summary: "run each rule's test cases (must hit, must not hit) through the local evaluator",
    load: async () => (await import('./test.js')).testCommand,
  },
  {
    name: 'state',
    summary: 'list, show or reset the dedupe state (local Azurite or the Function\'s table)',
    load: async () => (await import('./state.js')).stateCommand,
  },
  {
    name: 'runs',
    summary: 'list recent hunt runs (window, hits, created, updated, suppressed, unchanged, parked, queries)',
    load: async () => (await import('./runs.js')).runsCommand,
  },
  {
    name: 'exclusions',
    summary: 'try exclusions on exported data: what would each one suppress',
    load: async () => (await import('./exclusions.js')).exclusionsCommand,
  },
];
