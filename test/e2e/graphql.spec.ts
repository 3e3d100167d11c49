import { readFileSync } from 'node:fs'
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql'
import type { IntrospectionQuery } from 'graphql'
import { DataFactory } from 'n3'
import type { Term } from '@rdfjs/types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCairnClient } from '../../src/client/index.js'
import type { CairnClient } from '../../src/client/index.js'
import { SCHEMA_FILE } from '../../src/graphql/index.js'
import { proofReady, verifyCitation } from '../../src/proof/index.js'
import type { Citation } from '../../src/proof/index.js'
import { termToNTriples } from '../../src/rdf/index.js'
import { gqlData, gqlError, graphql } from '../helpers/graphql.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

const E = 'https://ex.org/'
const S = 'https://schema.org/'
const PREFIXES = `@prefix e: <${E}> . @prefix s: <${S}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n`
/** Alice's facts over three assets: 10 plain ones each, plus typed, language-tagged and blank-node objects. */
const ALICE = [0, 1, 2].map((a) => PREFIXES + Array.from({ length: 10 }, (_v, i) => `e:alice e:p${a * 10 + i} "value ${a * 10 + i}" .`).join('\n') +
  (a === 0 ? '\ne:alice s:age "42"^^xsd:integer ; s:motto "Toujours plus haut"@fr ; s:address [ s:addressLocality "Zürich" ] .' : ''))
const INBOUND = PREFIXES + 'e:bob s:knows e:alice . e:carol s:knows e:alice . e:dave s:follows e:alice . e:erin s:knows e:bob .'
const SEARCH = PREFIXES + `e:q1 s:name "quartz harbor" .
e:q2 s:description "a long text about quartz and other minerals found near the old harbor of a town far away" .
e:q3 s:name "quartz" .
e:q4 s:name "harbor" .`

interface TermJson { termType: string, value: string, language?: string, datatype?: { value: string } }
interface FactJson { id: string, subject: TermJson, predicate: TermJson, object: TermJson, leafIndex: number, source: { ual: string, version: number } }
interface PageJson<N> { nodes: N[], edges: Array<{ cursor: string }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null } }

const FACT_FIELDS = 'id leafIndex subject { termType value } predicate { value } object { termType value ... on Literal { language datatype { value } } } source { ual version }'

function toTerm (t: TermJson): Term {
  if (t.termType === 'Literal') return t.language !== '' ? DataFactory.literal(t.value, t.language) : DataFactory.literal(t.value, DataFactory.namedNode(t.datatype?.value ?? ''))
  return DataFactory.namedNode(t.value)
}
const factId = (f: FactJson): string => `${termToNTriples(toTerm(f.subject))} <${f.predicate.value}> ${termToNTriples(toTerm(f.object))}`

