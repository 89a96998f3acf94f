/**
 * YAML as rule and exclusion files are read: one parse that keeps node positions, so every
 * problem found later can name its line and column.
 */
import { LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface PositionedDocument {
  readonly document: Document;
  readonly lines: LineCounter;
}

/** Raw (not pretty) errors, positions counted, and a key repeated in a mapping is an error. */
export function parsePositioned(text: string): PositionedDocument {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { document, lines };
}

/** The offset of the node at `path`, or of its nearest ancestor that exists in the file. */
export function nearestNodeOffset(document: Document, path: readonly unknown[]): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    const range = (node as Node | null | undefined)?.range;
    if (range) return range[0];
  }
  return undefined;
}
