import { keccakAsU8a } from '@polkadot/util-crypto'
import { beforeAll, describe, expect, it } from 'vitest'

import { isCairnError } from '../../src/errors.js'
import { keccak256, leafHash, proofReady, toHex } from '../../src/proof/index.js'

const enc = new TextEncoder()

describe('hash', () => {
  it('keccak256 works before proofReady (JS fallback) with the known empty-input digest', () => {
    expect(toHex(keccak256(new Uint8Array()))).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
  })

  describe('after proofReady', () => {
    beforeAll(async () => { await proofReady() })

    it('is idempotent', async () => {
      await expect(Promise.all([proofReady(), proofReady()])).resolves.toEqual([undefined, undefined])
    })

    it('keccak256 (WASM) equals the pure JS implementation', () => {
      for (const s of ['', 'abc', 'x'.repeat(1000), '😀']) {
        expect(keccak256(enc.encode(s))).toEqual(keccakAsU8a(enc.encode(s), 256, true))
      }
      expect(toHex(keccak256(enc.encode('abc')))).toBe('0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45')
    })

    it('leafHash is the double keccak of the UTF-8 line', () => {
      const line = '<urn:a> <urn:p> "é😀" .'
      expect(leafHash(line)).toEqual(keccak256(keccak256(enc.encode(line))))
    })
  })

  it('leafHash refuses a lone surrogate instead of hashing U+FFFD', () => {
    let err: unknown
    try { leafHash('<urn:a> <urn:p> "\uD83D" .') } catch (e) { err = e }
    expect(isCairnError(err, 'PROOF_MALFORMED')).toBe(true)
    expect(() => leafHash('<urn:a> <urn:p> "\uD83D\uDE00" .')).not.toThrow()
  })
})
