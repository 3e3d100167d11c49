import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keysReady } from '../../src/asset/index.js'
import { proofReady, requestHash, verifyCitation } from '../../src/proof/index.js'
import type { Citation } from '../../src/proof/index.js'
import type { ContributionSummary, RetrieveResponse, TermJson } from '../../src/rag/index.js'
import { gqlData, gqlError } from '../helpers/graphql.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'
import { EX, PEOPLE_TRIG, S } from '../helpers/rag.js'

interface GqlTerm { termType: string, value: string, language?: string, datatype?: { value: string } }
interface GqlRetrieved {
  facts: Array<{ marker: number, triple: Record<'subject' | 'predicate' | 'object', GqlTerm>, score: number, scoreParts: Record<string, number>, statedBy: number, citation: { json: string, proof: string[] | null } }>
  context: string
  entities: Array<{ iri: string, label: string, score: number }>
  linking: string
  notes: string[]
  truncated: boolean
  budget: { maxFacts: number, maxChars: number }
  hops: number
  candidates: number
  crossCheck: { requested: number, peers: unknown[] } | null
}

const TERM = 'termType value ... on Literal { language datatype { value } }'
const RETRIEVE = `query ($question: String, $entities: [String!], $budget: RetrieveBudgetInput, $hops: Int, $withProofs: Boolean, $crossCheck: Int) {
  retrieve(question: $question, entities: $entities, budget: $budget, hops: $hops, withProofs: $withProofs, crossCheck: $crossCheck) {
    facts { marker triple { subject { ${TERM} } predicate { ${TERM} } object { ${TERM} } } score
      scoreParts { text entity proximity label recency verified } statedBy citation { json proof } }
    context entities { iri label score } linking notes truncated budget { maxFacts maxChars } hops candidates
    crossCheck { requested peers { peer } } } }`

/** A GraphQL term as the REST answer writes it (literals with their datatype IRI, and their language when tagged). */
function termJson (t: GqlTerm): TermJson {
  if (t.termType !== 'Literal') return { termType: t.termType as TermJson['termType'], value: t.value }
  return { termType: 'Literal', value: t.value, datatype: t.datatype?.value ?? '', ...(t.language === '' ? {} : { language: t.language }) }
}

/** The REST body a GraphQL retrieve answer stands for. */
function asRest (g: GqlRetrieved): RetrieveResponse {
  return {
    facts: g.facts.map((f) => ({
      marker: f.marker,
      triple: { subject: termJson(f.triple.subject), predicate: termJson(f.triple.predicate), object: termJson(f.triple.object) },
      score: f.score,
      scoreParts: f.scoreParts,
      statedBy: f.statedBy,
      citation: JSON.parse(f.citation.json) as Citation
    })),
    context: g.context,
    entities: g.entities,
    linking: g.linking.toLowerCase() as RetrieveResponse['linking'],
    notes: g.notes,
    truncated: g.truncated,
    budget: g.budget,
    hops: g.hops as 1 | 2,
    candidates: g.candidates,
    ...(g.crossCheck === null ? {} : { crossCheck: g.crossCheck as RetrieveResponse['crossCheck'] })
  }
}

