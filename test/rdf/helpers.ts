import { expect } from 'vitest'
import { isCairnError } from '../../src/errors.js'
import type { CairnError, CairnErrorCode } from '../../src/errors.js'

/** Await a promise that must reject with a CairnError of this code; returns the error for further checks. */
export async function rejectsWith (promise: Promise<unknown>, key: CairnErrorCode): Promise<CairnError> {
  let caught: unknown
  try {
    await promise
  } catch (err) {
    caught = err
  }
  expect(caught, `expected CairnError ${key}`).toBeDefined()
  if (!isCairnError(caught)) throw caught as Error
  expect(caught.key, caught.message).toBe(key)
  return caught
}

/** Same for synchronous code. */
export function throwsWith (fn: () => unknown, key: CairnErrorCode): CairnError {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught, `expected CairnError ${key}`).toBeDefined()
  if (!isCairnError(caught)) throw caught as Error
  expect(caught.key, caught.message).toBe(key)
  return caught
}
