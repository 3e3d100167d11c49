import { u8aToHex, u8aWrapBytes } from '@polkadot/util'
import { signatureVerify } from '@polkadot/util-crypto'
import { beforeAll, describe, expect, it } from 'vitest'

import { isCairnError } from '../../src/errors.js'
import { nativeEd25519Verify } from '../../src/asset/keys.js'
import { claimMessage, proofReady, toHex, useFastEd25519Verify, verifyClaim, verifySigned, type VersionClaim } from '../../src/proof/index.js'
import { alice, bobEd, flipHex, sign } from './fixtures.js'

const ROOT = `0x${'11'.repeat(32)}`
const PREV = `0x${'22'.repeat(32)}`
const claim: VersionClaim = { ual: 'did:cairn:testnet/abc', version: 2, root: ROOT, previousRoot: PREV, timestamp: '2025-01-01T00:00:00.000Z' }

describe('claimMessage', () => {
  it('is exactly the documented newline-joined string', () => {
    expect(new TextDecoder().decode(claimMessage(claim))).toBe(`cairn-claim-v1\ndid:cairn:testnet/abc\n2\n${ROOT}\n${PREV}\n2025-01-01T00:00:00.000Z`)
    expect(new TextDecoder().decode(claimMessage({ ...claim, version: 1, previousRoot: null })))
      .toBe(`cairn-claim-v1\ndid:cairn:testnet/abc\n1\n${ROOT}\n\n2025-01-01T00:00:00.000Z`)
  })

  it('accepts timestamps with or without a fraction', () => {
    for (const timestamp of ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00.1Z', '2024-02-29T23:59:59.123456789Z']) {
      expect(() => claimMessage({ ...claim, timestamp })).not.toThrow()
    }
  })

  const bad: Array<[string, Partial<Record<keyof VersionClaim, unknown>>]> = [
    ['ual with a newline', { ual: 'did:x\nfoo' }],
    ['empty ual', { ual: '' }],
    ['version 0', { version: 0 }],
    ['fractional version', { version: 1.5 }],
    ['version as string', { version: '1' }],
    ['short root', { root: '0x1234' }],
    ['uppercase root', { root: `0x${'AB'.repeat(32)}` }],
    ['root without 0x', { root: '11'.repeat(32) }],
    ['empty previousRoot', { previousRoot: '' }],
    ['undefined previousRoot', { previousRoot: undefined }],
    ['local time', { timestamp: '2025-01-01T00:00:00' }],
    ['offset', { timestamp: '2025-01-01T00:00:00+01:00' }],
    ['calendar nonsense', { timestamp: '2025-02-30T00:00:00Z' }],
    ['hour 24', { timestamp: '2025-01-01T24:00:00Z' }]
  ]
  it.each(bad)('throws PROOF_MALFORMED on %s', (_name, patch) => {
    let err: unknown
    try { claimMessage({ ...claim, ...patch } as VersionClaim) } catch (e) { err = e }
    expect(isCairnError(err, 'PROOF_MALFORMED')).toBe(true)
  })
})

