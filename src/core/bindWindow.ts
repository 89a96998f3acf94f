/**
 * Binds the hunt window into the rule's query: the rule's own `let Time_start = now(-5d)`
 * and `let Time_end = now()` become the window the watermark decided. A rule that declares
 * neither cannot be windowed, and running it as is would re-read its whole period every run.
 */
import type { TimeWindow } from './model.js';
import type { HuntRule } from '../rules/rule.js';
import { kqlDatetime, replaceLetValues } from '../kql/queryText.js';
import { errorMessage } from './errors.js';

export function bindHuntWindow(rule: HuntRule, window: TimeWindow): string {
  try {
    return replaceLetValues(rule.query, {
      Time_start: kqlDatetime(window.start),
      Time_end: kqlDatetime(window.end),
    });
  } catch (error) {
    const message = errorMessage(error);
    if (!/is not a top-level let/.test(message)) throw new Error(`${rule.sourcePath}: cannot bind the hunt window into the query: ${message}`, { cause: error });
    throw new Error(`${rule.sourcePath}: the query must declare let Time_start = ...; and let Time_end = ...; so the hunter can bind its window (${message})`, { cause: error });
  }
}
