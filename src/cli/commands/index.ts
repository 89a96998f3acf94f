import type { Command } from '../command.js';
import { lintCommand } from './lint.js';
import { queryCommand } from './query.js';
import { replayCommand } from './replay.js';

/** Every `hunter` sub-command, in the order `hunter --help` lists them. */
export const commands: readonly Command[] = [
  replayCommand,
  queryCommand,
  lintCommand,
];
