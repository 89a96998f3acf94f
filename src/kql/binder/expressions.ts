// Scalar expressions: literals, names, scalar operators (arithmetic, comparison, between, in/has_any
// lists), member access and indexing. Calls go to calls.ts.
import * as A from '../ast.js';
import type { BoundExpr } from '../bound.js';
import { isNumericType } from '../functions/types.js';
import { BETWEEN, bindBinary, betweenBoundsType, listOperator, NOT_BETWEEN } from '../operators.js';
import { didYouMean } from '../suggest.js';
import type { ColumnSchema } from '../types.js';
import { bindCall, outsideAggregation } from './calls.js';
import { callUserFunction, nameCall } from './functions.js';
import { columnRef } from './columns.js';
import type { Binder } from './index.js';
import { PoisonedReference } from './scope.js';

export function bindScalar(b: Binder, e: A.Expr, row: readonly ColumnSchema[]): BoundExpr {
  switch (e.kind) {
    case 'Literal':
      return { kind: 'const', type: e.type, value: e.value };
    case 'DynamicLiteral':
      return { kind: 'const', type: 'dynamic', value: e.value };
    case 'NameRef':
      return bindName(b, e, row);
    case 'Binary': {
      const [left, right] = b.each([e.left, e.right], (x) => bindScalar(b, x, row)) as [BoundExpr, BoundExpr];
      const op = bindBinary(e.op, left.type, right.type);
      if ('error' in op) throw b.error('KQL104', op.error, { pos: e.opPos, end: e.opPos + e.op.length });
      return { kind: 'op', type: op.type, impl: op.impl, args: [left, right], at: e };
    }
    case 'Unary': {
      const operand = bindScalar(b, e.operand, row);
      if (!isNumericType(operand.type) && operand.type !== 'timespan' && operand.type !== 'dynamic') {
        throw b.error('KQL104', `unary '${e.op}' needs a number or timespan, not ${operand.type}`, e);
      }
      // -int is long, as Kusto.Language types it (int arithmetic widens)
      return e.op === '-' ? { kind: 'negate', type: operand.type === 'int' ? 'long' : operand.type, operand } : operand;
    }
    case 'Call':
      return bindCall(b, e, row);
    case 'Member': {
      const target = bindScalar(b, e.target, row);
      if (target.type !== 'dynamic') throw b.error('KQL104', `'.${e.member.name}' needs a dynamic value, not ${target.type}`, e.member);
      return { kind: 'member', type: 'dynamic', target, key: { kind: 'const', type: 'string', value: e.member.name } };
    }
    case 'Index': {
      const [target, key] = b.each([e.target, e.index], (x) => bindScalar(b, x, row)) as [BoundExpr, BoundExpr];
      if (target.type !== 'dynamic') throw b.error('KQL104', `indexing needs a dynamic value, not ${target.type}`, e.target);
      return { kind: 'member', type: 'dynamic', target, key };
    }
    case 'Between':
      return bindBetween(b, e, row);
    case 'ListOp':
      return bindList(b, e, row);
    case 'Pipe':
    case 'Datatable':
    case 'Union':
    case 'Print':
      throw b.error('KQL112', 'a tabular expression cannot be used as a scalar value here (use toscalar())', e);
    case 'ExternalData':
      throw b.error('KQL112', 'a tabular expression cannot be used as a scalar value here (use toscalar())', e);
    case 'FunctionDef':
      throw b.error('KQL106', 'a function can only be defined by a let statement', e);
    case 'NamedArg':
      throw b.error('KQL106', `named arguments (${e.name.name} = ...) are supported only by evaluate plugins`, e);
    case 'Error':
      // the parser already reported it
      throw new PoisonedReference('');
    case 'TypeOf':
      throw b.error('KQL104', 'a type literal (typeof(...)) is only an argument of extract() or of mv-expand ... to', e);
    case 'Unsupported':
      throw b.error('KQL106', `${e.what} is not supported`, e);
    default:
      return A.assertNever(e, 'expression');
  }
}

function bindName(b: Binder, e: A.NameRef, row: readonly ColumnSchema[]): BoundExpr {
  const let_ = b.scope.let(e.name);
  const i = b.lookupColumn(e.name, row);
  if (i !== undefined) return columnRef(row[i]!, i);
  // in a summarize output expression the input columns are read only inside aggregations
  const aggregated = b.aggregation?.kind === 'output' ? b.aggregation.input : undefined;
  if (aggregated && b.lookupColumn(e.name, aggregated) !== undefined) throw outsideAggregation(b, e.name, e);
  if (let_?.kind === 'scalar') return let_.expr;
  if (let_?.kind === 'function') return callUserFunction(b, nameCall(e), [], row).expr();
  if (let_?.kind === 'poisoned') throw new PoisonedReference(e.name);
  if (let_?.kind === 'tabular' || b.scope.catalogue.schemaOf(e.name)) {
    throw b.error('KQL112', `'${e.name}' is a table; a scalar value is needed here`, e);
  }
  throw b.error('KQL102', `unknown column '${e.name}'${didYouMean(e.name, b.scope.scalarCandidates(aggregated ?? row), 'column names')}`, e);
}

function bindBetween(b: Binder, e: A.BetweenExpr, row: readonly ColumnSchema[]): BoundExpr {
  const [operand, low, high0] = b.each([e.operand, e.low, e.high], (x) => bindScalar(b, x, row)) as [BoundExpr, BoundExpr, BoundExpr];
  let high = high0;
  const problem = betweenBoundsType(operand.type, low.type, high.type);
  if (problem) throw b.error('KQL104', problem, e);
  if (operand.type === 'datetime' && high.type === 'timespan') {
    const plus = bindBinary('+', low.type, high.type);
    if ('error' in plus) throw b.error('KQL104', plus.error, e.high);
    high = { kind: 'op', type: plus.type, impl: plus.impl, args: [low, high], at: e.high };
  }
  return { kind: 'op', type: 'bool', impl: e.negated ? NOT_BETWEEN : BETWEEN, args: [operand, low, high], at: e };
}

/** in, has_any, has_all and their variants: scalar items, or a subquery whose first column is the list. */
function bindList(b: Binder, e: A.ListOpExpr, row: readonly ColumnSchema[]): BoundExpr {
  const [operand, ...items] = b.each([e.operand, ...e.items], (item): BoundExpr => {
    if (item === e.operand || !b.scope.isTabular(item, row)) return bindScalar(b, item, row);
    const plan = b.tabular(item);
    if (plan.schema.length === 0) throw b.error('KQL111', 'the subquery has no columns', item);
    return { kind: 'subquery', type: 'dynamic', mode: 'column', plan };
  }) as [BoundExpr, ...BoundExpr[]];
  if (items.length === 0) throw b.error('KQL105', `'${e.op}' needs at least one value`, e);
  const base = e.op.replace('!', '');
  if ((base === 'has_any' || base === 'has_all' || base === 'in~') && operand.type !== 'string' && operand.type !== 'dynamic') {
    throw b.error('KQL104', `'${e.op}' needs a string on its left, not ${operand.type}`, e.operand);
  }
  return { kind: 'op', type: 'bool', impl: listOperator(e.op), args: [operand, ...items], at: e };
}
