import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keysReady, prepareGraphs, signVersion, signerFromSeed } from '../../src/asset/index.js'
import { createCairnClient } from '../../src/client/index.js'
import type { CairnClient } from '../../src/client/index.js'
import { CairnError } from '../../src/errors.js'
import { proofReady, verifyBundle, verifyCitation } from '../../src/proof/index.js'
import { canonicalizeGraph, parseRdf } from '../../src/rdf/index.js'
import type { RdfFormat } from '../../src/rdf/index.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

const TURTLE = `@prefix s: <https://schema.org/> .
<https://ex.org/alice> a s:Person ; s:name "Alice" ; s:knows [ s:name "Bob" ; s:age 42 ] .`
const JSONLD = JSON.stringify({
  '@context': 'https://schema.org/',
  '@id': 'https://ex.org/acme',
  '@type': 'Organization',
  name: 'ACME',
  founder: { '@type': 'Person', name: 'Carol' }
})
const NTRIPLES = '<https://ex.org/x> <https://ex.org/p> "x in N-Triples"@en .\n'
const NQUADS = '<https://ex.org/y> <https://ex.org/p> "y" <https://ex.org/g1> .\n<https://ex.org/z> <https://ex.org/p> "z" <https://ex.org/g2> .\n'
const TRIG = `@prefix e: <https://ex.org/> .
e:d e:p "default" .
e:g1 { e:a e:p "in g1" . }
e:g2 { e:b e:p "in g2" ; e:q _:n . _:n e:p "blank" . }`

async function expectCode (promise: Promise<unknown>, code: string): Promise<CairnError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  expect(err, `expected ${code}`).toBeInstanceOf(CairnError)
  expect((err as CairnError).code).toBe(code)
  return err as CairnError
}

