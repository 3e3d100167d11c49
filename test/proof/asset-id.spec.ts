import { describe, expect, it } from 'vitest'

import { deriveAssetId, keccak256, toHex } from '../../src/proof/index.js'
import { alice } from './fixtures.js'

describe('deriveAssetId', () => {
  const root = keccak256(new TextEncoder().encode('root'))

  it('is the first 20 bytes of keccak256(domain + publisher + ":" || root), hex without 0x', () => {
    const publisher = alice().address
    const prefix = new TextEncoder().encode(`cairn:asset-id:v1:${publisher}:`)
    const buf = new Uint8Array(prefix.length + 32); buf.set(prefix); buf.set(root, prefix.length)
    const id = deriveAssetId(publisher, root)
    expect(id).toMatch(/^[0-9a-f]{40}$/)
    expect(id).toBe(toHex(keccak256(buf)).slice(2, 42))
  })

  it('depends on publisher and root', () => {
    const other = keccak256(new TextEncoder().encode('other'))
    expect(deriveAssetId('5Fa', root)).not.toBe(deriveAssetId('5Fb', root))
    expect(deriveAssetId('5Fa', root)).not.toBe(deriveAssetId('5Fa', other))
  })

  it('refuses a bad root or publisher', () => {
    expect(() => deriveAssetId('5Fa', new Uint8Array(20))).toThrow(/32 bytes/)
    expect(() => deriveAssetId('', root)).toThrow(/publisher/)
  })
})
