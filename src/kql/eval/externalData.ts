// externaldata (https://learn.microsoft.com/kusto/query/externaldata-operator) offline: the rows come
// from the table provider's local mapping (a data folder's externaldata.json). A provider without one,
// or a URL it cannot answer, fails the query at the operator with the reason, never an empty table.
import type { BoundPlan } from '../bound.js';
import { EvaluationFailure } from '../errors.js';
import { ReferenceDataUnavailable } from '../types.js';
import { toInternalValue } from '../values.js';
import { positioned } from './compile.js';
import type { ExecContext } from './execute.js';

export async function* runExternalData(plan: Extract<BoundPlan, { kind: 'externaldata' }>, ctx: ExecContext): AsyncGenerator<unknown[][]> {
  const fail = (reason: string): never =>
    positioned(ctx, plan.at, () => {
      throw new EvaluationFailure('KQL204', `externaldata is not available offline: ${reason}`);
    });
  const tables = ctx.tables;
  if (!tables.externalData) fail('these tables come from a source without local reference data (a data folder with externaldata.json has it)');
  const columns = plan.request.columns;
  try {
    for await (const batch of tables.externalData!(plan.request)) {
      yield batch.map((row) => columns.map((c) => toInternalValue(row[c.name], c.type)));
    }
  } catch (e) {
    if (e instanceof ReferenceDataUnavailable) fail(e.message);
    throw e;
  }
}
