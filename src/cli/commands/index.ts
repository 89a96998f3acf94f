import type { Command } from '../command.js';
import { exclusionsCommand } from './exclusions.js';
import { lintCommand } from './lint.js';
import { queryCommand } from './query.js';
import { replayCommand } from './replay.js';
import { runCommand } from './run.js';
import { stateCommand } from './state.js';
import { runsCommand } from './runs.js';

/** Every `hunter` sub-command, in the order `hunter --help` lists them. */
export const commands: readonly Command[] = [
  replayCommand,
  runCommand,
  queryCommand,
  lintCommand,
  stateCommand,
  runsCommand,
  exclusionsCommand,
];