describe('verifyClaim', () => {
  beforeAll(async () => { await proofReady() })

  for (const [name, pair] of [['sr25519', alice], ['ed25519', bobEd]] as const) {
    it(`${name}: a real signature verifies; tampering fails`, () => {
      const key = pair()
      const sig = sign(key, claimMessage(claim))
      expect(verifyClaim(claim, sig, key.address)).toBe(true)
      expect(verifyClaim({ ...claim, version: 3 }, sig, key.address)).toBe(false)
      expect(verifyClaim({ ...claim, root: flipHex(ROOT) }, sig, key.address)).toBe(false)
      expect(verifyClaim({ ...claim, previousRoot: null }, sig, key.address)).toBe(false)
      expect(verifyClaim({ ...claim, timestamp: '2025-01-01T00:00:01.000Z' }, sig, key.address)).toBe(false)
      expect(verifyClaim({ ...claim, ual: 'did:cairn:testnet/abd' }, sig, key.address)).toBe(false)
      expect(verifyClaim(claim, flipHex(sig), key.address)).toBe(false)
      const other = name === 'sr25519' ? bobEd() : alice()
      expect(verifyClaim(claim, sig, other.address)).toBe(false)
    })
  }

  it('returns false on a malformed signature or address', () => {
    const key = alice()
    const sig = sign(key, claimMessage(claim))
    for (const s of ['', '0x', '0x1234', sig.slice(0, -2), `${sig}00`, sig.toUpperCase(), 'not hex']) {
      expect(verifyClaim(claim, s, key.address)).toBe(false)
    }
    for (const a of ['', 'nonsense', `${key.address.slice(0, -1)}x`, '0x1234']) {
      expect(verifyClaim(claim, sig, a)).toBe(false)
    }
  })

  it('accepts a browser-wallet signature over <Bytes>message</Bytes>', () => {
    const key = alice()
    const sig = toHex(key.sign(u8aWrapBytes(claimMessage(claim))))
    expect(verifyClaim(claim, sig, key.address)).toBe(true)
  })

  // Verified signatures are remembered, so each variant signs its own messages (the label goes into each).
  it.each([['wasm-crypto alone', undefined], ['OpenSSL first for ed25519 (keysReady)', nativeEd25519Verify]] as const)('verifySigned (%s) accepts exactly what util-crypto signatureVerify accepts as sr25519/ed25519', (label, fast) => {
    let fastAccepted = 0
    useFastEd25519Verify(fast === undefined ? undefined : (sig, msg, key) => { const ok = fast(sig, msg, key); if (ok) fastAccepted++; return ok })
    const enc = new TextEncoder()
    const keys = [alice(), bobEd()]
    const messages = [
      claimMessage({ ...claim, ual: `${claim.ual}/${label.length}` }),
      u8aWrapBytes(claimMessage({ ...claim, ual: `${claim.ual}/${label.length}` })),
      enc.encode(`<Bytes>unterminated ${label}`),
      enc.encode(`\x19Ethereum Signed Message:\nhello ${label}`),
      new Uint8Array(label.length)
    ]
    let cases = 0
    let accepted = 0
    for (const signer of keys) {
      for (const signed of messages) {
        const sig = sign(signer, signed)
        for (const message of messages) {
          for (const address of [...keys.map(k => k.address), u8aToHex(signer.publicKey)]) {
            for (const s of [sig, flipHex(sig)]) {
              const expected = (() => {
                try {
                  const r = signatureVerify(message, s, address)
                  return r.isValid && (r.crypto === 'sr25519' || r.crypto === 'ed25519')
                } catch { return false }
              })()
              expect(verifySigned(message, s, address), `${signer.type} ${cases}`).toBe(expected)
              cases++
              if (expected) accepted++
            }
          }
        }
      }
    }
    expect(cases).toBe(2 * 5 * 5 * 3 * 2)
    expect(accepted).toBeGreaterThan(10)
    // With OpenSSL installed it answered the valid ed25519 cases itself (wasm-crypto decides only its rejections).
    if (fast !== undefined) expect(fastAccepted).toBeGreaterThan(0)
    useFastEd25519Verify(undefined)
  })

  it('a repeat of a verified (message, signature, address) is answered the same; any other part changed still fails', () => {
    const key = alice()
    const message = claimMessage(claim)
    const sig = sign(key, message)
    for (let i = 0; i < 3; i++) expect(verifySigned(message, sig, key.address)).toBe(true)
    const other = message.slice()
    other[other.length - 1] ^= 1
    expect(verifySigned(other, sig, key.address)).toBe(false)
    expect(verifySigned(message.subarray(0, message.length - 1), sig, key.address)).toBe(false)
    expect(verifySigned(message, flipHex(sig), key.address)).toBe(false)
    expect(verifySigned(message, sig, bobEd().address)).toBe(false)
    // The remembered key joins the parts with newlines: an address carrying one cannot pose as another triple.
    expect(verifySigned(message, sig, `${key.address}\n${sig}`)).toBe(false)
    expect(verifySigned(new TextDecoder().decode(message) as unknown as Uint8Array, sig, key.address)).toBe(false)
  })

  it('throws PROOF_MALFORMED on a malformed claim (a caller bug, not a bad signature)', () => {
    expect(() => verifyClaim({ ...claim, version: -1 }, '0x', alice().address)).toThrow(/version/)
  })
})
