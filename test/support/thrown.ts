import { expect } from 'vitest';

/**
 * The error `action` throws, checked to be a `type`; fails the test when it returns instead.
 * Tests of bad input read the problems off it (config, rule and exclusion files).
 */
export function thrown<E extends Error>(action: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}
