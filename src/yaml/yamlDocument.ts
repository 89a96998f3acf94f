/**
 * YAML as rule and exclusion files are read: one parse that keeps node positions, so every
 * problem found later can name its line and column.
 */
import { LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';

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

/** How many nodes aliases may expand to: the yaml library's own guard, named here so messages can say it. */
const MAX_ALIAS_COUNT = 100;

/**
 * The document as plain data, or the problem of an "alias bomb" (anchors aliased in layers until the
 * expansion is astronomically large). The yaml library stops such an expansion with an error that names
 * no file or line; this says where the aliases start, so the author can find them.
 */
export function documentData(document: Document): { readonly data: unknown } | { readonly problem: { readonly offset: number; readonly message: string } } {
  try {
    return { data: document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    let offset = 0;
    visit(document, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    return { problem: { offset, message: `the YAML aliases expand to more than ${MAX_ALIAS_COUNT} nodes (a guard against alias bombs); write the values out instead of using anchors and aliases` } };
  }
}
