import { describe, expect, it } from 'vitest';
import { toQueryResult } from '../../../src/adapters/defender/huntingResults.js';
import { hitsFromResult } from '../../../src/core/hitRows.js';

describe('an answer that is not a result never passes as an empty hunt', () => {
  it('refuses a runHuntingQuery body without schema and results', () => {
    expect(() => toQueryResult({} as never)).toThrow(/without the documented "schema" and "results"/);
    expect(() => toQueryResult({ Schema: [], Results: [] } as never)).toThrow(/keys: Schema, Results/);
  });

  it('accepts an empty result that names its columns', () => {
    const result = toQueryResult({ schema: [{ name: 'DeviceId', type: 'String' }], results: [] } as never);
    expect(result).toEqual({ columns: [{ name: 'DeviceId', type: 'string' }], rows: [] });
  });

  it('refuses a hunt result without the hit columns, even when it has no rows', () => {
    expect(() => hitsFromResult({ columns: [], rows: [] }, 'rules/x.yaml')).toThrow(/rules\/x\.yaml: the hunt query must return columns/);
  });
});
