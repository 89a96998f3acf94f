// Names and scopes: what a name means where it is used. A name is looked up in the row (the input
// columns of the operator), then in the query's lets, then in the schema catalogue.
import type * as A from '../ast.js';
import type { BoundExpr, BoundPlan } from '../bound.js';
import type { ColumnSchema, SchemaCatalogue } from '../types.js';

export type LetBinding =
  | { readonly kind: 'scalar'; readonly expr: BoundExpr }
  | { readonly kind: 'tabular'; readonly plan: BoundPlan }
  /** a user-defined function: bound again at each call (functions.ts) */
  | { readonly kind: 'function'; readonly fn: UserFunction }
  /**
   * a let whose value failed to bind: references to it are not reported again; `open` when the value is
   * something we do not run (KQL106), so what is read from it is not reported either
   */
  | { readonly kind: 'poisoned'; readonly open: boolean };

/**
 * Thrown where a name refers to something that already failed to bind (a poisoned let or column, a
 * table that could not be read): the expression is abandoned without a second diagnostic for the same
 * mistake (Binder.attempt falls back silently).
 */
export class PoisonedReference extends Error {
  /** `open`: what failed is something we do not run, so columns read from it are not reported either */
  constructor(name: string, readonly open = true) {
    super(name);
  }
}

/** A let-defined function: its definition, whether its body is tabular, and the lets it sees (those before it). */
export interface UserFunction {
  readonly name: string;
  readonly def: A.FunctionDefExpr;
  readonly tabular: boolean;
  readonly lets: ReadonlyMap<string, LetBinding>;
}

export class Scope {
  private lets = new Map<string, LetBinding>();

  constructor(readonly catalogue: Pick<SchemaCatalogue, 'schemaOf'>) {}

  let(name: string): LetBinding | undefined {
    return this.lets.get(name);
  }

  define(name: string, binding: LetBinding): void {
    this.lets.set(name, binding);
  }

  /** The lets defined so far (a function sees these, not the ones after it). */
  snapshot(): ReadonlyMap<string, LetBinding> {
    return new Map(this.lets);
  }

  /** Runs `f` with exactly `lets` in scope (a function body's), then restores the caller's. */
  within<T>(lets: ReadonlyMap<string, LetBinding>, f: () => T): T {
    const outer = this.lets;
    this.lets = new Map(lets);
    try {
      return f();
    } finally {
      this.lets = outer;
    }
  }

  /** Whether an expression denotes a table (as opposed to a scalar) in the given row context. */
  isTabular(e: A.Expr, row: readonly ColumnSchema[]): boolean {
    switch (e.kind) {
      case 'Pipe':
      case 'Datatable':
      case 'Union':
      case 'Print':
        return true;
      case 'NameRef': {
        if (row.some((c) => c.name === e.name)) return false;
        const b = this.lets.get(e.name);
        if (b) return b.kind === 'tabular' || (b.kind === 'function' && b.fn.tabular);
        return this.catalogue.schemaOf(e.name) !== undefined;
      }
      case 'Call': {
        const b = this.lets.get(e.name.name);
        return e.name.name === 'materialize' || (b?.kind === 'function' && b.fn.tabular);
      }
      case 'ExternalData':
      case 'Unsupported':
        // range, find, search, evaluate: tabular sources we do not run
        return true;
      default:
        return false;
    }
  }

  /** Tables a name could have meant: the catalogue's (when it can list them) and tabular lets. */
  tableCandidates(): string[] {
    const listed = (this.catalogue as Partial<Pick<SchemaCatalogue, 'tableNames'>>).tableNames?.() ?? [];
    return [...listed, ...this.letNames('tabular')];
  }

  /** Scalars a name could have meant: the row's columns, then scalar lets. */
  scalarCandidates(row: readonly ColumnSchema[]): string[] {
    return [...row.map((c) => c.name), ...this.letNames('scalar')];
  }

  private letNames(kind: LetBinding['kind']): string[] {
    return [...this.lets].filter(([, b]) => b.kind === kind).map(([name]) => name);
  }
}