describe('GraphQL API end to end (real node, real HTTP, real SQLite)', () => {
  let t: TestNode
  let client: CairnClient
  let alice: string[]

  /** Every fact of a list, page by page (`first` each), optionally doing something between pages. */
  const walk = async (field: string, first: number, between?: (page: number) => Promise<void>): Promise<FactJson[]> => {
    const out: FactJson[] = []
    let after: string | null = null
    for (let page = 0; ; page++) {
      const data: { entity: Record<string, PageJson<FactJson>> } = await gqlData(t.url,
        `query ($after: String, $first: Int) { entity(iri: "${E}alice") { list: ${field}(first: $first, after: $after) { nodes { ${FACT_FIELDS} } edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`,
        { first, after })
      const list: PageJson<FactJson> = data.entity.list
      expect(list.nodes.length).toBeLessThanOrEqual(first)
      expect(list.pageInfo.hasPreviousPage).toBe(after !== null)
      expect(list.pageInfo.endCursor).toBe(list.edges[list.edges.length - 1]?.cursor ?? null)
      out.push(...list.nodes)
      if (!list.pageInfo.hasNextPage) return out
      after = list.pageInfo.endCursor
      await between?.(page)
    }
  }

  beforeAll(async () => {
    await proofReady()
    // Every document compiled on its first run, so this suite runs the compiled executor (jit-executor.ts); the
    // node's default (the second run) leaves most of the other GraphQL suites on graphql-js.
    t = await startTestNode({ sparqlTimeoutMs: 3000, graphqlCompileAfter: 1 })
    client = createCairnClient({ url: t.url, token: t.token })
    alice = []
    for (const text of ALICE) alice.push((await client.publishRdf(text, 'turtle'))[0].ual)
    await client.publishRdf(INBOUND, 'turtle')
    await client.publishRdf(SEARCH, 'turtle')
  })
  afterAll(async () => { await t?.close() })

  describe('entities and facts', () => {
    it('pages an entity\'s facts with cursors: every fact once, in a stable order, with its source', async () => {
      const all = await gqlData<{ entity: { id: string, iri: string, term: TermJson, facts: PageJson<FactJson> } }>(t.url,
        `{ entity(iri: "${E}alice") { id iri term { termType value } facts(first: 100) { nodes { ${FACT_FIELDS} } pageInfo { hasNextPage } } } }`)
      expect(all.entity.iri).toBe(`${E}alice`)
      expect(all.entity.term).toEqual({ termType: 'NamedNode', value: `${E}alice` })
      expect(all.entity.facts.nodes).toHaveLength(33)
      expect(all.entity.facts.pageInfo.hasNextPage).toBe(false)
      for (const size of [1, 7, 33]) expect((await walk('facts', size)).map(factId)).toEqual(all.entity.facts.nodes.map(factId))
      const sources = new Set(all.entity.facts.nodes.map((f) => f.source.ual))
      expect([...sources].sort()).toEqual([...alice].sort())
      const typed = all.entity.facts.nodes.find((f) => f.predicate.value === `${S}age`)
      expect(typed?.object).toEqual({ termType: 'Literal', value: '42', language: '', datatype: { value: 'http://www.w3.org/2001/XMLSchema#integer' } })
      const tagged = all.entity.facts.nodes.find((f) => f.predicate.value === `${S}motto`)
      expect(tagged?.object).toMatchObject({ termType: 'Literal', language: 'fr', datatype: { value: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString' } })
      const address = all.entity.facts.nodes.find((f) => f.predicate.value === `${S}address`)
      expect(address?.object.termType).toBe('NamedNode')
      expect(address?.object.value).toContain('/.well-known/genid/')
    })

    it('keeps cursors valid across inserts between pages: no fact skipped or repeated', async () => {
      const before = (await walk('facts', 100)).map(factId)
      const inserted: string[] = []
      const seen = (await walk('facts', 6, async (page) => {
        // New facts with new predicates, and one with an existing predicate, published between the first pages.
        if (page > 3) return
        const text = PREFIXES + `e:alice e:late${page} "late ${page}" . e:alice e:p0 "value 0, again ${page}" .`
        inserted.push((await client.publishRdf(text, 'turtle'))[0].ual)
      })).map(factId)
      expect(new Set(seen).size).toBe(seen.length)
      expect(seen.filter((f) => before.includes(f))).toEqual(before)
      expect(inserted.length).toBeGreaterThan(2)
      // Inserted predicates are new terms (highest ids): they sort after every cursor and all show up.
      for (let page = 0; page < inserted.length; page++) expect(seen).toContain(`<${E}alice> <${E}late${page}> "late ${page}"`)
    })

    it('filters by predicate and pages inbound facts', async () => {
      const data = await gqlData<{ entity: { knows: PageJson<FactJson>, inbound: PageJson<FactJson>, facts: PageJson<FactJson> } }>(t.url,
        `{ entity(iri: "${E}alice") {
          knows: inbound(predicate: "${S}knows", first: 1) { nodes { ${FACT_FIELDS} } pageInfo { hasNextPage endCursor } }
          inbound(first: 10) { nodes { ${FACT_FIELDS} } pageInfo { hasNextPage } }
          facts(predicate: "${E}p3") { nodes { ${FACT_FIELDS} } }
        } }`)
      expect(data.entity.inbound.nodes.map((f) => f.subject.value).sort()).toEqual([`${E}bob`, `${E}carol`, `${E}dave`])
      expect(data.entity.facts.nodes.map(factId)).toEqual([`<${E}alice> <${E}p3> "value 3"`])
      expect(data.entity.knows.pageInfo.hasNextPage).toBe(true)
      const next = await gqlData<{ entity: { inbound: PageJson<FactJson> } }>(t.url,
        `query ($after: String) { entity(iri: "${E}alice") { inbound(predicate: "${S}knows", first: 5, after: $after) { nodes { ${FACT_FIELDS} } pageInfo { hasNextPage } } } }`,
        { after: data.entity.knows.pageInfo.endCursor })
      expect([data.entity.knows.nodes[0], ...next.entity.inbound.nodes].map((f) => f.subject.value).sort()).toEqual([`${E}bob`, `${E}carol`])
      expect(next.entity.inbound.pageInfo.hasNextPage).toBe(false)
      const none = await gqlData<{ entity: { facts: PageJson<FactJson> } }>(t.url, `{ entity(iri: "${E}nobody") { facts { nodes { id } pageInfo { hasNextPage endCursor } } } }`)
      expect(none.entity.facts).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } })
    })

    it('answers node(id) for entities, facts and versions', async () => {
      const data = await gqlData<{ entity: { id: string, facts: { nodes: Array<FactJson & { source: { id: string } }> } } }>(t.url,
        `{ entity(iri: "${E}alice") { id facts(first: 2) { nodes { ${FACT_FIELDS} source { id versionIri } } } } }`)
      const fact = data.entity.facts.nodes[0]
      const nodes = await gqlData<{ e: { __typename: string, iri: string }, f: FactJson & { __typename: string }, v: { __typename: string, ual: string }, missing: null }>(t.url,
        `query ($e: ID!, $f: ID!, $v: ID!, $missing: ID!) {
          e: node(id: $e) { __typename ... on Entity { iri } }
          f: node(id: $f) { __typename ... on Fact { ${FACT_FIELDS} } }
          v: node(id: $v) { __typename ... on AssetVersion { ual } }
          missing: node(id: $missing) { id }
        }`, { e: data.entity.id, f: fact.id, v: fact.source.id, missing: Buffer.from(`Fact:${fact.source.ual}/v9#0`).toString('base64url') })
      expect(nodes.e).toEqual({ __typename: 'Entity', iri: `${E}alice` })
      expect(nodes.f).toEqual({ __typename: 'Fact', ...fact, source: { ual: fact.source.ual, version: fact.source.version } })
      expect(nodes.v).toEqual({ __typename: 'AssetVersion', ual: fact.source.ual })
      expect(nodes.missing).toBeNull()
      expect((await gqlError(t.url, '{ node(id: "not an id") { id } }', 'CAIRN_API_BAD_REQUEST')).error.path).toEqual(['node'])
    })
  })

  describe('assets, versions and history', () => {
    let doc: string

    beforeAll(async () => {
      doc = (await client.publishRdf(PREFIXES + 'e:doc s:name "draft" ; s:version 1 .', 'turtle'))[0].ual
      await client.updateRdf(doc, PREFIXES + 'e:doc s:name "final" ; s:version 2 ; s:editor e:alice .', 'turtle')
    })

    it('serves a version with its claim, anchor, holders, versions and paged triples', async () => {
      const rest = await client.history(doc)
      const q = `query ($ual: String!, $v: Int) { asset(ual: $ual, version: $v) {
        id ual version versionIri publisher root previousRoot signature timestamp storedAt sourceName tripleCount isCurrent anchor holders
        receipts { peer } versions { version isCurrent } triples(first: 2) { nodes { leafIndex subject { value } } pageInfo { hasNextPage endCursor } } } }`
      const current = (await gqlData<{ asset: Record<string, any> }>(t.url, q, { ual: doc })).asset // eslint-disable-line @typescript-eslint/no-explicit-any
      const { receipts: _r, ...v2 } = rest.versions[1] as unknown as Record<string, unknown>
      expect(current).toMatchObject({ ...v2, holders: [t.node.components.network?.peerId], receipts: [], versions: [{ version: 1, isCurrent: false }, { version: 2, isCurrent: true }] })
      expect(current.triples.nodes.map((n: { leafIndex: number }) => n.leafIndex)).toEqual([0, 1])
      const rest2 = await gqlData<{ asset: { triples: PageJson<{ leafIndex: number }> } }>(t.url,
        'query ($ual: String!, $after: String) { asset(ual: $ual) { triples(after: $after) { nodes { leafIndex } pageInfo { hasNextPage } } } }',
        { ual: doc, after: current.triples.pageInfo.endCursor })
      expect(rest2.asset.triples.nodes.map((n) => n.leafIndex)).toEqual([2])
      expect(rest2.asset.triples.pageInfo.hasNextPage).toBe(false)
      for (const variables of [{ ual: doc, v: 1 }, { ual: `${doc}/v1` }]) {
        const old = (await gqlData<{ asset: { version: number, isCurrent: boolean, root: string } }>(t.url, q, variables)).asset
        expect(old).toMatchObject({ version: 1, isCurrent: false, root: rest.versions[0].root })
      }
    })

    it('lists history, and assets by publisher with cursors; refuses paranets', async () => {
      const history = await gqlData<{ history: Array<{ version: number, previousRoot: string | null, root: string }> }>(t.url,
        `{ history(ual: "${doc}") { version root previousRoot } }`)
      expect(history.history.map((v) => v.version)).toEqual([1, 2])
      expect(history.history[1].previousRoot).toBe(history.history[0].root)
      const publisher = t.node.components.nodeSigner.address
      const listed: string[] = []
      let after: string | null = null
      do {
        const page: { assets: PageJson<{ ual: string, isCurrent: boolean }> } = await gqlData(t.url,
          'query ($p: String, $after: String) { assets(publisher: $p, first: 2, after: $after) { nodes { ual isCurrent } pageInfo { hasNextPage endCursor } } }',
          { p: publisher, after })
        expect(page.assets.nodes.every((n) => n.isCurrent)).toBe(true)
        listed.push(...page.assets.nodes.map((n) => n.ual))
        after = page.assets.pageInfo.hasNextPage ? page.assets.pageInfo.endCursor : null
      } while (after !== null)
      expect(listed).toEqual((await client.list({ publisher, limit: 1000 })).items.map((a) => a.ual))
      expect((await gqlData(t.url, '{ assets(publisher: "5Nobody") { nodes { ual } } }')).assets.nodes).toEqual([])
      const refused = await gqlError(t.url, '{ assets(paranet: "p") { nodes { ual } } }', 'CAIRN_API_BAD_REQUEST')
      expect(refused.error.message).toContain('paranets are not supported yet')
      expect(refused.error.extensions).toMatchObject({ status: 400, details: { field: 'paranet' } })
    })

    it('maps not-found and bad UALs to the REST codes', async () => {
      const missing = doc.replace(/[0-9a-f]{40}$/, '0'.repeat(40))
      const notFound = await gqlError(t.url, `{ asset(ual: "${missing}") { ual } }`, 'CAIRN_ASSET_NOT_FOUND')
      expect(notFound.status).toBe(200)
      expect(notFound.data).toEqual({ asset: null })
      expect(notFound.error.extensions.status).toBe(404)
      await gqlError(t.url, `{ asset(ual: "${doc}", version: 7) { ual } }`, 'CAIRN_ASSET_VERSION_NOT_FOUND')
      await gqlError(t.url, '{ asset(ual: "not-a-ual") { ual } }', 'CAIRN_ASSET_BAD_UAL')
      await gqlError(t.url, `{ history(ual: "${missing}") { ual } }`, 'CAIRN_ASSET_NOT_FOUND')
    })
  })

  describe('citations', () => {
    it('returns, for the same triple, exactly the bytes of GET /assets/{ual}/proof', async () => {
      const data = await gqlData<{ entity: { facts: { nodes: Array<FactJson & { citation: { json: string, triple: string, proof: string[] }, bare: { json: string, proof: null } }> } } }>(t.url,
        `{ entity(iri: "${E}alice") { facts(first: 100) { nodes { ${FACT_FIELDS}
          citation { json triple proof } bare: citation(withProof: false) { json proof } } } } }`)
      const nodes = data.entity.facts.nodes
      const picked = [nodes[0], ...[`${S}age`, `${S}motto`, `${S}address`, `${E}p25`].map((p) => nodes.find((f) => f.predicate.value === p))]
      for (const fact of picked) {
        if (fact === undefined) throw new Error('fact missing')
        const query = new URLSearchParams({ subject: fact.subject.value, predicate: fact.predicate.value, object: termToNTriples(toTerm(fact.object)) })
        const res = await fetch(`${t.url}/assets/${encodeURIComponent(fact.source.ual)}/proof?${query.toString()}`)
        expect(res.status).toBe(200)
        const restBytes = new Uint8Array(await res.arrayBuffer())
        expect(new TextEncoder().encode(fact.citation.json)).toEqual(restBytes)
        const citation = JSON.parse(fact.citation.json) as Citation
        expect(verifyCitation(citation).ok).toBe(true)
        expect(fact.citation.triple).toBe(citation.triple)
        expect(fact.citation.proof).toEqual(citation.proof)
        const { proof: _proof, ...withoutProof } = citation
        expect(fact.bare.json).toBe(JSON.stringify(withoutProof))
        expect(fact.bare.proof).toBeNull()
      }
    })
  })

  describe('search', () => {
    it('ranks entities by their best literal (bm25) and pages the ranking with cursors', async () => {
      const q = 'query ($text: String!, $first: Int, $after: String) { search(text: $text, first: $first, after: $after) { edges { cursor score literal { value } node { iri } } pageInfo { hasNextPage endCursor } } }'
      type Search = { search: { edges: Array<{ cursor: string, score: number, literal: { value: string }, node: { iri: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string } } }
      const both = await gqlData<Search>(t.url, q, { text: 'quartz harbor' })
      expect(both.search.edges.map((e) => e.node.iri)).toEqual([`${E}q1`, `${E}q2`])
      expect(both.search.edges[0].literal.value).toBe('quartz harbor')
      const one = await gqlData<Search>(t.url, q, { text: 'QUARTZ' })
      const ranked = one.search.edges.map((e) => e.node.iri)
      expect(ranked).toEqual([`${E}q3`, `${E}q1`, `${E}q2`])
      const scores = one.search.edges.map((e) => e.score)
      expect([...scores].sort((a, b) => a - b)).toEqual(scores)
      const paged: string[] = []
      let after: string | null = null
      do {
        const page: Search = await gqlData(t.url, q, { text: 'quartz', first: 1, after })
        paged.push(...page.search.edges.map((e) => e.node.iri))
        after = page.search.pageInfo.hasNextPage ? page.search.pageInfo.endCursor : null
      } while (after !== null)
      expect(paged).toEqual(ranked)
      // Diacritics are folded; blank-node subjects come back as their skolem IRIs; punctuation is plain text.
      const zurich = await gqlData<Search>(t.url, q, { text: 'zurich' })
      expect(zurich.search.edges.map((e) => e.node.iri)).toEqual([expect.stringContaining('/.well-known/genid/')])
      expect((await gqlData<Search>(t.url, q, { text: '"quartz" OR NEAR(' })).search.edges).toEqual([])
      await gqlError(t.url, '{ search(text: "  ") { nodes { iri } } }', 'CAIRN_API_BAD_REQUEST')
    })
  })

  describe('SPARQL', () => {
    beforeAll(async () => { await t.node.components.sparql.whenReady() })

    it('passes read-only queries through with the /sparql limits, and refuses UPDATE and SERVICE', async () => {
      const q = 'query ($q: String!) { sparql(query: $q) { kind contentType body rows truncated } }'
      const select = await gqlData<{ sparql: { kind: string, contentType: string, body: string, rows: number, truncated: boolean } }>(t.url, q,
        { q: `SELECT ?o WHERE { <${E}alice> <${E}p1> ?o }` })
      expect(select.sparql).toMatchObject({ kind: 'SOLUTIONS', contentType: 'application/sparql-results+json', rows: 1, truncated: false })
      expect(JSON.parse(select.sparql.body).results.bindings[0].o.value).toBe('value 1')
      const ask = await gqlData(t.url, q, { q: `ASK { <${E}bob> <${S}knows> <${E}alice> }` })
      expect(ask.sparql.kind).toBe('BOOLEAN')
      expect(JSON.parse(ask.sparql.body).boolean).toBe(true)
      const construct = await gqlData(t.url, q, { q: `CONSTRUCT { ?s <${S}knows> ?o } WHERE { ?s <${S}knows> ?o }` })
      expect(construct.sparql).toMatchObject({ kind: 'GRAPH', contentType: 'application/n-triples', rows: 3 })
      await gqlError(t.url, q, 'CAIRN_SPARQL_UPDATE_REFUSED', { q: `INSERT DATA { <${E}x> <${E}y> <${E}z> }` })
      await gqlError(t.url, q, 'CAIRN_SPARQL_SERVICE_REFUSED', { q: 'SELECT * WHERE { SERVICE <https://dbpedia.org/sparql> { ?s ?p ?o } }' })
      const syntax = await gqlError(t.url, q, 'CAIRN_SPARQL_SYNTAX', { q: 'SELECT * WHERE { ?s ?p }' })
      expect(syntax.error.path).toEqual(['sparql'])
    })
  })

  describe('limits and errors', () => {
    it('refuses over-limit pages, depth and cost before running anything, with CAIRN_API_LIMIT', async () => {
      const page = await gqlError(t.url, `{ entity(iri: "${E}alice") { facts(first: 101) { nodes { id } } } }`, 'CAIRN_API_LIMIT')
      expect(page.status).toBe(400)
      expect(page.data).toBeUndefined()
      expect(page.error.extensions).toEqual({ code: 'CAIRN_API_LIMIT', status: 400, details: { field: 'Entity.facts', max: 100 } })
      await gqlError(t.url, 'query ($n: Int) { search(text: "x", first: $n) { nodes { iri } } }', 'CAIRN_API_LIMIT', { n: 1000 })
      await gqlError(t.url, 'query ($n: Int = 500) { assets(first: $n) { nodes { ual } } }', 'CAIRN_API_LIMIT')
      const deep = await gqlError(t.url, `{ entity(iri: "${E}alice") { facts { nodes { source { versions { triples { nodes { source { versions { ual } } } } } } } } } }`, 'CAIRN_API_LIMIT')
      expect(deep.error.extensions.details).toEqual({ depth: 10, max: 8 })
      // Eight levels are fine.
      await gqlData(t.url, `{ entity(iri: "${E}alice") { facts(first: 1) { nodes { source { triples(first: 1) { nodes { object { value } } } } } } } }`)
      const costly = await gqlError(t.url, '{ assets(first: 100) { nodes { triples(first: 100) { nodes { subject { value } object { value } } } } } }', 'CAIRN_API_LIMIT')
      expect(costly.status).toBe(400)
      expect(costly.error.extensions.details).toMatchObject({ max: 10_000 })
    })

    it('codes GraphQL request errors and bad arguments, and refuses non-GraphQL requests as problem+json', async () => {
      const syntax = await gqlError(t.url, '{ entity(iri: ', 'CAIRN_API_BAD_REQUEST')
      expect(syntax.status).toBe(400)
      expect(syntax.error.extensions.details).toEqual({ graphql: 'GRAPHQL_PARSE_FAILED' })
      expect((await gqlError(t.url, '{ nope }', 'CAIRN_API_BAD_REQUEST')).error.extensions.details).toEqual({ graphql: 'GRAPHQL_VALIDATION_FAILED' })
      expect((await gqlError(t.url, 'query ($n: Int) { assets(first: $n) { nodes { ual } } }', 'CAIRN_API_BAD_REQUEST', { n: 'many' })).error.extensions.details)
        .toEqual({ graphql: 'BAD_USER_INPUT' })
      await gqlError(t.url, `{ entity(iri: "${E}alice") { facts(after: "bogus") { nodes { id } } } }`, 'CAIRN_API_BAD_REQUEST')
      await gqlError(t.url, '{ entity(iri: "not an iri") { iri } }', 'CAIRN_API_BAD_REQUEST')
      const textPost = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ __typename }' })
      expect(textPost.status).toBe(415)
      expect(textPost.headers.get('content-type')).toContain('application/problem+json')
      expect((await textPost.json() as { code: string }).code).toBe('CAIRN_API_UNSUPPORTED_MEDIA_TYPE')
      for (const body of ['[{"query":"{ __typename }"}]', '{"variables":{}}', '{ not json']) {
        const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        expect(res.status, body).toBe(400)
        expect((await res.json() as { code: string }).code).toBe('CAIRN_API_BAD_REQUEST')
      }
      const noQuery = await fetch(`${t.url}/graphql`)
      expect(noQuery.status).toBe(400)
      expect((await noQuery.json() as { code: string }).code).toBe('CAIRN_API_BAD_REQUEST')
    })

    it('answers GET /graphql?query=… (GraphQL over HTTP)', async () => {
      const res = await fetch(`${t.url}/graphql?query=${encodeURIComponent(`{ entity(iri: "${E}alice") { iri } }`)}`)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ data: { entity: { iri: `${E}alice` } } })
    })
  })

  describe('schema', () => {
    it('answers the standard introspection query, and the served schema is the committed schema file', async () => {
      const res = await graphql<IntrospectionQuery>(t.url, getIntrospectionQuery({ descriptions: true, specifiedByUrl: true }))
      expect(res.errors).toBeUndefined()
      const served = printSchema(buildClientSchema(res.data as IntrospectionQuery))
      expect(served + '\n').toBe(readFileSync(SCHEMA_FILE, 'utf8'))
    })
  })
})
