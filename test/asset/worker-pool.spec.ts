/**
 * PrepareWorkerPool with real worker threads (started from the TypeScript sources through tsx): results equal the
 * inline functions byte for byte, CairnErrors cross the thread boundary intact, stop() ends workers and calls.
 */
import type { Quad } from '@rdfjs/types'
import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keysReady, prepareGraphs, prepareSignedVersion, signerFromSeed, signVersion, storeQuads, ualFor } from '../../src/asset/index.js'
import type { PreparedGraph, ReadyVersion, SignedVersion } from '../../src/asset/index.js'
import { PrepareWorkerPool } from '../../src/asset/worker-pool.js'
import { CairnError } from '../../src/errors.js'
import { proofReady, toHex, verifyClaim } from '../../src/proof/index.js'
import { tripleToLine } from '../../src/rdf/index.js'

const SEED = new Uint8Array(32).fill(5)
const NETWORK = 'local'

/** Several graphs, blank nodes, escapes and characters past U+FFFF: everything the packing must carry. */
const TRIG = `@prefix e: <https://ex.org/> .
e:d e:p "default graph" ; e:q [ e:r "nested \\"quoted\\"" ] .
e:g1 { e:a e:p "line\\nbreak" ; e:n 42 ; e:when "2025-01-01"^^<http://www.w3.org/2001/XMLSchema#date> . }
e:g2 { e:b e:p "😀 in g2"@en ; e:q _:x . _:x e:p "blank" ; e:q _:y . _:y e:p "other" . }`

function asset (i: number): string {
  return `<https://ex.org/a${i}> <https://ex.org/p> "value ${i}" .\n<https://ex.org/a${i}> <https://ex.org/q> _:b .\n_:b <https://ex.org/r> "${i}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n`
}

/** A graph as plain bytes and strings, so toEqual compares every byte of every leaf hash. */
function plain (g: PreparedGraph): unknown {
  return { sourceName: g.sourceName, lines: g.lines, root: g.root, leafHashes: g.leafHashes.map((h) => toHex(h)), sizes: g.leafHashes.map((h) => h.length) }
}

function lines (quads: Quad[]): string[] {
  return quads.map((q) => tripleToLine(q.subject, q.predicate, q.object) + ` ${q.graph.termType}`)
}

function plainReady (r: ReadyVersion): unknown {
  return { sv: r.sv, prepared: plain(r.prepared), quads: lines(r.quads) }
}

async function rejection (promise: Promise<unknown>): Promise<unknown> {
  return await promise.then(() => { throw new Error('expected a rejection') }, (err: unknown) => err)
}

function workersOf (pool: PrepareWorkerPool): Worker[] {
  return (pool as unknown as { slots: Array<{ worker: Worker }> }).slots.map((s) => s.worker)
}

