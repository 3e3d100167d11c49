import { describe, expect, it } from 'vitest'

import { isCairnError } from '../../src/errors.js'
import { fromHex, toHex } from '../../src/proof/index.js'
import { bytesEqual, compareBytes, isHex } from '../../src/proof/hex.js'

describe('hex', () => {
  it('round-trips every byte value, lowercase with 0x', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    const h = toHex(all)
    expect(h.startsWith('0x00010203')).toBe(true)
    expect(h).toBe(h.toLowerCase())
    expect(fromHex(h)).toEqual(all)
    expect(toHex(new Uint8Array())).toBe('0x')
    expect(fromHex('0x')).toEqual(new Uint8Array())
  })

  it('round-trips inputs longer than one fromCharCode chunk (4,096 bytes)', () => {
    for (const n of [4095, 4096, 4097, 10_000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255)
      const h = toHex(bytes)
      expect(h).toBe('0x' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''))
      expect(fromHex(h)).toEqual(bytes)
    }
  })

  it.each(['', '00', '0x0', '0xg0', '0xAB', '0X00', ' 0x00', '0x00 '])('fromHex(%j) throws PROOF_MALFORMED', bad => {
    let err: unknown
    try { fromHex(bad) } catch (e) { err = e }
    expect(isCairnError(err, 'PROOF_MALFORMED')).toBe(true)
  })

  it('fromHex refuses non-strings', () => {
    expect(() => fromHex(42 as unknown as string)).toThrow(/fromHex/)
  })

  it('isHex checks the byte length', () => {
    expect(isHex(`0x${'ab'.repeat(32)}`, 32)).toBe(true)
    expect(isHex(`0x${'ab'.repeat(31)}`, 32)).toBe(false)
    expect(isHex(`0x${'AB'.repeat(32)}`, 32)).toBe(false)
    expect(isHex('0x', undefined)).toBe(true)
  })

  it('compares bytes unsigned and lexicographically', () => {
    expect(compareBytes(Uint8Array.of(0x7f), Uint8Array.of(0x80))).toBeLessThan(0)
    expect(compareBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBeLessThan(0)
    expect(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 9))).toBeGreaterThan(0)
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true)
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false)
  })
})