describe('knowledge assets end to end (real node, real HTTP, real SQLite)', () => {
  let t: TestNode
  let client: CairnClient

  beforeAll(async () => {
    await Promise.all([proofReady(), keysReady()])
    t = await startTestNode()
    client = createCairnClient({ url: t.url, token: t.token })
  })
  afterAll(async () => { await t?.close() })

  it('publishes each format and gives it back in each format, isomorphic to the input', async () => {
    const inputs: Array<[string, RdfFormat, number]> = [[TURTLE, 'turtle', 1], [JSONLD, 'jsonld', 1], [NTRIPLES, 'ntriples', 1], [NQUADS, 'nquads', 2], [TRIG, 'trig', 3]]
    for (const [text, format, assets] of inputs) {
      const results = await client.publishRdf(text, format)
      expect(results, format).toHaveLength(assets)
      for (const r of results) {
        expect(r.status).toBe('created')
        expect(r.anchor?.type).toBe('cairn-ledger/1')
        for (const out of ['jsonld', 'nquads', 'ntriples', 'turtle', 'trig'] as RdfFormat[]) {
          const served = await client.get(r.ual, { format: out })
          const quads = await parseRdf(served, { format: out })
          expect(quads.length, `${format} → ${out}`).toBe(r.tripleCount)
        }
      }
    }
  })

  it('keeps a TriG graph name as the source name, one asset per graph, canonical content identical', async () => {
    const results = await client.publishRdf(TRIG, 'trig')
    expect(results.map((r) => r.status)).toEqual(['existing', 'existing', 'existing'])
    expect(results.map((r) => r.sourceName)).toEqual([null, 'https://ex.org/g1', 'https://ex.org/g2'])
    const g2 = results[2]
    const bundle = await client.bundle(g2.ual)
    const expected = await canonicalizeGraph((await parseRdf(TRIG, { format: 'trig' })).filter((q) => q.graph.value === 'https://ex.org/g2'))
    expect(bundle.versions[0].lines).toEqual(expected)
  })

  it('re-publishing identical content is idempotent: same UAL, nothing new', async () => {
    const [a] = await client.publishRdf(TURTLE, 'turtle')
    const [b] = await client.publishRdf(TURTLE, 'turtle')
    expect(b.ual).toBe(a.ual)
    expect(b.status).toBe('existing')
    expect((await client.history(a.ual)).versions).toHaveLength(1)
  })

  it('updates, keeps history, serves old versions and a verifying bundle', async () => {
    const [first] = await client.publishRdf('<https://ex.org/doc> <https://ex.org/title> "draft" .', 'ntriples')
    const second = await client.updateRdf(first.ual, '<https://ex.org/doc> <https://ex.org/title> "final" .', 'ntriples')
    expect(second.version).toBe(2)
    expect(second.previousRoot).toBe(first.root)
    const history = await client.history(first.ual)
    expect(history.versions.map((v) => [v.version, v.isCurrent])).toEqual([[1, false], [2, true]])
    expect(await client.get(first.ual, { format: 'ntriples', version: 1 })).toContain('"draft"')
    expect(await client.get(first.ual, { format: 'ntriples' })).toContain('"final"')
    const report = verifyBundle(await client.bundle(first.ual))
    expect(report.ok).toBe(true)
    expect(report.versions).toHaveLength(2)
  })

  it('serves a citation per triple that verifies offline; blank nodes are skolemized and still verify', async () => {
    const [r] = await client.publishRdf(TURTLE, 'turtle')
    const c = await client.proof(r.ual, { subject: 'https://ex.org/alice', predicate: 'https://schema.org/name', object: '"Alice"' })
    expect(verifyCitation(c).ok).toBe(true)
    const nquads = await client.get(r.ual, { format: 'ntriples' })
    const bob = nquads.split('\n').find((l) => l.includes('"Bob"'))
    expect(bob).toContain('/.well-known/genid/c14n')
    const [s, p] = bob!.split(' ')
    const cb = await client.proof(r.ual, { subject: s, predicate: p, object: '"Bob"' })
    expect(cb.canonical.startsWith('_:c14n')).toBe(true)
    expect(verifyCitation(cb).ok).toBe(true)
    expect(verifyCitation({ ...cb, triple: cb.triple.replace('Bob', 'Eve') }).ok).toBe(false)
    await expectCode(client.proof(r.ual, { subject: 'https://ex.org/alice', predicate: 'https://schema.org/name', object: '"Mallory"' }), 'CAIRN_ASSET_TRIPLE_NOT_FOUND')
  })

  it('accepts client-signed assets and lets only the original publisher update', async () => {
    const alice = signerFromSeed(new Uint8Array(32).fill(7), 'sr25519')
    const mallory = signerFromSeed(new Uint8Array(32).fill(9), 'ed25519')
    const [graph] = await prepareGraphs({ text: '<https://ex.org/s> <https://ex.org/p> "signed by alice" .', format: 'ntriples' })
    const signed = signVersion(graph, { signer: alice, network: 'local' })
    const [published] = await createCairnClient({ url: t.url }).publishSigned([signed])
    expect(published.ual).toBe(signed.ual)
    expect(published.publisher).toBe(alice.address)

    const [next] = await prepareGraphs({ text: '<https://ex.org/s> <https://ex.org/p> "changed" .', format: 'ntriples' })
    const forged = signVersion(next, { signer: mallory, network: 'local', ual: signed.ual, version: 2, previousRoot: signed.root })
    await expectCode(client.updateSigned({ ...forged, publisher: mallory.address }), 'CAIRN_ASSET_NOT_PUBLISHER')
    await expectCode(client.updateSigned({ ...forged, publisher: alice.address }), 'CAIRN_PROOF_BAD_SIGNATURE')
    await expectCode(client.updateRdf(signed.ual, '<https://ex.org/s> <https://ex.org/p> "node key" .', 'ntriples'), 'CAIRN_ASSET_NOT_PUBLISHER')
    const update = signVersion(next, { signer: alice, network: 'local', ual: signed.ual, version: 2, previousRoot: signed.root })
    expect((await client.updateSigned(update)).version).toBe(2)
    // Re-sending the identical current version is idempotent; a stale version number is a conflict.
    expect((await client.updateSigned(update)).status).toBe('existing')
    const [third] = await prepareGraphs({ text: '<https://ex.org/s> <https://ex.org/p> "third" .', format: 'ntriples' })
    await expectCode(client.updateSigned(signVersion(third, { signer: alice, network: 'local', ual: signed.ual, version: 2, previousRoot: signed.root })), 'CAIRN_ASSET_VERSION_CONFLICT')
  })

  it('rejects tampered client-signed content, wrong networks and stale timestamps', async () => {
    const alice = signerFromSeed(new Uint8Array(32).fill(7), 'sr25519')
    const [graph] = await prepareGraphs({ text: '<https://ex.org/t> <https://ex.org/p> "original" .', format: 'ntriples' })
    const signed = signVersion(graph, { signer: alice, network: 'local' })
    const anon = createCairnClient({ url: t.url })
    await expectCode(anon.publishSigned([{ ...signed, lines: ['<https://ex.org/t> <https://ex.org/p> "tampered" .'] }]), 'CAIRN_PROOF_ROOT_MISMATCH')
    await expectCode(anon.publishSigned([{ ...signed, signature: signed.signature.replace(/.$/, (c) => c === '0' ? '1' : '0') }]), 'CAIRN_PROOF_BAD_SIGNATURE')
    await expectCode(anon.publishSigned([signVersion(graph, { signer: alice, network: 'other' })]), 'CAIRN_ASSET_NETWORK_MISMATCH')
    await expectCode(anon.publishSigned([signVersion(graph, { signer: alice, network: 'local', timestamp: '2001-01-01T00:00:00.000Z' })]), 'CAIRN_ASSET_BAD_TIMESTAMP')
  })

  it('answers every bad input with a 4xx problem+json and a CAIRN_ code, writing nothing', async () => {
    const before = t.node.components.store.stats()
    const post = async (body: string, contentType: string, token: string | null = t.token, path = '/assets'): Promise<{ status: number, code: string, type: string, details?: Record<string, unknown> }> => {
      const headers: Record<string, string> = { 'content-type': contentType }
      if (token !== null) headers.authorization = `Bearer ${token}`
      const res = await fetch(t.url + path, { method: 'POST', headers, body })
      const problem = await res.json() as { code: string, details?: Record<string, unknown> }
      return { status: res.status, code: problem.code, type: res.headers.get('content-type') ?? '', ...(problem.details === undefined ? {} : { details: problem.details }) }
    }
    const malformed = await post('@prefix e: <https://ex.org/> .\ne:a e:b e:c .\ne:a e:b .\n', 'text/turtle')
    expect(malformed).toMatchObject({ status: 400, code: 'CAIRN_RDF_SYNTAX' })
    expect(malformed.details?.line).toBe(3)
    expect(malformed.type).toContain('application/problem+json')
    const badJson = await post('{"@id": "https://ex.org/a",\n "https://ex.org/p": }', 'application/ld+json')
    expect(badJson).toMatchObject({ status: 400, code: 'CAIRN_RDF_SYNTAX' })
    expect(badJson.details?.line).toBe(2)
    expect(await post(JSON.stringify({ '@context': 'https://evil.example/ctx.jsonld', '@id': 'https://ex.org/a', name: 'x' }), 'application/ld+json'))
      .toMatchObject({ status: 400, code: 'CAIRN_RDF_REMOTE_CONTEXT' })
    expect(await post('# nothing here\n', 'text/turtle')).toMatchObject({ status: 400, code: 'CAIRN_RDF_EMPTY_GRAPH' })
    expect(await post('<a> <b> <c> .', 'text/turtle')).toMatchObject({ status: 400, code: 'CAIRN_RDF_RELATIVE_IRI' })
    expect(await post(NTRIPLES, 'application/x-unknown')).toMatchObject({ status: 415, code: 'CAIRN_RDF_UNSUPPORTED_FORMAT' })
    expect(await post(NTRIPLES, 'text/turtle', null)).toMatchObject({ status: 401, code: 'CAIRN_API_UNAUTHORIZED' })
    expect(await post(NTRIPLES, 'text/turtle', 'wrong-token')).toMatchObject({ status: 401, code: 'CAIRN_API_UNAUTHORIZED' })
    expect(await post('{"versions": 3}', 'application/vnd.cairn.signed+json', null)).toMatchObject({ status: 400, code: 'CAIRN_API_BAD_REQUEST' })
    const unknown = 'did:cairn:local/5FRmdvipfYnTRqfAgAimk2uQPJqcjNJUPWovWFc5pD4yiGpG/' + '0'.repeat(40)
    await expectCode(client.history(unknown), 'CAIRN_ASSET_NOT_FOUND')
    await expectCode(client.history('did:cairn:local/nope'), 'CAIRN_ASSET_BAD_UAL')
    await expectCode(client.updateRdf(unknown, NTRIPLES, 'ntriples'), 'CAIRN_ASSET_NOT_FOUND')
    const res = await fetch(`${t.url}/assets/${encodeURIComponent(unknown)}?format=rdfxml`)
    expect(res.status).toBe(404)
    expect(t.node.components.store.stats()).toEqual(before)
  })

  it('refuses a body over the cap and an asset over the triple limit', async () => {
    const small = await startTestNode({ bodyLimit: 2048, maxTriples: 3 })
    try {
      const c = createCairnClient({ url: small.url, token: small.token })
      await expectCode(c.publishRdf('<https://ex.org/a> <https://ex.org/p> "' + 'x'.repeat(4096) + '" .', 'ntriples'), 'CAIRN_API_PAYLOAD_TOO_LARGE')
      const four = [1, 2, 3, 4].map((i) => `<https://ex.org/a> <https://ex.org/p> "${i}" .`).join('\n')
      await expectCode(c.publishRdf(four, 'ntriples'), 'CAIRN_RDF_TOO_MANY_TRIPLES')
      expect(small.node.components.store.stats().assets).toBe(0)
    } finally {
      await small.close()
    }
  })

  it('a batch with one bad graph writes nothing', async () => {
    const before = t.node.components.store.stats().assets
    const alice = signerFromSeed(new Uint8Array(32).fill(7), 'sr25519')
    const graphs = await prepareGraphs({ text: '<https://ex.org/g> { <https://ex.org/b1> <https://ex.org/p> "1" . }\n<https://ex.org/h> { <https://ex.org/b2> <https://ex.org/p> "2" . }', format: 'trig' })
    const [good, bad] = graphs.map((g) => signVersion(g, { signer: alice, network: 'local' }))
    await expectCode(createCairnClient({ url: t.url }).publishSigned([good, { ...bad, signature: good.signature }]), 'CAIRN_PROOF_BAD_SIGNATURE')
    expect(t.node.components.store.stats().assets).toBe(before)
  })

  it('finds everything after a restart, and a corrupted stored quad fails verification with a proof code', async () => {
    const [r] = await client.publishRdf(TURTLE.replace('Alice', 'Alicia'), 'turtle')
    t = await t.restart()
    client = createCairnClient({ url: t.url, token: t.token })
    expect((await client.verify(r.ual)).ok).toBe(true)
    expect(await client.get(r.ual, { format: 'ntriples' })).toContain('"Alicia"')
    await t.node.stop()
    const db = new Database(join(t.dataDir, 'cairn.sqlite'))
    const literal = db.prepare("SELECT id FROM terms WHERE value = 'Alicia'").pluck().get() as number
    const other = db.prepare("INSERT INTO terms (kind, value, datatype, lang) VALUES (2, 'Mallory', 'http://www.w3.org/2001/XMLSchema#string', '')").run().lastInsertRowid
    expect(db.prepare('UPDATE quads SET o = ? WHERE o = ?').run(other, literal).changes).toBeGreaterThan(0)
    db.close()
    t = await t.restart()
    client = createCairnClient({ url: t.url, token: t.token })
    const report = await client.verify(r.ual)
    expect(report.ok).toBe(false)
    expect(report.versions[0].code).toBe('PROOF_ROOT_MISMATCH')
    expect(verifyBundle(await client.bundle(r.ual)).ok).toBe(false)
  })
})
