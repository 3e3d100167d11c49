/**
 * POST /retrieve and GET /contributions end to end: a real node (real SQLite, real HTTP), the people/organizations
 * graph of test/helpers/rag.ts, citations checked with the pure verifier, signed answers checked with
 * verifyResponse, the contribution ledger read back over HTTP (JSON and CSV) and from its SQLite table, the CLI
 * commands in-process, and crossCheck between two networked in-process nodes.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { keysReady } from '../../src/asset/index.js'
import { buildProgram } from '../../src/cli/index.js'
import { createCairnClient } from '../../src/client/index.js'
import { proofReady, requestHash, verifyCitation, verifyResponse } from '../../src/proof/index.js'
import type { Citation } from '../../src/proof/index.js'
import type { ContributionSummary, RetrieveResponse } from '../../src/rag/index.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'
import { waitFor } from '../helpers/p2p.js'
import { EX, PEOPLE_TRIG, S } from '../helpers/rag.js'

const STANDALONE = { p2p: false, workers: 0, sparqlReplicas: 1 } as const

async function post (t: TestNode, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number, text: string, headers: Headers, sent: string }> {
  const sent = typeof body === 'string' ? body : JSON.stringify(body)
  const res = await fetch(`${t.url}/retrieve`, { method: 'POST', headers, body: sent })
  return { status: res.status, text: await res.text(), headers: res.headers, sent }
}

async function retrieve (t: TestNode, body: unknown): Promise<RetrieveResponse> {
  const res = await post(t, body)
  expect(res.status, res.text).toBe(200)
  return JSON.parse(res.text) as RetrieveResponse
}

async function publish (t: TestNode, trig: string, query = ''): Promise<Array<{ ual: string, publisher: string }>> {
  const res = await fetch(`${t.url}/assets${query}`, { method: 'POST', headers: { 'content-type': 'application/trig', authorization: `Bearer ${t.token}` }, body: trig })
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json() as { assets: Array<{ ual: string, publisher: string }> }).assets
}

async function contributions (t: TestNode, query = ''): Promise<ContributionSummary> {
  const res = await fetch(`${t.url}/contributions${query}`)
  expect(res.status, await res.clone().text()).toBe(200)
  return await res.json() as ContributionSummary
}

const predicateOf = (f: RetrieveResponse['facts'][number]): string => f.triple.predicate.value

describe('POST /retrieve (real node, real HTTP)', () => {
  let t: TestNode
  let uals: string[]

  beforeAll(async () => {
    await Promise.all([proofReady(), keysReady()])
    t = await startTestNode(STANDALONE)
    uals = (await publish(t, PEOPLE_TRIG)).map((a) => a.ual)
    expect(uals).toHaveLength(7)
  })
  afterAll(async () => { await t?.close() })

  it('ranks the facts that answer the question first and says linking is keyword-only', async () => {
    const answer = await retrieve(t, { question: 'Who founded ACME Rockets?' })
    expect(answer.linking).toBe('keyword')
    expect(answer.notes.join(' ')).toMatch(/no semantic index is configured/)
    expect(answer.entities[0]).toMatchObject({ iri: `${EX}acme`, label: 'ACME Rockets' })
    // "founded" matches both founder and foundingDate (stemmed): those two come first, in either order.
    expect(answer.facts.slice(0, 2).map(predicateOf).sort()).toEqual([`${S}founder`, `${S}foundingDate`])
    const first = answer.facts.find((f) => predicateOf(f) === `${S}founder`) as RetrieveResponse['facts'][number]
    expect(first.triple.subject.value).toBe(`${EX}acme`)
    expect(first.triple.object).toEqual({ termType: 'NamedNode', value: `${EX}ada` })
    // Stated by the ACME asset and by the registry extract: one fact, the count noted.
    expect(first.statedBy).toBe(2)
    expect(answer.facts.filter((f) => predicateOf(f) === `${S}founder` && f.triple.subject.value === `${EX}acme`)).toHaveLength(1)
    // Scores are non-increasing and are the documented weighted sums of their parts.
    const weights = { text: 0.40, entity: 0.25, proximity: 0.20, label: 0.05, recency: 0.05, verified: 0.05 }
    for (let i = 0; i < answer.facts.length; i++) {
      const f = answer.facts[i]
      if (i > 0) expect(f.score).toBeLessThanOrEqual(answer.facts[i - 1].score)
      const sum = Object.entries(weights).reduce((s, [k, w]) => s + w * f.scoreParts[k], 0)
      expect(f.score).toBeCloseTo(sum, 3)
      expect(f.scoreParts.verified).toBe(1)
    }
    // Widget Works' founder (another organization) does not outrank anything about ACME.
    expect(answer.facts.every((f) => f.triple.subject.value !== `${EX}widgets`)).toBe(true)
  })

  it('every citation verifies with the pure verifier; a tampered one fails', async () => {
    const answer = await retrieve(t, { question: 'Who founded ACME Rockets?', budget: { maxFacts: 10 } })
    expect(answer.facts.length).toBeGreaterThan(3)
    for (const f of answer.facts) {
      const check = verifyCitation(f.citation as Citation)
      expect(check.ok, JSON.stringify(check)).toBe(true)
      expect(uals).toContain(f.citation.ual)
    }
    const c = answer.facts.find((f) => predicateOf(f) === `${S}founder`)?.citation as Citation
    const tampered: Citation[] = [
      { ...c, triple: c.triple.replace(`<${EX}ada>`, `<${EX}bob>`), canonical: c.canonical.replace(`<${EX}ada>`, `<${EX}bob>`) },
      { ...c, triple: c.triple.replace(`<${EX}ada>`, `<${EX}bob>`) },
      { ...c, root: `0x${'11'.repeat(32)}` },
      { ...c, signature: c.signature.slice(0, -2) + (c.signature.endsWith('00') ? '01' : '00') }
    ]
    if (c.proof.length > 0) tampered.push({ ...c, proof: [`0x${'22'.repeat(32)}`, ...c.proof.slice(1)] })
    for (const bad of tampered) expect(verifyCitation(bad).ok).toBe(false)
  })

  it('context lines carry markers [1]… matching the facts and their sources', async () => {
    const answer = await retrieve(t, { question: 'Where is ACME Rockets located?', hops: 2 })
    const lines = answer.context.split('\n')
    expect(lines).toHaveLength(answer.facts.length)
    answer.facts.forEach((f, i) => {
      expect(f.marker).toBe(i + 1)
      expect(lines[i].startsWith(`[${i + 1}] `)).toBe(true)
      expect(lines[i].endsWith(`(source: ${f.citation.ual} v${f.citation.version})`)).toBe(true)
    })
    // Labels replace IRIs where the graph has them.
    expect(answer.context).toMatch(/\[\d+\] ACME Rockets — location — Lisbon \(source: /)
  })

  it('keeps to the budget and says when it cut facts', async () => {
    const two = await retrieve(t, { question: 'ACME Rockets', budget: { maxFacts: 2 } })
    expect(two.facts).toHaveLength(2)
    expect(two.truncated).toBe(true)
    expect(two.budget).toEqual({ maxFacts: 2, maxChars: 4000 })
    const narrow = await retrieve(t, { question: 'ACME Rockets', budget: { maxChars: 400 } })
    expect(narrow.context.length).toBeLessThanOrEqual(400)
    expect(narrow.facts.length).toBeGreaterThan(0)
    expect(narrow.truncated).toBe(true)
    const all = await retrieve(t, { question: 'ACME Rockets', budget: { maxFacts: 200, maxChars: 100000 } })
    expect(all.truncated).toBe(false)
    expect(all.facts.length).toBe(all.candidates)
  })

  it('hops: 2 reaches facts two steps away that hops: 1 does not', async () => {
    const containedIn = (a: RetrieveResponse): boolean => a.facts.some((f) => f.triple.subject.value === `${EX}lisbon` && predicateOf(f) === `${S}containedInPlace`)
    const one = await retrieve(t, { entities: [`${EX}acme`], hops: 1, budget: { maxFacts: 200 } })
    const two = await retrieve(t, { entities: [`${EX}acme`], hops: 2, budget: { maxFacts: 200 } })
    expect(one.entities).toEqual([{ iri: `${EX}acme`, label: 'ACME Rockets', score: 1 }])
    expect(containedIn(one)).toBe(false)
    expect(containedIn(two)).toBe(true)
    expect(two.hops).toBe(2)
    const far = two.facts.find((f) => f.triple.subject.value === `${EX}lisbon` && predicateOf(f) === `${S}containedInPlace`)
    expect(far?.scoreParts.proximity).toBe(0.5)
  })

  it('withProofs: false leaves the proof out and says the citation cannot be verified offline', async () => {
    const answer = await retrieve(t, { question: 'Grace Hopper', withProofs: false, budget: { maxFacts: 3 } })
    expect(answer.facts.length).toBeGreaterThan(0)
    for (const f of answer.facts) expect(f.citation).not.toHaveProperty('proof')
    expect(answer.notes.join(' ')).toMatch(/cannot be verified offline/)
  })

  it('refuses bad input with a coded 400 (problem+json with details), paranets too', async () => {
    const cases: Array<[unknown, RegExp | null]> = [
      [{}, /question/],
      [{ question: '   ' }, /question/],
      [{ question: 'x', hops: 3 }, /hops/],
      [{ question: 'x', budget: { maxFacts: 0 } }, /budget\.maxFacts/],
      [{ question: 'x', budget: { maxChars: 10 } }, /budget\.maxChars/],
      [{ question: 'x', entities: ['not an iri'] }, /entities\.0/],
      [{ question: 'x', surprise: true }, null],
      [{ question: 42 }, /question/],
      [{ question: 'x', crossCheck: 99 }, /crossCheck/],
      [{ question: 'x', paranet: 'did:cairn:paranet/science' }, /paranet/],
      [[1, 2], null],
      ['{"question": ', null]
    ]
    for (const [body, path] of cases) {
      const res = await post(t, body)
      expect(res.status, `${JSON.stringify(body)} → ${res.text}`).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const problem = JSON.parse(res.text) as { code: string, details?: { issues?: Array<{ path: string }> } }
      expect(problem.code).toBe('CAIRN_API_BAD_REQUEST')
      if (path !== null) expect(problem.details?.issues?.map((i) => i.path).join(' '), res.text).toMatch(path)
    }
    const text = await post(t, 'question=x', { 'content-type': 'application/x-www-form-urlencoded' })
    expect(text.status).toBe(415)
    expect(JSON.parse(text.text).code).toBe('CAIRN_API_UNSUPPORTED_MEDIA_TYPE')
    const big = await post(t, { question: 'x'.repeat(70 * 1024) })
    expect(big.status).toBe(413)
    expect(JSON.parse(big.text).code).toBe('CAIRN_API_PAYLOAD_TOO_LARGE')
  })

  it('signs the answer: verifyResponse accepts it and refuses an altered body', async () => {
    const res = await post(t, { question: 'Who founded ACME Rockets?', budget: { maxFacts: 3 } })
    expect(res.status).toBe(200)
    const header = res.headers.get('cairn-signature')
    expect(header).not.toBeNull()
    const enc = new TextEncoder()
    const request = { method: 'POST', pathAndQuery: '/retrieve', body: enc.encode(res.sent) }
    const node = t.node.components.nodeSigner.address
    expect(verifyResponse(header as string, request, enc.encode(res.text), node).ok).toBe(true)
    const altered = res.text.replace('ACME Rockets', 'ACME Rockers')
    expect(altered).not.toBe(res.text)
    const check = verifyResponse(header as string, request, enc.encode(altered), node)
    expect(check.ok).toBe(false)
    expect(check.checks.body).toBe(false)
    // A different question cannot reuse the signature either.
    expect(verifyResponse(header as string, { ...request, body: enc.encode('{"question":"other"}') }, enc.encode(res.text), node).ok).toBe(false)
  })

  it('records a citation served by GET /assets/{ual}/proof too, under the request it answered', async () => {
    const answer = JSON.parse((await post(t, { entities: [`${EX}acme`], budget: { maxFacts: 1 } })).text) as RetrieveResponse
    const cited = answer.facts[0].citation
    const [s, p, o] = cited.triple.slice(0, -2).match(/^(<[^>]*>) (<[^>]*>) (.*)$/)!.slice(1)
    const path = `/assets/${encodeURIComponent(cited.ual)}/proof?subject=${encodeURIComponent(s)}&predicate=${encodeURIComponent(p)}&object=${encodeURIComponent(o)}`
    const before = await contributions(t)
    const res = await fetch(`${t.url}${path}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(cited)
    const after = await contributions(t)
    expect(after.total - before.total).toBe(1)
    const db = new Database(join(t.dataDir, 'cairn.sqlite'), { readonly: true })
    try {
      const rows = db.prepare('SELECT ual, version, publisher, interface FROM contributions WHERE request_hash = ?').all(requestHash('GET', path)) as Array<Record<string, unknown>>
      expect(rows).toEqual([{ ual: cited.ual, version: cited.version, publisher: cited.publisher, interface: 'rest' }])
    } finally {
      db.close()
    }
  })

  it('records every citation served: GET /contributions counts per publisher and asset, JSON and CSV, with from/to', async () => {
    const before = await contributions(t)
    const res = await post(t, { question: 'Who founded ACME Rockets?', budget: { maxFacts: 4 } })
    const answer = JSON.parse(res.text) as RetrieveResponse
    const after = await contributions(t)
    expect(after.total - before.total).toBe(answer.facts.length)
    const count = (s: ContributionSummary, publisher: string, ual: string): number =>
      s.publishers.find((p) => p.publisher === publisher)?.assets.find((a) => a.ual === ual)?.citations ?? 0
    for (const f of answer.facts) {
      const { publisher, ual } = f.citation
      const served = answer.facts.filter((g) => g.citation.ual === ual).length
      expect(count(after, publisher, ual) - count(before, publisher, ual)).toBe(served)
    }
    for (const p of after.publishers) expect(p.citations).toBe(p.assets.reduce((n, a) => n + a.citations, 0))

    // The rows themselves: asset, version, publisher, the signed request's hash, interface, time.
    const db = new Database(join(t.dataDir, 'cairn.sqlite'), { readonly: true })
    try {
      const hash = requestHash('POST', '/retrieve', new TextEncoder().encode(res.sent))
      const rows = db.prepare('SELECT ual, version, publisher, interface, time, citations FROM contributions WHERE request_hash = ? ORDER BY id').all(hash) as Array<Record<string, unknown>>
      // A row counts the citations of one asset version in the answer.
      expect(rows.flatMap((r) => Array.from({ length: r.citations as number }, () => r.ual)).sort()).toEqual(answer.facts.map((f) => f.citation.ual).sort())
      expect(rows.every((r) => r.interface === 'rest' && r.version === 1 && typeof r.time === 'string')).toBe(true)
      expect(res.headers.get('cairn-signature')).toContain(`request=${hash}`)
    } finally {
      db.close()
    }

    const publisher = answer.facts[0].citation.publisher
    const mine = await contributions(t, `?publisher=${encodeURIComponent(publisher)}`)
    expect(mine.publishers.map((p) => p.publisher)).toEqual([publisher])
    expect((await contributions(t, '?to=2000-01-01')).total).toBe(0)
    expect((await contributions(t, '?from=2999-01-01T00:00:00Z')).total).toBe(0)
    expect((await contributions(t, `?from=${new Date(Date.now() - 3_600_000).toISOString()}`)).total).toBe(after.total)

    const csv = await fetch(`${t.url}/contributions?format=csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines[0]).toBe('publisher,ual,citations')
    const total = lines.slice(1).reduce((n, line) => n + Number(line.split(',')[2]), 0)
    expect(total).toBeGreaterThanOrEqual(after.total)
    expect((await fetch(`${t.url}/contributions`, { headers: { accept: 'text/csv' } })).headers.get('content-type')).toContain('text/csv')

    for (const q of ['?from=yesterday', '?to=2026-13-45', '?from=2026-02-01&to=2026-01-01', '?format=xml']) {
      const bad = await fetch(`${t.url}/contributions${q}`)
      expect(bad.status, q).toBe(400)
      expect((await bad.json() as { code: string }).code).toBe('CAIRN_API_BAD_REQUEST')
    }
  })

  it('crossCheck on a standalone node says no peer could be asked', async () => {
    const answer = await retrieve(t, { question: 'Grace Hopper', crossCheck: 2, budget: { maxFacts: 2 } })
    expect(answer.crossCheck).toEqual({ requested: 2, peers: [] })
    expect(answer.notes.join(' ')).toMatch(/crossCheck needs a networked node/)
  })

  it('the client returns the answer with its signature; the CLI prints the context then verified citations', async () => {
    const client = createCairnClient({ url: t.url })
    const { answer, signed } = await client.retrieve({ question: 'Who founded ACME Rockets?', budget: { maxFacts: 2 } })
    expect(answer.facts).toHaveLength(2)
    const enc = new TextEncoder()
    expect(verifyResponse(signed.signature as string, { ...signed.request, body: enc.encode(signed.request.body) }, enc.encode(signed.body)).ok).toBe(true)
    const summary = await client.contributions({ publisher: answer.facts[0].citation.publisher })
    expect(summary.total).toBeGreaterThan(0)
    expect((await client.contributionsCsv()).startsWith('publisher,ual,citations\r\n')).toBe(true)

    const out: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true })
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      await buildProgram().parseAsync(['node', 'cairn', '--node', t.url, 'retrieve', 'Who founded ACME Rockets?', '--max-facts', '3'])
      const text = out.join('')
      expect(text).toMatch(/^\[1\] ACME Rockets — /)
      expect(text).toMatch(/\n\[[12]\] ACME Rockets — founder — Ada Lovelace \(source: did:cairn:|^\[1\] ACME Rockets — founder — Ada Lovelace/)
      expect(text).toContain('Citations')
      expect(text.match(/check {6}verified/g)).toHaveLength(3)
      out.length = 0
      await buildProgram().parseAsync(['node', 'cairn', '--node', t.url, 'contributions', '--format', 'csv'])
      expect(out.join('').startsWith('publisher,ual,citations')).toBe(true)
      out.length = 0
      await buildProgram().parseAsync(['node', 'cairn', '--node', t.url, '--json', 'retrieve', '--entity', `${EX}grace`, '--no-proofs'])
      const json = JSON.parse(out.join('')) as RetrieveResponse
      expect(json.entities[0].iri).toBe(`${EX}grace`)
      expect(json.facts[0].citation).not.toHaveProperty('proof')
    } finally {
      spy.mockRestore()
      err.mockRestore()
    }
  })
})

describe('crossCheck between two networked nodes', () => {
  const P2P = { workers: 0, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], syncIntervalMs: 0 }
  let a: TestNode
  let b: TestNode

  beforeAll(async () => {
    await Promise.all([proofReady(), keysReady()])
    a = await startTestNode(P2P)
    const addr = a.node.components.network?.multiaddrs()[0] as string
    b = await startTestNode({ ...P2P, bootstrap: [addr] })
    await waitFor('the two nodes to connect', () => a.node.components.network?.peers().some((p) => p.connected))
  })
  afterAll(async () => {
    await b?.close()
    await a?.close()
  })

  it('reports that the peer holding the cited assets agrees on every fact', async () => {
    const published = await publish(a, PEOPLE_TRIG, '?minReplications=2&replicationTimeoutMs=20000')
    const bStore = b.node.components.store
    await waitFor('B to hold every asset', () => published.every((p) => bStore.getAsset(p.ual) !== undefined))
    const answer = await retrieve(a, { question: 'Who founded ACME Rockets?', crossCheck: 1, budget: { maxFacts: 6 } })
    expect(answer.facts.length).toBeGreaterThan(0)
    const peerB = b.node.components.network?.peerId as string
    expect(answer.crossCheck?.requested).toBe(1)
    expect(answer.crossCheck?.peers).toEqual([{ peer: peerB, agreed: answer.facts.length, disagreed: 0, missing: 0 }])
  })
})
