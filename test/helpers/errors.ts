import { expect } from 'vitest'
import { isCairnError } from '../../src/errors.js'
import type { CairnError, CairnErrorCode } from '../../src/errors.js'

/** What was thrown must be a CairnError with this key (anything else is rethrown as it is, for its stack). */
function expectKey (thrown: unknown, key: CairnErrorCode): CairnError {
  expect(thrown, `expected CairnError ${key}`).toBeDefined()
  if (!isCairnError(thrown)) throw thrown as Error
  expect(thrown.key, thrown.message).toBe(key)
  return thrown
}

/** Run fn, expect it to throw a CairnError with this key, and return it. */
export function expectCode (fn: () => unknown, key: CairnErrorCode): CairnError {
  try {
    fn()
  } catch (err) {
    return expectKey(err, key)
  }
  return expectKey(undefined, key)
}

/** Await a promise that must reject with a CairnError with this key; returns the error for further checks. */
export async function rejectsWith (promise: Promise<unknown>, key: CairnErrorCode): Promise<CairnError> {
  try {
    await promise
  } catch (err) {
    return expectKey(err, key)
  }
  return expectKey(undefined, key)
}
