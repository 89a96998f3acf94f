import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../src/exclusions/conditions.js';
import type { Condition } from '../../src/exclusions/schema.js';

const compile = (condition: unknown) => compileCondition(condition as Condition);

describe('missing context under negation', () => {
  const neverTalkedToTheNetwork = compile({ not: { field: 'destination.ip', exists: true } });

  it('does not match an activity whose network events have not arrived', () => {
    expect(neverTalkedToTheNetwork({ 'process.name': ['ammyy.exe'] })).toBe('unknown');
  });

  it('still decides when the field is there', () => {
    expect(neverTalkedToTheNetwork({ 'destination.ip': ['10.0.0.5'] })).toBe('false');
    expect(compile({ field: 'destination.ip', exists: true })({ 'destination.ip': ['10.0.0.5'] })).toBe('true');
  });

  it('keeps exists: false as an explicit request for absence', () => {
    expect(compile({ field: 'destination.ip', exists: false })({})).toBe('true');
    expect(compile({ field: 'destination.ip', exists: false })({ 'destination.ip': ['10.0.0.5'] })).toBe('false');
  });
});
