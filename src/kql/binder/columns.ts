// The one column builder: every operator that makes an output schema (extend, project, print,
// distinct, summarize, mv-expand, project-rename, join) declares its columns here, so the rules for
// adding, replacing and naming columns are written once. Kusto.Language's binder keeps the same rules
// in one projection builder.
import type * as A from '../ast.js';
import type { BoundExpr } from '../bound.js';
import type { KqlBindError } from '../errors.js';
import type { ColumnSchema, KqlType } from '../types.js';

type At = { readonly pos: number; readonly end: number };
type DuplicateError = (name: string, at: At) => KqlBindError;

/** What happens when a column is declared under a name the output already has. */
export type OnDuplicate =
  /** a name this operator declares twice is an error; an input column of that name is replaced (extend, mv-expand) */
  | 'replace'
  /** an error (project, print, distinct, summarize) */
  | 'error'
  /** the new column gets the first free numeric suffix: Key, Key1, Key2 (join) */
  | 'unique'
  /** the new column is dropped (columns arg_max carries that the by-keys already hold) */
  | 'skip';

export class ColumnBuilder {
  private readonly columns: ColumnSchema[];
  private readonly declared = new Set<string>();
  private unnamed = 0;

  /** `input`: the columns an extend-like operator starts from (none for a projection). */
  constructor(
    private readonly duplicate: DuplicateError,
    input: readonly ColumnSchema[] = [],
  ) {
    this.columns = [...input];
  }

  get schema(): readonly ColumnSchema[] {
    return this.columns;
  }

  has(name: string): boolean {
    return this.columns.some((c) => c.name === name);
  }

  /** Declares a column; returns its output index, or undefined when `skip` dropped it. */
  add(name: string, type: KqlType, at: At, onDuplicate: OnDuplicate): number | undefined {
    const existing = this.columns.findIndex((c) => c.name === name);
    if (existing >= 0) {
      switch (onDuplicate) {
        case 'replace':
          if (this.declared.has(name)) throw this.duplicate(name, at);
          this.declared.add(name);
          this.columns[existing] = { name, type };
          return existing;
        case 'error':
          throw this.duplicate(name, at);
        case 'skip':
          return undefined;
        case 'unique': {
          let n = 1;
          while (this.has(`${name}${n}`)) n++;
          name = `${name}${n}`;
          break;
        }
      }
    }
    this.declared.add(name);
    this.columns.push({ name, type });
    return this.columns.length - 1;
  }

  /** Gives an existing column a new name (project-rename). */
  rename(index: number, name: string): void {
    this.columns[index] = { name, type: this.columns[index]!.type };
  }

  /** The next generated name for an expression Kusto cannot name: Column1, Column2, ... */
  nextUnnamed(prefix = 'Column'): string {
    return `${prefix}${++this.unnamed}`;
  }
}

/** A bound reference to input column `index`. */
export function columnRef(c: ColumnSchema, index: number): BoundExpr {
  return { kind: 'column', type: c.type, index, name: c.name };
}

/**
 * Kusto's inferred column name: the column a simple expression refers to. Grouping keys such as
 * `bin(Timestamp, 1h)` keep their column's name (`groupingKey`); elsewhere a call gets ColumnN.
 */
export function inferName(e: A.Expr, groupingKey = true): string | undefined {
  switch (e.kind) {
    case 'NameRef':
      return e.name;
    case 'Call':
      if (groupingKey && (e.name.name === 'bin' || e.name.name === 'floor') && e.args[0]) return inferName(e.args[0]);
      return undefined;
    case 'Member': {
      const target = inferName(e.target, groupingKey);
      return target !== undefined ? `${target}_${e.member.name}` : undefined;
    }
    default:
      return undefined;
  }
}

/** The output name of an assignment: its explicit name, the inferred one, or the builder's next ColumnN. */
export function assignmentName(a: A.Assignment, columns: ColumnBuilder, groupingKey = false): string {
  return a.name?.name ?? inferName(a.expr, groupingKey) ?? columns.nextUnnamed();
}
