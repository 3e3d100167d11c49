import { expect } from 'vitest'
import { CairnError } from '../../src/errors.js'
import type { CairnErrorCode } from '../../src/errors.js'

/** Run fn, expect it to throw a CairnError with this key, and return it. */
export function expectCode (fn: () => unknown, key: CairnErrorCode): CairnError {
  let thrown: unknown
  try {
    fn()
  } catch (err) {
    thrown = err
  }
  expect(thrown, `expected ${key}`).toBeInstanceOf(CairnError)
  expect((thrown as CairnError).key).toBe(key)
  return thrown as CairnError
}
