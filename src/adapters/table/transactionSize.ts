/**
 * An upper estimate of what one entity operation adds to a transaction's request body, so the
 * store can keep every transaction under Table Storage's 4 MiB limit (413 RequestBodyTooLarge).
 * The body is a multipart changeset: per operation a boundary, a request line with the entity's
 * URL (keys percent-encoded), a few headers (If-Match carries the ETag), and the entity as JSON
 * with binary properties in base64 and dates annotated with their EDM type. The estimate errs
 * on the large side; the store falls back to single-entity writes if the service still refuses.
 */

/** Boundary, request line without keys, headers (including an If-Match ETag): generous. */
const OPERATION_OVERHEAD_BYTES = 1024;
/** `"Name@odata.type":"Edm.Binary",` and the like, beyond the property name itself. */
const ANNOTATION_BYTES = 32;

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function valueBytes(name: string, value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') return utf8Bytes(JSON.stringify(value));
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return 32 + ANNOTATION_BYTES + name.length;
  if (value instanceof Date) return 32 + ANNOTATION_BYTES + name.length;
  if (value instanceof Uint8Array) return Math.ceil(value.length / 3) * 4 + 2 + ANNOTATION_BYTES + name.length;
  // An explicitly typed value ({ value, type }) or anything else: its JSON, annotated.
  return utf8Bytes(JSON.stringify(value) ?? '') + ANNOTATION_BYTES + name.length;
}

/** Estimated bytes one create/update of `entity` adds to a transaction body. */
export function estimatedOperationBytes(entity: Readonly<Record<string, unknown>>, conditional: boolean): number {
  let bytes = OPERATION_OVERHEAD_BYTES + (conditional ? 128 : 0) + 2;
  for (const [name, value] of Object.entries(entity)) {
    // Property name with quotes, colon and comma; the keys also appear in the URL, percent-encoded (at most 3 bytes per byte).
    bytes += utf8Bytes(name) + 4 + valueBytes(name, value);
    if ((name === 'partitionKey' || name === 'rowKey') && typeof value === 'string') bytes += 3 * utf8Bytes(value);
  }
  return bytes;
}
