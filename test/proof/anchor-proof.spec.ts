import { beforeAll, describe, expect, it } from 'vitest'

import { ledgerEntryHash, ledgerEntryMessage, proofReady, verifyAnchorProof, type AnchorProof } from '../../src/proof/index.js'
import { ZERO, alice, anchorBatch, bobEd, flipHex, sign } from './fixtures.js'

const roots = [1, 2, 3, 4, 5].map(i => `0x${i.toString(16).padStart(2, '0').repeat(32)}`)

describe('verifyAnchorProof', () => {
  beforeAll(async () => { await proofReady() })

  it('every root of a signed batch verifies', () => {
    const { proofs } = anchorBatch(roots)
    proofs.forEach((p, i) => expect(verifyAnchorProof(p, roots[i])).toEqual({ ok: true }))
  })

  it('a batch of one root has an empty path', () => {
    const { proofs } = anchorBatch([roots[0]])
    expect(proofs[0].path).toEqual([])
    expect(verifyAnchorProof(proofs[0], roots[0])).toEqual({ ok: true })
  })

  it('an ed25519 ledger key works too, at a later height', () => {
    const { proofs } = anchorBatch(roots, { node: bobEd(), height: 7, prevHash: `0x${'99'.repeat(32)}` })
    expect(verifyAnchorProof(proofs[3], roots[3]).ok).toBe(true)
  })

  const bad = (p: AnchorProof, root: string, code = 'PROOF_BAD_ANCHOR'): void => {
    const r = verifyAnchorProof(p, root)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.code).toBe(code)
  }

  it('wrong root fails', () => {
    const { proofs } = anchorBatch(roots)
    bad(proofs[0], roots[1])
    bad({ ...proofs[0], root: roots[1] }, roots[1]) // the proof claims another root, but the path does not lead there
  })

  it('bad path fails: flipped element, wrong order of levels, missing or extra element, another index', () => {
    const { proofs } = anchorBatch(roots)
    const p = proofs[1]
    bad({ ...p, path: [flipHex(p.path[0]), ...p.path.slice(1)] }, roots[1])
    bad({ ...p, path: [...p.path].reverse() }, roots[1])
    bad({ ...p, path: p.path.slice(1) }, roots[1])
    bad({ ...p, path: [...p.path, p.path[0]] }, roots[1])
    bad({ ...p, batchIndex: 5 }, roots[1])
  })

  it('tampered entry fails: every field, the hash, the signature', () => {
    const { proofs } = anchorBatch(roots)
    const p = proofs[2]
    const e = p.entry
    bad({ ...p, entry: { ...e, height: 1 } }, roots[2])
    bad({ ...p, entry: { ...e, count: 6 } }, roots[2])
    bad({ ...p, entry: { ...e, timestamp: '2030-01-01T00:00:00.000Z' } }, roots[2])
    bad({ ...p, entry: { ...e, batchRoot: flipHex(e.batchRoot) } }, roots[2])
    bad({ ...p, entry: { ...e, ledger: alice().address } }, roots[2])
    bad({ ...p, entryHash: flipHex(p.entryHash) }, roots[2])
    bad({ ...p, signature: flipHex(p.signature) }, roots[2])
  })

  it('a tampered entry re-hashed but not re-signed fails on the signature', () => {
    const { proofs } = anchorBatch(roots)
    const p = proofs[0]
    const entry = { ...p.entry, timestamp: '2030-01-01T00:00:00.000Z' }
    const r = verifyAnchorProof({ ...p, entry, entryHash: ledgerEntryHash(entry) }, roots[0])
    expect(r).toMatchObject({ ok: false, code: 'PROOF_BAD_ANCHOR', reason: expect.stringMatching(/signature/) })
  })

  it('a height-0 entry must have a zero prevHash, even when signed', () => {
    const key = alice()
    const { proofs } = anchorBatch(roots, { node: key, height: 0, prevHash: `0x${'01'.repeat(32)}` })
    bad(proofs[0], roots[0])
    const signedOk = { ...proofs[0], entry: { ...proofs[0].entry, prevHash: ZERO } }
    const fixed = { ...signedOk, entryHash: ledgerEntryHash(signedOk.entry), signature: sign(key, ledgerEntryMessage(signedOk.entry)) }
    expect(verifyAnchorProof(fixed, roots[0]).ok).toBe(true)
  })

  it('garbage is PROOF_MALFORMED, not a throw', () => {
    const { proofs } = anchorBatch(roots)
    for (const g of [null, 42, {}, { ...proofs[0], type: 'evm/1' }, { ...proofs[0], path: 'x' }, { ...proofs[0], entry: null }]) {
      bad(g as unknown as AnchorProof, roots[0], 'PROOF_MALFORMED')
    }
    bad(proofs[0], 'not a root', 'PROOF_MALFORMED')
  })
})
