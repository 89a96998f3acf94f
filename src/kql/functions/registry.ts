// The function registry is a value, not a module singleton: callers may extend or replace it.
import { aggregateFunctions } from './aggregates.js';
import { conditional, CONDITIONAL_AGGREGATES } from './aggregates-conditional.js';
import { percentileFunctions } from './aggregates-percentile.js';
import { datetimeFunctions } from './scalars-datetime.js';
import { dynamicFunctions, DYNAMIC_ALIASES, geoInfoFunction } from './scalars-dynamic.js';
import { encodingFunctions, ENCODING_ALIASES } from './scalars-encoding.js';
import { mathFunctions } from './scalars-math.js';
import { miscFunctions } from './scalars-misc.js';
import { stringFunctions } from './scalars-string.js';
import type { AggregateFunction, FunctionRegistry, ScalarFunction } from './types.js';

const ALIASES: Record<string, string> = { iif: 'iff', extractall: 'extract_all', ...DYNAMIC_ALIASES, ...ENCODING_ALIASES };

export function createFunctionRegistry(
  extraScalars: readonly ScalarFunction[] = [],
  extraAggregates: readonly AggregateFunction[] = [],
): FunctionRegistry {
  const scalars = new Map<string, ScalarFunction>();
  for (const f of [...stringFunctions, ...datetimeFunctions, ...miscFunctions, ...dynamicFunctions, geoInfoFunction, ...encodingFunctions, ...mathFunctions, ...extraScalars]) scalars.set(f.name, f);
  for (const [alias, target] of Object.entries(ALIASES)) {
    const f = scalars.get(target);
    if (f && !scalars.has(alias)) scalars.set(alias, f);
  }
  const aggregates = new Map<string, AggregateFunction>();
  for (const f of [...aggregateFunctions, ...percentileFunctions]) aggregates.set(f.name, f);
  for (const [name, baseName, prefix] of CONDITIONAL_AGGREGATES) aggregates.set(name, conditional(aggregates.get(baseName)!, name, prefix));
  for (const f of extraAggregates) aggregates.set(f.name, f);
  return {
    scalar: (name) => scalars.get(name),
    aggregate: (name) => aggregates.get(name),
    names: (kind) => [...(kind === 'scalar' ? scalars : aggregates).keys()],
  };
}
