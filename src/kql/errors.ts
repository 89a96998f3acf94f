// Error catalogue. Parse, bind and runtime errors are separate classes so callers can tell
// "the query text is wrong" from "the query does not fit the schema" from "the data broke it".

const ERROR_CODES = {
  // lexer / parser
  KQL001: 'unexpected character',
  KQL002: 'unterminated string literal',
  KQL003: 'unexpected token',
  KQL004: 'expected token',
  KQL005: 'invalid literal',
  KQL006: 'unknown query operator',
  KQL007: 'empty query',
  // binder
  KQL101: 'unknown table',
  KQL102: 'unknown column',
  KQL103: 'unknown function',
  KQL104: 'type mismatch',
  KQL105: 'wrong number of arguments',
  KQL106: 'not supported',
  KQL107: 'unknown name',
  KQL108: 'duplicate column',
  KQL109: 'aggregate outside summarize',
  KQL110: 'expected a constant',
  KQL111: 'expected a tabular expression',
  KQL112: 'expected a scalar expression',
  // runtime
  KQL201: 'runtime error',
  KQL202: 'regular expression error',
  KQL203: 'size limit exceeded',
  KQL204: 'reference data unavailable offline',
  // warnings (lint)
  KQL301: 'approximate aggregate compared with a threshold',
} as const;

export type KqlErrorCode = keyof typeof ERROR_CODES;

export interface SourcePosition {
  readonly line: number;   // 1-based
  readonly col: number;    // 1-based, in UTF-16 code units
  readonly offset: number; // 0-based
}

export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1, offset };
}

export abstract class KqlError extends Error {
  abstract readonly kind: 'parse' | 'bind' | 'runtime';
  readonly line: number;
  readonly col: number;

  constructor(
    readonly code: KqlErrorCode,
    readonly detail: string,
    readonly queryText: string,
    readonly offset: number,
    readonly length: number = 1,
  ) {
    super(`${positionAt(queryText, offset).line}:${positionAt(queryText, offset).col}: ${detail} [${code}]`);
    const pos = positionAt(queryText, offset);
    this.line = pos.line;
    this.col = pos.col;
  }

  /** `line:col: message`, then the source line and a caret under the offending token. */
  format(): string {
    const lines = this.queryText.split('\n');
    const source = (lines[this.line - 1] ?? '').replace(/\r$/, '');
    const width = Math.max(1, Math.min(this.length, source.length - (this.col - 1)));
    const caret = ' '.repeat(Math.max(0, this.col - 1)) + '^'.repeat(width);
    return `${this.line}:${this.col}: ${this.detail} [${this.code}]\n${source}\n${caret}`;
  }
}

export class KqlParseError extends KqlError {
  readonly kind = 'parse' as const;
  override readonly name = 'KqlParseError';
}

export class KqlBindError extends KqlError {
  readonly kind = 'bind' as const;
  override readonly name = 'KqlBindError';
}

export class KqlRuntimeError extends KqlError {
  readonly kind = 'runtime' as const;
  override readonly name = 'KqlRuntimeError';
}

/**
 * Thrown by function and operator implementations, which do not know where they sit in the query;
 * the compiler turns it into a positioned KqlRuntimeError.
 */
export class EvaluationFailure extends Error {
  constructor(
    readonly code: KqlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface KqlDiagnostic {
  readonly code: KqlErrorCode;
  readonly message: string;
  readonly line: number;
  readonly col: number;
  readonly offset: number;
  readonly length: number;
  readonly severity: 'error' | 'warning';
}

export function toDiagnostic(error: KqlError): KqlDiagnostic {
  return {
    code: error.code,
    message: error.detail,
    line: error.line,
    col: error.col,
    offset: error.offset,
    length: error.length,
    severity: 'error',
  };
}
