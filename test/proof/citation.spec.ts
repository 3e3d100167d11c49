import { beforeAll, describe, expect, it } from 'vitest'

import { isCairnError } from '../../src/errors.js'
import { buildCitation, citationBuilder, citationJson, claimMessage, proofReady, verifyCitation, type Citation, type ServedCitation } from '../../src/proof/index.js'
import { alice, bobEd, flipHex, makeBundle, makeCitation, sign } from './fixtures.js'

const KEYS = ['ual', 'version', 'triple', 'canonical', 'leafIndex', 'leafHash', 'proof', 'root', 'previousRoot', 'timestamp', 'publisher', 'signature', 'anchor']

describe('citation', () => {
  let c: Citation
  beforeAll(async () => {
    await proofReady()
    c = makeCitation()
  })

  it('a real citation of a blank-node triple verifies', () => {
    expect(c.canonical).toContain('_:c14n0')
    expect(c.triple).toContain('/v1/.well-known/genid/c14n0>')
    expect(verifyCitation(c)).toEqual({ ok: true, checks: { triple: true, leafHash: true, inclusion: true, publisher: true, signature: true, anchor: true } })
  })

  it('every line of both versions yields a verifying citation', () => {
    const b = makeBundle()
    for (const v of b.versions) {
      for (let i = 0; i < v.lines.length; i++) expect(verifyCitation(makeCitation(b, v.version, i)).ok).toBe(true)
    }
  })

  it('buildCitation fixes the key order, drops unknown keys and copies arrays', () => {
    const shuffled = Object.fromEntries(Object.entries(c).reverse()) as unknown as Citation
    const built = buildCitation({ ...shuffled, extra: 1 } as Citation)
    expect(Object.keys(built)).toEqual(KEYS)
    expect(Object.keys(built.anchor)).toEqual(['type', 'root', 'batchIndex', 'path', 'entry', 'entryHash', 'signature'])
    expect(Object.keys(built.anchor.entry)).toEqual(['ledger', 'height', 'prevHash', 'batchRoot', 'count', 'timestamp'])
    expect(JSON.stringify(built)).toBe(JSON.stringify(c))
    expect(built.proof).not.toBe(c.proof)
    expect(built.anchor.path).not.toBe(c.anchor.path)
  })

  it('citationBuilder makes, for each triple of a version, what buildCitation makes; they share one frozen anchor proof', () => {
    const b = makeBundle()
    const version = makeCitation(b, 1, 0)
    const build = citationBuilder(version)
    const built = b.versions[0].lines.map((_line, i) => {
      const c = makeCitation(b, 1, i)
      const out = build(c)
      expect(JSON.stringify(out)).toBe(JSON.stringify(buildCitation(c)))
      return out
    })
    expect(built[0].proof).not.toBe(built[1].proof)
    expect(built[0].anchor).toBe(built[1].anchor)
    expect(built[0].anchor).not.toBe(version.anchor)
    for (const frozen of [built[0].anchor, built[0].anchor.path, built[0].anchor.entry]) expect(Object.isFrozen(frozen)).toBe(true)
    expect(() => { built[0].anchor.path.push('0x') }).toThrow(TypeError)
    // Hashes it has already checked are remembered; anything else is still checked.
    expect(() => build({ ...version, leafHash: '0x12' })).toThrow(/leafHash/)
    expect(() => build({ ...version, proof: [...version.proof, version.proof[0].toUpperCase()] })).toThrow(/proof/)
    expect(() => build({ ...version, proof: [...version.proof, 42 as unknown as string] })).toThrow(/proof/)
    expect(() => citationBuilder({ ...version, anchor: { ...version.anchor, entry: undefined } } as unknown as Citation)).toThrow(/entry/)
  })

  describe('citationJson', () => {
    const served = (c: Citation): ServedCitation => { const { proof: _proof, ...rest } = c; return rest }

    it('is JSON.stringify of the builder\'s citation, with and without the proof, for every line of both versions', () => {
      const b = makeBundle()
      for (const v of b.versions) {
        const build = citationBuilder(makeCitation(b, v.version, 0))
        for (let i = 0; i < v.lines.length; i++) {
          const c = build(makeCitation(b, v.version, i))
          expect(citationJson(c)).toBe(JSON.stringify(c))
          expect(citationJson(served(c))).toBe(JSON.stringify(served(c)))
          // Twice: the second answer comes from the version's written tail.
          expect(citationJson(c)).toBe(JSON.stringify(c))
        }
      }
      expect(b.versions[1].lines.join('')).toContain('😀')
      expect(makeCitation(b, 2, 0).previousRoot).not.toBeNull()
    })

    it('escapes what JSON.stringify escapes (quotes, backslashes, controls, U+2028, lone surrogates)', () => {
      const built = buildCitation(c)
      for (const odd of ['"q" \\ \n\t\u0001', 'line\u2028sep', 'lone \ud800 surrogate', 'é ü 中 😀']) {
        const changed = { ...built, triple: `<https://ex.org/a> <https://ex.org/p> "${odd}" .`, canonical: odd }
        expect(citationJson(changed)).toBe(JSON.stringify(changed))
      }
    })

    it('never serves a stale version tail: a citation with other version members is written anew', () => {
      const built = buildCitation(c)
      expect(citationJson(built)).toBe(JSON.stringify(built))
      for (const key of ['root', 'previousRoot', 'timestamp', 'publisher', 'signature'] as const) {
        const other = { ...built, [key]: key === 'previousRoot' ? built.root : flipHex(built.root) }
        expect(citationJson(other)).toBe(JSON.stringify(other))
      }
      // An anchor that is not the builder's frozen copy is written every time.
      const loose = { ...built, anchor: { ...built.anchor, path: [...built.anchor.path] } }
      expect(citationJson(loose)).toBe(JSON.stringify(loose))
      loose.anchor.path.push(built.root)
      expect(citationJson(loose)).toBe(JSON.stringify(loose))
    })
  })

  it.each(KEYS)('buildCitation throws PROOF_MALFORMED without %s', key => {
    const parts: Record<string, unknown> = { ...c }
    delete parts[key]
    let err: unknown
    try { buildCitation(parts as unknown as Citation) } catch (e) { err = e }
    expect(isCairnError(err, 'PROOF_MALFORMED')).toBe(true)
  })

  const tampered: Array<[string, (c: Citation) => Partial<Citation>, string]> = [
    ['triple', c => ({ triple: c.triple.replace('"Bob"', '"Eve"') }), 'PROOF_INVALID'],
    ['triple (other version skolem IRI)', c => ({ triple: c.triple.replace('/v1/', '/v2/') }), 'PROOF_INVALID'],
    ['canonical', c => ({ canonical: c.canonical.replace('"Bob"', '"Eve"') }), 'PROOF_INVALID'],
    ['leafHash', c => ({ leafHash: flipHex(c.leafHash) }), 'PROOF_INVALID'],
    ['proof', c => ({ proof: [flipHex(c.proof[0]), ...c.proof.slice(1)] }), 'PROOF_ROOT_MISMATCH'],
    ['proof (truncated)', c => ({ proof: c.proof.slice(1) }), 'PROOF_ROOT_MISMATCH'],
    ['root', c => ({ root: flipHex(c.root) }), 'PROOF_ROOT_MISMATCH'],
    ['version', () => ({ version: 2 }), 'PROOF_INVALID'], // the triple's skolem IRI names v1
    ['ual', c => ({ ual: `${c.ual}x` }), 'PROOF_INVALID'],
    ['previousRoot', () => ({ previousRoot: `0x${'33'.repeat(32)}` }), 'PROOF_BAD_SIGNATURE'],
    ['timestamp', () => ({ timestamp: '2025-01-01T00:00:00.001Z' }), 'PROOF_BAD_SIGNATURE'],
    ['publisher', () => ({ publisher: bobEd().address }), 'PROOF_BAD_SIGNATURE'],
    ['signature', c => ({ signature: flipHex(c.signature) }), 'PROOF_BAD_SIGNATURE'],
    ['anchor path', c => ({ anchor: { ...c.anchor, path: [flipHex(c.anchor.path[0]), ...c.anchor.path.slice(1)] } }), 'PROOF_BAD_ANCHOR'],
    ['anchor entry', c => ({ anchor: { ...c.anchor, entry: { ...c.anchor.entry, height: 9 } } }), 'PROOF_BAD_ANCHOR'],
    ['anchor signature', c => ({ anchor: { ...c.anchor, signature: flipHex(c.anchor.signature) } }), 'PROOF_BAD_ANCHOR'],
    ['anchor of another version', () => ({ anchor: makeBundle().versions[1].anchor }), 'PROOF_BAD_ANCHOR'],
    ['leafIndex (garbage)', () => ({ leafIndex: -1 }), 'PROOF_MALFORMED'],
    ['proof (garbage)', () => ({ proof: ['0x12'] }), 'PROOF_MALFORMED']
  ]
  it.each(tampered)('tampered %s fails with %s', (_name, patch, code) => {
    const r = verifyCitation({ ...c, ...patch(c) })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.code).toBe(code)
  })

  it('reports every failing check, not only the first', () => {
    const r = verifyCitation({ ...c, signature: flipHex(c.signature), anchor: { ...c.anchor, signature: flipHex(c.anchor.signature) } })
    expect(r).toMatchObject({ ok: false, code: 'PROOF_BAD_SIGNATURE', checks: { triple: true, leafHash: true, inclusion: true, signature: false, anchor: false } })
  })

  it("another publisher signing a claim under Alice's UAL fails the publisher check", () => {
    const bob = bobEd()
    const signature = sign(bob, claimMessage({ ual: c.ual, version: c.version, root: c.root, previousRoot: c.previousRoot, timestamp: c.timestamp }))
    expect(verifyCitation({ ...c, publisher: bob.address, signature })).toMatchObject({
      ok: false, code: 'PROOF_BAD_SIGNATURE', checks: { publisher: false, signature: true }
    })
  })

  it('a version-1 citation whose UAL asset id is not derived from its root fails, even when signed', () => {
    const key = alice()
    const ual = c.ual.replace(/[0-9a-f]{40}$/, 'ab'.repeat(20))
    const v1 = makeCitation(makeBundle(), 1)
    const triple = v1.triple.split(v1.ual).join(ual)
    const signature = sign(key, claimMessage({ ual, version: 1, root: v1.root, previousRoot: null, timestamp: v1.timestamp }))
    expect(verifyCitation({ ...v1, ual, triple, signature })).toMatchObject({ ok: false, code: 'PROOF_BAD_SIGNATURE', checks: { triple: true, publisher: false, signature: true } })
  })

  it('a version-2 citation verifies (its asset id is bound by the chain, not re-derived)', () => {
    const v2 = makeCitation(makeBundle(), 2, 3)
    expect(v2.previousRoot).not.toBeNull()
    expect(verifyCitation(v2).ok).toBe(true)
  })

  it('a citation re-signed by another publisher fails', () => {
    // Alice's bundle, Bob claiming it: the signature is Alice's.
    expect(verifyCitation({ ...c, publisher: bobEd().address }).ok).toBe(false)
    expect(verifyCitation({ ...makeCitation(makeBundle(bobEd())) }).ok).toBe(true)
    expect(alice().address).not.toBe(bobEd().address)
  })

  it('garbage is PROOF_MALFORMED, not a throw', () => {
    for (const g of [null, 'x', {}, { ...c, anchor: null }]) {
      expect(verifyCitation(g as unknown as Citation)).toMatchObject({ ok: false, code: 'PROOF_MALFORMED' })
    }
  })
})
