import { describe, expect, it } from 'vitest'

import { formatUal, parseUal } from '../../src/asset/ual.js'
import { ualParts } from '../../src/proof/ual-binding.js'
import { alice } from './fixtures.js'

describe('ualParts', () => {
  const publisher = alice().address
  const assetId = 'ab'.repeat(20)

  it('agrees with the asset module on a base UAL', () => {
    const ual = formatUal({ network: 'testnet', publisher, assetId })
    const parsed = parseUal(ual)
    expect(ualParts(ual)).toEqual({ network: parsed.network, publisher: parsed.publisher, assetId: parsed.assetId })
  })

  it('refuses version IRIs, other schemes and empty segments', () => {
    expect(ualParts(formatUal({ network: 'testnet', publisher, assetId, version: 2 }))).toBeUndefined()
    expect(ualParts(`did:other:testnet/${publisher}/${assetId}`)).toBeUndefined()
    expect(ualParts(`did:cairn:testnet//${assetId}`)).toBeUndefined()
    expect(ualParts('did:cairn:testnet')).toBeUndefined()
  })
})
