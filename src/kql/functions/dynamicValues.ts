// How scalar values enter dynamic values (arrays and property bags built by make_list, bag_pack,
// percentiles_array, ...): datetimes, held as milliseconds inside the engine, become their text.

/** A value of static type `type` as an element of a dynamic array or bag (one rule, in values.ts). */
export { toDynamicValue as toDynamicElement } from '../values.js';

/** A property bag (a JSON object that is not an array), or undefined. */
export function asBag(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
