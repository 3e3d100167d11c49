import { beforeAll, describe, expect, it } from 'vitest'

import { isCairnError } from '../../src/errors.js'
import { claimMessage, proofReady, verifyBundle, type AssetBundle, type BundleVersion } from '../../src/proof/index.js'
import { alice, flipHex, makeBundle, sign } from './fixtures.js'

const clone = <T>(x: T): T => structuredClone(x)
function withVersion (b: AssetBundle, i: number, patch: Partial<BundleVersion>): AssetBundle {
  const out = clone(b)
  out.versions[i] = { ...out.versions[i], ...patch }
  return out
}

describe('verifyBundle', () => {
  let b: AssetBundle
  beforeAll(async () => {
    await proofReady()
    b = makeBundle()
  })

  it('a real two-version bundle verifies, also after a JSON round trip', () => {
    const ok = { ok: true, checks: { root: true, signature: true, anchor: true, chain: true } }
    expect(verifyBundle(b)).toEqual({ ok: true, ual: b.ual, versions: [{ version: 1, ...ok }, { version: 2, ...ok }] })
    expect(verifyBundle(JSON.parse(JSON.stringify(b)) as AssetBundle).ok).toBe(true)
  })

  it('a tampered line fails the root check of that version only', () => {
    const lines = [...b.versions[1].lines]
    expect(lines[2]).toContain('"Alice"')
    lines[2] = lines[2].replace('"Alice"', '"Alicia"')
    const r = verifyBundle(withVersion(b, 1, { lines }))
    expect(r.ok).toBe(false)
    expect(r.versions[0].ok).toBe(true)
    expect(r.versions[1]).toMatchObject({ ok: false, code: 'PROOF_ROOT_MISMATCH', checks: { root: false, signature: true, anchor: true, chain: true } })
  })

  it('a dropped, duplicated or unsorted line fails the root check', () => {
    const lines = b.versions[0].lines
    expect(verifyBundle(withVersion(b, 0, { lines: lines.slice(1) })).versions[0].checks.root).toBe(false)
    expect(verifyBundle(withVersion(b, 0, { lines: [lines[0], ...lines] })).versions[0]).toMatchObject({ code: 'PROOF_MALFORMED', checks: { root: false } })
    expect(verifyBundle(withVersion(b, 0, { lines: [...lines].reverse() })).versions[0].checks.root).toBe(false)
    expect(verifyBundle(withVersion(b, 0, { lines: [] })).versions[0].checks.root).toBe(false)
    expect(verifyBundle(withVersion(b, 0, { lines: ['\uD800'] })).versions[0]).toMatchObject({ ok: false, code: 'PROOF_MALFORMED' })
  })

  it('a tampered signature or anchor fails its check', () => {
    expect(verifyBundle(withVersion(b, 0, { signature: flipHex(b.versions[0].signature) })).versions[0])
      .toMatchObject({ ok: false, code: 'PROOF_BAD_SIGNATURE', checks: { root: true, signature: false, anchor: true, chain: true } })
    expect(verifyBundle(withVersion(b, 1, { anchor: b.versions[0].anchor })).versions[1])
      .toMatchObject({ ok: false, code: 'PROOF_BAD_ANCHOR', checks: { anchor: false } })
    expect(verifyBundle({ ...clone(b), publisher: 'x' }).versions.every(v => !v.checks.signature)).toBe(true)
  })

  it('a broken chain fails, even when every version is validly signed', () => {
    const key = alice()
    // Version 2 re-signed with a previousRoot that is not version 1's root.
    const v2 = b.versions[1]
    const previousRoot = `0x${'44'.repeat(32)}`
    const signature = sign(key, claimMessage({ ual: b.ual, version: 2, root: v2.root, previousRoot, timestamp: v2.timestamp }))
    const r = verifyBundle(withVersion(b, 1, { previousRoot, signature }))
    expect(r.versions[1]).toMatchObject({ ok: false, code: 'PROOF_INVALID', checks: { root: true, signature: true, anchor: true, chain: false } })
  })

  it('chain: missing or reordered versions, v1 with a previousRoot, wrong assetId', () => {
    expect(verifyBundle({ ...clone(b), versions: [clone(b.versions[1])] }).versions[0].checks.chain).toBe(false)
    expect(verifyBundle({ ...clone(b), versions: clone(b.versions).reverse() }).versions.map(v => v.checks.chain)).toEqual([false, false])
    expect(verifyBundle({ ...clone(b), assetId: 'ab'.repeat(20) }).versions[0]).toMatchObject({ ok: false, code: 'PROOF_INVALID', reason: expect.stringMatching(/assetId/) })
    const v1 = b.versions[0]
    const previousRoot = `0x${'55'.repeat(32)}`
    const signature = sign(alice(), claimMessage({ ual: b.ual, version: 1, root: v1.root, previousRoot, timestamp: v1.timestamp }))
    expect(verifyBundle(withVersion(b, 0, { previousRoot, signature })).versions[0]).toMatchObject({ checks: { signature: true, chain: false } })
  })

  it('chain: the UAL must name the bundle network, publisher and asset id', () => {
    for (const patch of [{ network: 'mainnet' }, { ual: b.ual.replace('did:cairn:', 'did:other:') }, { ual: `${b.ual}/v1` }]) {
      expect(verifyBundle({ ...clone(b), ...patch }).versions[0]).toMatchObject({ ok: false, checks: { chain: false } })
    }
    expect(verifyBundle({ ...clone(b), network: 'mainnet' }).versions[0]).toMatchObject({ code: 'PROOF_INVALID', reason: expect.stringMatching(/UAL/) })
  })

  it('a single-version bundle verifies', () => {
    expect(verifyBundle({ ...clone(b), versions: [clone(b.versions[0])] }).ok).toBe(true)
  })

  const garbage: Array<[string, unknown]> = [
    ['null', null],
    ['an array', []],
    ['wrong format', { format: 'cairn-bundle/2' }],
    ['no versions', { versions: [] }],
    ['assetId with 0x', { assetId: `0x${'ab'.repeat(20)}` }],
    ['a version that is not an object', { versions: [1] }],
    ['lines that are not strings', { versions: [{ lines: [1] }] }],
    ['a bad anchor shape', { versions: [{ anchor: { type: 'evm/1' } }] }],
    ['a bad timestamp', { versions: [{ timestamp: 'now' }] }]
  ]
  it.each(garbage)('throws PROOF_MALFORMED on %s', (_n, patch) => {
    let input: unknown = patch
    if (patch !== null && typeof patch === 'object' && !Array.isArray(patch)) {
      const p = patch as Partial<AssetBundle>
      input = { ...clone(b), ...p, versions: p.versions?.map((v, i) => typeof v === 'object' ? { ...clone(b.versions[i]), ...v } : v) ?? clone(b.versions) }
    }
    let err: unknown
    try { verifyBundle(input as AssetBundle) } catch (e) { err = e }
    expect(isCairnError(err, 'PROOF_MALFORMED')).toBe(true)
  })
})