describe('Query.retrieve and citations in the contribution ledger (real node, real HTTP)', () => {
  let t: TestNode

  const rest = async (body: unknown): Promise<{ answer: RetrieveResponse, text: string }> => {
    const res = await fetch(`${t.url}/retrieve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const text = await res.text()
    expect(res.status, text).toBe(200)
    return { answer: JSON.parse(text) as RetrieveResponse, text }
  }
  /**
   * The citations recorded for one request hash, one entry per citation (a row counts the citations of one version;
   * GET /contributions first: it writes the pending rows).
   */
  const rows = async (hash: string): Promise<Array<{ ual: string, version: number, publisher: string, interface: string }>> => {
    expect((await fetch(`${t.url}/contributions`)).status).toBe(200)
    const db = new Database(join(t.dataDir, 'cairn.sqlite'), { readonly: true })
    try {
      const counted = db.prepare('SELECT ual, version, publisher, interface, citations FROM contributions WHERE request_hash = ? ORDER BY id').all(hash) as
        Array<{ ual: string, version: number, publisher: string, interface: string, citations: number }>
      return counted.flatMap(({ citations, ...row }) => Array.from({ length: citations }, () => row))
    } finally {
      db.close()
    }
  }
  /** POST a GraphQL request, returning its data and the request hash of the exact bytes sent. */
  const post = async (query: string, variables: Record<string, unknown>): Promise<{ data: any, hash: string }> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const body = JSON.stringify({ query, variables })
    const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    const json = await res.json() as { data: unknown, errors?: unknown }
    expect(json.errors, JSON.stringify(json.errors)).toBeUndefined()
    return { data: json.data, hash: requestHash('POST', '/graphql', new TextEncoder().encode(body)) }
  }

  beforeAll(async () => {
    await Promise.all([proofReady(), keysReady()])
    t = await startTestNode({ p2p: false, workers: 0, sparqlReplicas: 1 })
    const res = await fetch(`${t.url}/assets`, { method: 'POST', headers: { 'content-type': 'application/trig', authorization: `Bearer ${t.token}` }, body: PEOPLE_TRIG })
    expect(res.status).toBe(201)
  })
  afterAll(async () => { await t?.close() })

  it('answers what POST /retrieve answers, citations byte for byte, and they verify', async () => {
    const requests = [
      { question: 'Who founded ACME Rockets?' },
      { question: 'Where is ACME located?', hops: 2, budget: { maxFacts: 5 } },
      { entities: [`${EX}ada`], budget: { maxFacts: 3, maxChars: 400 } }
    ]
    for (const request of requests) {
      const { retrieve } = await gqlData<{ retrieve: GqlRetrieved }>(t.url, RETRIEVE, request)
      const { answer, text } = await rest(request)
      expect(asRest(retrieve), JSON.stringify(request)).toEqual(answer)
      expect(answer.facts.length).toBeGreaterThan(0)
      for (const f of retrieve.facts) {
        // The citation's JSON text is a substring of the REST body: the same bytes.
        expect(text).toContain(`"citation":${f.citation.json}`)
        expect(verifyCitation(JSON.parse(f.citation.json) as Citation).ok).toBe(true)
      }
    }
  })

  it('withProofs: false leaves the proof out, as REST does', async () => {
    const { retrieve } = await gqlData<{ retrieve: GqlRetrieved }>(t.url, RETRIEVE, { question: 'Who founded ACME Rockets?', withProofs: false })
    const { answer } = await rest({ question: 'Who founded ACME Rockets?', withProofs: false })
    expect(asRest(retrieve)).toEqual(answer)
    expect(retrieve.facts.every((f) => f.citation.proof === null && !('proof' in (JSON.parse(f.citation.json) as object)))).toBe(true)
  })

  it('refuses what POST /retrieve refuses, with the same codes and issues', async () => {
    const bad = await gqlError(t.url, RETRIEVE, 'CAIRN_API_BAD_REQUEST', { question: 'x', hops: 3 })
    expect(bad.error.extensions.details?.issues).toEqual([expect.objectContaining({ path: 'hops' })])
    await gqlError(t.url, RETRIEVE, 'CAIRN_API_BAD_REQUEST', { budget: { maxFacts: 5 } })
    await gqlError(t.url, RETRIEVE, 'CAIRN_API_BAD_REQUEST', { question: 'x', budget: { maxFacts: 100_000 } })
    await gqlError(t.url, '{ retrieve(question: "ACME", paranet: "p") { context } }', 'CAIRN_API_BAD_REQUEST')
  })

  it('records each citation it serves once, with interface graphql and the request hash: Fact.citation and retrieve', async () => {
    const page = `query ($iri: String!) { entity(iri: $iri) { facts(first: 3) { nodes { citation { ual version publisher } } } }
      again: entity(iri: $iri) { facts(first: 2) { nodes { citation(withProof: false) { ual } } } } }`
    const facts = await post(page, { iri: `${EX}acme` })
    const served = [...facts.data.entity.facts.nodes, ...facts.data.again.facts.nodes].map((n: { citation: { ual: string } }) => n.citation.ual)
    expect(served).toHaveLength(5)
    const factRows = await rows(facts.hash)
    expect(factRows.map((r) => r.ual).sort()).toEqual(served.sort())
    expect(factRows.every((r) => r.interface === 'graphql' && r.version === 1)).toBe(true)
    expect(factRows[0].publisher).toBe(facts.data.entity.facts.nodes[0].citation.publisher)

    const retrieved = await post(RETRIEVE, { question: 'Who founded ACME Rockets?', budget: { maxFacts: 4 } })
    const cited = (retrieved.data.retrieve as GqlRetrieved).facts.map((f) => (JSON.parse(f.citation.json) as Citation).ual)
    expect(cited).toHaveLength(4)
    const retrieveRows = await rows(retrieved.hash)
    expect(retrieveRows.map((r) => r.ual).sort()).toEqual(cited.sort())
    expect(retrieveRows.every((r) => r.interface === 'graphql')).toBe(true)

    // A query that serves no citation records nothing; the summary counts what was recorded.
    const none = await post(`{ entity(iri: "${EX}acme") { facts(first: 3) { nodes { leafIndex } } } }`, {})
    expect(await rows(none.hash)).toEqual([])
    const summary = await (await fetch(`${t.url}/contributions`)).json() as ContributionSummary
    expect(summary.total).toBeGreaterThanOrEqual(served.length + cited.length)
  })

  it('a GET request is hashed without a body, as the REST routes hash theirs', async () => {
    const query = `{ entity(iri: "${EX}grace") { facts(first: 1, predicate: "${S}name") { nodes { citation { ual } } } } }`
    const path = `/graphql?${new URLSearchParams({ query }).toString()}`
    const res = await fetch(`${t.url}${path}`)
    expect(res.status).toBe(200)
    expect((await rows(requestHash('GET', path))).map((r) => r.interface)).toEqual(['graphql'])
  })
})
