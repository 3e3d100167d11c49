import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import {
  deriveAssetId, fromHex, leafHash, proofReady, toHex, verifyAnchorProof, verifyBundle, verifyCitation, verifyClaim,
  verifyInclusion, type AnchorProof, type AssetBundle, type Citation, type VersionClaim
} from '../../src/proof/index.js'
import { VECTOR_DIR, generateVectors, vectorText } from './vectors.js'

/* eslint-disable @typescript-eslint/no-explicit-any */
const read = (name: string): any => JSON.parse(readFileSync(join(VECTOR_DIR, `${name}.json`), 'utf8'))

describe('docs/test-vectors', () => {
  let generated: Record<string, unknown>
  beforeAll(async () => {
    await proofReady()
    generated = await generateVectors()
  })

  it.each(['merkle', 'claim', 'ledger', 'citation'])('%s.json is exactly what the generator produces (run `npx tsx test/proof/vectors.ts` after an intended change)', name => {
    expect(readFileSync(join(VECTOR_DIR, `${name}.json`), 'utf8')).toBe(vectorText(generated[name]))
  })

  it('merkle: every committed proof verifies against the committed root', () => {
    for (const set of read('merkle').sets) {
      for (const leaf of set.leaves) expect(toHex(leafHash(leaf.line))).toBe(leaf.leafHash)
      for (const { index, proof } of set.proofs) {
        expect(verifyInclusion(fromHex(set.leaves[index].leafHash), proof.map(fromHex), fromHex(set.root))).toBe(true)
      }
    }
  })

  it('claim: RFC 8032 public key, exact message bytes, deterministic ed25519 signatures that verify', () => {
    const v = read('claim')
    expect(v.key.publicKey).toBe('0xd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')
    expect(deriveAssetId(v.key.address, fromHex(v.assetId.firstRoot))).toBe(v.assetId.assetId)
    for (const c of v.claims) {
      expect(toHex(new TextEncoder().encode(c.message))).toBe(c.messageHex)
      expect(verifyClaim(c.claim as VersionClaim, c.signature, v.key.address)).toBe(true)
      expect(verifyClaim({ ...c.claim, timestamp: '2000-01-01T00:00:00.000Z' }, c.signature, v.key.address)).toBe(false)
    }
  })

  it('ledger: anchors verify, entries chain by hash', () => {
    const v = read('ledger')
    expect(v.key.publicKey).toBe('0x3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c') // RFC 8032 TEST 2
    expect(v.entries[1].entry.prevHash).toBe(v.entries[0].entryHash)
    for (const a of v.anchors as AnchorProof[]) expect(verifyAnchorProof(a, a.root)).toEqual({ ok: true })
  })

  it('citation verifies, and the vectors assemble into a verifying bundle', () => {
    expect(verifyCitation(read('citation').citation as Citation).ok).toBe(true)
    const claim = read('claim')
    const ledger = read('ledger')
    const bundle: AssetBundle = {
      format: 'cairn-bundle/1',
      ual: claim.claims[0].claim.ual,
      network: 'testnet',
      publisher: claim.key.address,
      assetId: claim.assetId.assetId,
      versions: claim.claims.map((c: any, i: number) => ({
        ...c.claim, signature: c.signature, sourceName: null, lines: claim.versions[i].lines, anchor: ledger.anchors[i]
      }))
    }
    expect(verifyBundle(bundle).ok).toBe(true)
  })
})
