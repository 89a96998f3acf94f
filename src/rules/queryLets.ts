/**
 * The lets the hunter binds into a rule's queries before it runs or shows them: the hunt window
 * into the hunt query, and the window and the hit devices into the context and device queries.
 * A query that does not declare them cannot be bound, so the rule is refused when it loads
 * rather than when a run or an incident needs it.
 */
import { parse } from '../kql/parser/index.js';

export const HUNT_QUERY_LETS = ['Time_start', 'Time_end'] as const;
export const DEVICE_QUERY_LETS = ['Time_start', 'Time_end', 'HitDeviceIds'] as const;

/**
 * The names among `required` that are not top-level lets of the query; undefined when the query
 * does not parse (its syntax errors are reported by `hunter lint` with their positions).
 */
export function missingLets(queryText: string, required: readonly string[]): string[] | undefined {
  let declared: Set<string>;
  try {
    declared = new Set(parse(queryText).statements.flatMap((statement) => (statement.kind === 'Let' ? [statement.name.name] : [])));
  } catch {
    return undefined;
  }
  return required.filter((name) => !declared.has(name));
}

export function describeMissingLets(missing: readonly string[]): string {
  return `must declare ${missing.map((name) => `let ${name} = ...;`).join(' and ')} at the top, so the hunter can bind it`;
}
