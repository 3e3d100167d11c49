import { cryptoWaitReady, keccakAsU8a } from '@polkadot/util-crypto'

import { CairnError } from '../errors.js'

let ready: Promise<void> | undefined

/**
 * Initialise the WASM crypto backend (keccak is 7–8× faster with it). Safe to call any number of times. Everything
 * in this module also works before it resolves, on the pure JS fallback, with identical results.
 */
export async function proofReady (): Promise<void> {
  // cryptoWaitReady never rejects (it resolves false when WASM is unavailable, e.g. under a strict CSP); the JS
  // fallback then stays in use, so there is nothing to report.
  ready ??= cryptoWaitReady().then(() => undefined)
  return ready
}

export function keccak256 (data: Uint8Array): Uint8Array {
  return keccakAsU8a(data, 256)
}

const encoder = new TextEncoder()
// A lone surrogate has no UTF-8 form: TextEncoder would silently write U+FFFD, so two different lines would share
// a leaf. In a `u` regex a surrogate class matches only unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/** UTF-8 bytes of `s`; throws PROOF_MALFORMED on a lone surrogate instead of substituting U+FFFD. */
export function utf8 (s: string): Uint8Array {
  if (LONE_SURROGATE.test(s)) {
    throw new CairnError('PROOF_MALFORMED', 'utf8: string contains a lone surrogate and has no UTF-8 encoding')
  }
  return encoder.encode(s)
}

/**
 * Leaf hash of one canonical N-Triples line: keccak256(keccak256(utf8(line))). The double hash makes a leaf
 * (hash of 32 bytes) impossible to confuse with an inner node (hash of 64 bytes) — OpenZeppelin's recommendation.
 */
export function leafHash (line: string): Uint8Array {
  return keccak256(keccak256(utf8(line)))
}