describe('PrepareWorkerPool (real workers)', () => {
  let pool: PrepareWorkerPool
  let inline: PrepareWorkerPool
  let signed: SignedVersion[]

  beforeAll(async () => {
    await Promise.all([proofReady(), keysReady()])
    pool = new PrepareWorkerPool({ size: 2, nodeKey: { seed: SEED, type: 'sr25519' } })
    inline = new PrepareWorkerPool({ size: 0, nodeKey: { seed: SEED, type: 'sr25519' } })
    await Promise.all([pool.start(), inline.start()])
    const alice = signerFromSeed(new Uint8Array(32).fill(7), 'sr25519')
    const bob = signerFromSeed(new Uint8Array(32).fill(8), 'ed25519')
    signed = []
    for (let i = 0; i < 20; i++) {
      const [g] = await prepareGraphs({ text: asset(i), format: 'ntriples' })
      signed.push(signVersion(g, { signer: i % 2 === 0 ? alice : bob, network: NETWORK }))
    }
  })
  afterAll(async () => { await Promise.all([pool?.stop(), inline?.stop()]) })

  it('starts its workers and knows the node key they sign with', () => {
    expect(pool.isStarted()).toBe(true)
    expect(pool.size).toBe(2)
    expect(workersOf(pool)).toHaveLength(2)
    expect(pool.signerAddress).toBe(signerFromSeed(SEED, 'sr25519').address)
    expect(inline.signerAddress).toBe(pool.signerAddress)
  })

  it('prepareGraphs: worker results equal the inline function byte for byte', async () => {
    const expected = await prepareGraphs({ text: TRIG, format: 'trig' }, { maxTriples: 100 })
    expect(expected).toHaveLength(3)
    const got = await pool.prepareGraphs({ text: TRIG, format: 'trig' }, { maxTriples: 100 })
    expect(got.map(plain)).toEqual(expected.map(plain))
    expect((await inline.prepareGraphs({ text: TRIG, format: 'trig' }, { maxTriples: 100 })).map(plain)).toEqual(expected.map(plain))
  })

  it('prepareAndSign: the same graphs, signed by the node key, with the quads the store keeps', async () => {
    const expected = await prepareGraphs({ text: TRIG, format: 'trig' })
    const address = signerFromSeed(SEED, 'sr25519').address
    for (const p of [pool, inline]) {
      const ready = await p.prepareAndSign({ text: TRIG, format: 'trig' }, {}, NETWORK)
      expect(ready.map((r) => plain(r.prepared))).toEqual(expected.map(plain))
      ready.forEach((r, i) => {
        expect(r.sv.publisher).toBe(address)
        expect(r.sv.ual).toBe(ualFor(NETWORK, address, expected[i].root))
        expect(r.sv.version).toBe(1)
        expect(r.sv.lines).toEqual(expected[i].lines)
        expect(r.sv.sourceName).toBe(expected[i].sourceName)
        expect(verifyClaim(r.sv, r.sv.signature, r.sv.publisher)).toBe(true)
        expect(lines(r.quads)).toEqual(lines(storeQuads(expected[i].lines, r.sv.ual, 1)))
      })
    }
  })

  it('carries a literal holding U+0000 (the packing separator) intact', async () => {
    const text = '<https://ex.org/n> <https://ex.org/p> "nul\\u0000inside" .\n<https://ex.org/n> <https://ex.org/q> "plain" .\n'
    const [expected] = await prepareGraphs({ text, format: 'ntriples' })
    expect(expected.lines.some((l) => l.includes('\\u0000'))).toBe(true)
    const [ready] = await pool.prepareAndSign({ text, format: 'ntriples' }, {}, NETWORK)
    expect(plain(ready.prepared)).toEqual(plain(expected))
    expect(lines(ready.quads)).toEqual(lines(storeQuads(expected.lines, ready.sv.ual, 1)))
    expect(ready.quads.some((q) => q.object.value === 'nul\u0000inside')).toBe(true)
  })

  it('prepareSignedVersions: a batch spread over the workers equals the inline loop, in order', async () => {
    const expected: ReadyVersion[] = []
    for (const sv of signed) {
      const prepared = await prepareSignedVersion(sv, {})
      expected.push({ sv, prepared, quads: storeQuads(prepared.lines, sv.ual, sv.version) })
    }
    const got = await pool.prepareSignedVersions(signed, {})
    expect(got.map(plainReady)).toEqual(expected.map(plainReady))
    got.forEach((r, i) => { expect(r.sv).toBe(signed[i]) })
    expect((await inline.prepareSignedVersions(signed, {})).map(plainReady)).toEqual(expected.map(plainReady))
    expect(await pool.prepareSignedVersions([], {})).toEqual([])
  })

  it('a CairnError thrown in a worker arrives as a CairnError with the same code, message and details', async () => {
    const bad = { text: '@prefix e: <https://ex.org/> .\ne:a e:b e:c .\ne:a e:b .\n', format: 'turtle' as const }
    const inlineErr = await rejection(prepareGraphs(bad, {}))
    const err = await rejection(pool.prepareGraphs(bad, {}))
    expect(err).toBeInstanceOf(CairnError)
    expect(inlineErr).toBeInstanceOf(CairnError)
    const [a, b] = [err as CairnError, inlineErr as CairnError]
    expect({ code: a.code, key: a.key, status: a.status, message: a.message, details: a.details })
      .toEqual({ code: b.code, key: b.key, status: b.status, message: b.message, details: b.details })
    expect(a.code).toBe('CAIRN_RDF_SYNTAX')
    expect(a.details?.line).toBe(3)
    expect(a.toProblem()).toEqual(b.toProblem())
  })

  it('a failing batch reports the first failing version, as the inline loop does, whichever worker had it', async () => {
    const batch = signed.map((sv) => ({ ...sv }))
    batch[17] = { ...batch[17], lines: ['<https://ex.org/x> <https://ex.org/p> "tampered" .'] }
    batch[13] = { ...batch[13], signature: batch[12].signature }
    const expected = await rejection(inline.prepareSignedVersions(batch, {}))
    const err = await rejection(pool.prepareSignedVersions(batch, {}))
    expect((expected as CairnError).code).toBe('CAIRN_PROOF_BAD_SIGNATURE')
    expect(err).toBeInstanceOf(CairnError)
    expect((err as CairnError).code).toBe('CAIRN_PROOF_BAD_SIGNATURE')
    expect((err as CairnError).message).toBe((expected as CairnError).message)
    expect((err as CairnError).details).toEqual({ ual: batch[13].ual, version: 1 })
    // Only the later version fails: its own error.
    const onlyLate = signed.map((sv, i) => i === 17 ? batch[17] : sv)
    expect((await rejection(pool.prepareSignedVersions(onlyLate, {})) as CairnError).code).toBe('CAIRN_PROOF_ROOT_MISMATCH')
  })

  it('replaces a worker that dies and keeps answering', async () => {
    const p = new PrepareWorkerPool({ size: 1 })
    await p.start()
    try {
      const [first] = workersOf(p)
      await first.terminate()
      for (let i = 0; i < 100 && workersOf(p)[0] === first; i++) await new Promise((resolve) => setTimeout(resolve, 50))
      const graphs = await p.prepareGraphs({ text: asset(1), format: 'ntriples' }, {})
      expect(graphs.map(plain)).toEqual((await prepareGraphs({ text: asset(1), format: 'ntriples' })).map(plain))
    } finally {
      await p.stop()
    }
  })

  describe('lifecycle', () => {
    it('stop() terminates the workers and rejects pending calls with a clear error', async () => {
      const p = new PrepareWorkerPool({ size: 2 })
      await p.start()
      const workers = workersOf(p)
      const big = Array.from({ length: 300 }, (_, i) => asset(i).replaceAll('<https://ex.org/a', `<https://ex.org/g${i}/a`)).join('')
      const outcomes = Array.from({ length: 6 }, async () => await rejection(p.prepareGraphs({ text: big, format: 'ntriples' }, {})))
      await p.stop()
      const errors = await Promise.all(outcomes)
      for (const err of errors) {
        expect(err).toBeInstanceOf(CairnError)
        expect((err as CairnError).code).toBe('CAIRN_INTERNAL')
        expect((err as CairnError).message).toMatch(/stopped before this call finished/)
      }
      expect(workers.map((w) => w.threadId)).toEqual([-1, -1])
      expect(p.isStarted()).toBe(false)
      const after = await rejection(p.prepareGraphs({ text: asset(1), format: 'ntriples' }, {}))
      expect((after as CairnError).message).toMatch(/not started; call start\(\) first/)
    })

    it('start twice starts once; stop before start and stop twice are no-ops; it restarts', async () => {
      const p = new PrepareWorkerPool({ size: 1, nodeKey: { seed: SEED, type: 'ed25519' } })
      await p.stop()
      expect(p.isStarted()).toBe(false)
      await Promise.all([p.start(), p.start()])
      await p.start()
      expect(workersOf(p)).toHaveLength(1)
      expect(p.signerAddress).toBe(signerFromSeed(SEED, 'ed25519').address)
      await p.stop()
      await p.stop()
      expect(p.signerAddress).toBeUndefined()
      await p.start()
      expect(workersOf(p)).toHaveLength(1)
      expect((await p.prepareGraphs({ text: asset(2), format: 'ntriples' }, {}))[0].lines).toHaveLength(3)
      await p.stop()
    })

    it('size 0 runs inline: no workers, the same lifecycle', async () => {
      const p = new PrepareWorkerPool({ size: 0 })
      await p.stop()
      await p.start()
      await p.start()
      expect(workersOf(p)).toHaveLength(0)
      expect(p.signerAddress).toBeUndefined()
      await expect(p.prepareAndSign({ text: asset(3), format: 'ntriples' }, {}, NETWORK)).rejects.toThrow(/no node key/)
      expect((await p.prepareGraphs({ text: asset(3), format: 'ntriples' }, {})).map(plain))
        .toEqual((await prepareGraphs({ text: asset(3), format: 'ntriples' })).map(plain))
      await p.stop()
    })

    it('refuses a negative or fractional size', () => {
      expect(() => new PrepareWorkerPool({ size: -1 })).toThrow(/whole number/)
      expect(() => new PrepareWorkerPool({ size: 1.5 })).toThrow(/whole number/)
    })
  })
})
