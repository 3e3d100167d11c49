import { DOMParser } from '@xmldom/xmldom'
import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCairnClient } from '../../src/client/index.js'
import type { CairnClient } from '../../src/client/index.js'
import { parseRdf } from '../../src/rdf/index.js'
import type { RdfFormat } from '../../src/rdf/index.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

const E = 'https://ex.org/'
const PEOPLE = `@prefix s: <https://schema.org/> . @prefix e: <${E}> .
e:alice a s:Person ; s:name "Alice" ; s:knows e:bob .
e:bob a s:Person ; s:name "Bob"@en ; s:age 42 ; s:address [ s:addressLocality "Zurich" ] .`

interface Json { head: { vars?: string[] }, boolean?: boolean, results?: { bindings: Array<Record<string, { type: string, value: string }>> } }

describe('SPARQL 1.1 endpoint on a real node (HTTP, oxigraph replicas fed from SQLite)', () => {
  let t: TestNode
  let client: CairnClient
  let people: string

  const sparql = async (query: string, accept = 'application/sparql-results+json', extra = ''): Promise<Response> =>
    await fetch(`${t.url}/sparql?query=${encodeURIComponent(query)}${extra}`, { headers: { accept } })
  const select = async (query: string): Promise<Json> => await (await sparql(query)).json() as Json

  beforeAll(async () => {
    t = await startTestNode({ sparqlTimeoutMs: 3000 })
    client = createCairnClient({ url: t.url, token: t.token })
    people = (await client.publishRdf(PEOPLE, 'turtle'))[0].ual
  })
  afterAll(async () => { await t?.close() })

  it('answers SELECT in JSON, XML, CSV and TSV, each read by a real parser', async () => {
    const q = `SELECT ?name WHERE { ?p <https://schema.org/name> ?name } ORDER BY ?name`
    const json = await select(q)
    expect(json.results?.bindings.map((b) => b.name.value)).toEqual(['Alice', 'Bob'])

    const xmlRes = await sparql(q, 'application/sparql-results+xml')
    expect(xmlRes.headers.get('content-type')).toContain('application/sparql-results+xml')
    const doc = new DOMParser().parseFromString(await xmlRes.text(), 'text/xml')
    expect(Array.from(doc.getElementsByTagName('literal')).map((n) => n.textContent)).toEqual(['Alice', 'Bob'])

    const csv = parseCsv(await (await sparql(q, 'text/csv')).text(), { columns: true }) as Array<{ name: string }>
    expect(csv.map((r) => r.name)).toEqual(['Alice', 'Bob'])

    const tsv = (await (await sparql(q, 'text/tab-separated-values')).text()).trim().split('\n')
    expect(tsv[0]).toBe('?name')
    // TSV cells are RDF terms in Turtle syntax: parse them as the objects of triples.
    const terms = await parseRdf(tsv.slice(1).map((cell) => `<${E}s> <${E}p> ${cell} .`).join('\n'), { format: 'turtle' })
    expect(terms.map((q) => [q.object.value, (q.object as { language?: string }).language])).toEqual([['Alice', ''], ['Bob', 'en']])

    const ask = await select('ASK { ?p <https://schema.org/age> 42 }')
    expect(ask.boolean).toBe(true)
  })

  it('answers CONSTRUCT and DESCRIBE in Turtle, N-Triples, N-Quads and JSON-LD', async () => {
    const q = `CONSTRUCT { ?p <https://schema.org/name> ?n } WHERE { ?p <https://schema.org/name> ?n }`
    const formats: Array<[string, RdfFormat]> = [['text/turtle', 'turtle'], ['application/n-triples', 'ntriples'], ['application/n-quads', 'nquads'], ['application/ld+json', 'jsonld']]
    for (const [accept, format] of formats) {
      const res = await sparql(q, accept)
      expect(res.status, accept).toBe(200)
      expect(res.headers.get('content-type')).toContain(accept)
      const quads = await parseRdf(await res.text(), { format })
      expect(quads.map((x) => x.object.value).sort()).toEqual(['Alice', 'Bob'])
    }
    const described = await parseRdf(await (await sparql(`DESCRIBE <${E}bob>`, 'application/n-triples')).text(), { format: 'ntriples' })
    expect(described.length).toBe(4)
  })

  it('makes a publish visible to the very next query, and keeps history queryable after an update', async () => {
    const [doc] = await client.publishRdf(`<${E}doc> <${E}title> "draft" .`, 'ntriples')
    const title = async (): Promise<string[]> => (await select(`SELECT ?t WHERE { <${E}doc> <${E}title> ?t }`)).results!.bindings.map((b) => b.t.value)
    expect(await title()).toEqual(['draft'])
    await client.updateRdf(doc.ual, `<${E}doc> <${E}title> "final" .`, 'ntriples')
    expect(await title()).toEqual(['final'])
    const v1 = await select(`SELECT ?t WHERE { GRAPH <${doc.ual}/v1> { <${E}doc> <${E}title> ?t } }`)
    expect(v1.results!.bindings.map((b) => b.t.value)).toEqual(['draft'])
    const graphs = await select(`SELECT ?g WHERE { GRAPH ?g { <${E}doc> <${E}title> ?t } } ORDER BY ?g`)
    expect(graphs.results!.bindings.map((b) => b.g.value)).toEqual([`${doc.ual}/v1`, `${doc.ual}/v2`])
  })

  it('keeps a triple in the default graph while another current asset still states it', async () => {
    const shared = `<${E}earth> <${E}shape> "round" .`
    const [a] = await client.publishRdf(`${shared}\n<${E}a> <${E}p> "a" .`, 'ntriples')
    await client.publishRdf(`${shared}\n<${E}b> <${E}p> "b" .`, 'ntriples')
    await client.updateRdf(a.ual, `<${E}a> <${E}p> "a2" .`, 'ntriples')
    expect((await select(`ASK { <${E}earth> <${E}shape> "round" }`)).boolean).toBe(true)
    expect((await select(`ASK { <${E}a> <${E}p> "a" }`)).boolean).toBe(false)
  })

  it('answers "who said this and when" from the provenance graph', async () => {
    const res = await select(`PREFIX cairn: <https://w3id.org/cairn/vocab#> PREFIX prov: <http://www.w3.org/ns/prov#>
      SELECT ?asset ?address ?time ?root WHERE {
        GRAPH ?v { <${E}alice> <https://schema.org/name> "Alice" }
        GRAPH <urn:cairn:provenance> { ?asset cairn:currentVersion ?v . ?v cairn:publisher ?who ; prov:generatedAtTime ?time ; cairn:merkleRoot ?root . ?who cairn:address ?address }
      }`)
    const [row] = res.results!.bindings
    expect(row.asset.value).toBe(people)
    expect(row.address.value).toBe(t.node.components.nodeSigner.address)
    expect(row.root.value).toMatch(/^0x[0-9a-f]{64}$/)
  })

  it('honours default-graph-uri and named-graph-uri', async () => {
    const q = encodeURIComponent('SELECT ?n WHERE { ?p <https://schema.org/name> ?n }')
    const only = await (await fetch(`${t.url}/sparql?query=${q}&default-graph-uri=${encodeURIComponent(`${people}/v1`)}`, { headers: { accept: 'application/sparql-results+json' } })).json() as Json
    expect(only.results!.bindings).toHaveLength(2)
    const none = await (await fetch(`${t.url}/sparql?query=${q}&default-graph-uri=${encodeURIComponent(`${E}nothing`)}`, { headers: { accept: 'application/sparql-results+json' } })).json() as Json
    expect(none.results!.bindings).toHaveLength(0)
  })

  it('accepts POST with application/sparql-query and with a form; serves a service description without a query', async () => {
    const q = 'SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }'
    const direct = await fetch(`${t.url}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-query', accept: 'application/sparql-results+json' }, body: q })
    const form = await fetch(`${t.url}/sparql`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/sparql-results+json' }, body: new URLSearchParams({ query: q }).toString() })
    expect((await direct.json() as Json).results!.bindings[0].c.value).toBe((await form.json() as Json).results!.bindings[0].c.value)
    const sd = await fetch(`${t.url}/sparql`)
    expect(sd.headers.get('content-type')).toContain('text/turtle')
    const quads = await parseRdf(await sd.text(), { format: 'turtle' })
    expect(quads.some((x) => x.object.value === 'http://www.w3.org/ns/sparql-service-description#Service')).toBe(true)
  })

  it('refuses UPDATE and SERVICE, and answers syntax errors and bad parameters with coded 400s', async () => {
    const problem = async (res: Response): Promise<[number, string, Record<string, unknown> | undefined]> => {
      const body = await res.json() as { code: string, details?: Record<string, unknown> }
      return [res.status, body.code, body.details]
    }
    expect(await problem(await fetch(`${t.url}/sparql`, { method: 'POST', headers: { 'content-type': 'application/sparql-update' }, body: 'INSERT DATA { <a:b> <a:c> <a:d> }' })))
      .toEqual([403, 'CAIRN_SPARQL_UPDATE_REFUSED', undefined])
    expect((await problem(await fetch(`${t.url}/sparql`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'update=CLEAR%20ALL' })))[1]).toBe('CAIRN_SPARQL_UPDATE_REFUSED')
    expect((await problem(await sparql('DELETE WHERE { ?s ?p ?o }')))[1]).toBe('CAIRN_SPARQL_UPDATE_REFUSED')
    expect((await problem(await sparql('SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }')))[1]).toBe('CAIRN_SPARQL_SERVICE_REFUSED')
    const [status, code, details] = await problem(await sparql('SELECT * WHERE {\n  ?s ?p '))
    expect([status, code]).toEqual([400, 'CAIRN_SPARQL_SYNTAX'])
    expect(details).toMatchObject({ line: 2 })
    expect((await problem(await sparql('SELECT * WHERE { ?s ?p ?o }', 'application/sparql-results+json', '&timeout=soon')))[1]).toBe('CAIRN_API_BAD_REQUEST')
    expect((await problem(await sparql('SELECT * WHERE { ?s ?p ?o }', 'application/sparql-results+json', '&default-graph-uri=not%20an%20iri')))[1]).toBe('CAIRN_API_BAD_REQUEST')
    expect((await problem(await sparql('SELECT * WHERE { ?s ?p ?o }', 'image/png')))[0]).toBe(406)
  })

  it('stops a runaway query with a timeout error and keeps answering', async () => {
    const start = Date.now()
    const boom = await sparql('SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?q ?o . ?r ?s ?u FILTER(?c != ?f) }', 'application/sparql-results+json', '&timeout=300')
    expect(boom.status).toBe(503)
    expect((await boom.json() as { code: string }).code).toBe('CAIRN_SPARQL_TIMEOUT')
    expect(Date.now() - start).toBeLessThan(3000)
    const after = await select('ASK { ?s ?p ?o }')
    expect(after.boolean).toBe(true)
  })

  it('caps rows and signals truncation', async () => {
    const capped = await startTestNode({ sparqlMaxRows: 2 })
    try {
      await createCairnClient({ url: capped.url, token: capped.token }).publishRdf(PEOPLE, 'turtle')
      const res = await fetch(`${capped.url}/sparql?query=${encodeURIComponent('SELECT * WHERE { ?s ?p ?o }')}`, { headers: { accept: 'application/sparql-results+json' } })
      expect(res.headers.get('cairn-truncated')).toBe('true')
      expect(res.headers.get('cairn-rows')).toBe('2')
      expect(((await res.json()) as Json).results!.bindings).toHaveLength(2)
    } finally {
      await capped.close()
    }
  })

  it('reloads everything from SQLite after a restart: the same dataset the commits pushed to the replicas', async () => {
    // Before the restart the replicas hold what each commit handed them; after it, what they read back from SQLite.
    const everything = 'SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }'
    const rows = async (): Promise<string[]> => (await select(everything)).results!.bindings
      .map((b) => ['s', 'p', 'o', 'g'].map((v) => JSON.stringify(b[v] ?? null)).join(' ')).sort()
    const pushed = await rows()
    // The blank node of the asset published with one is stored and mirrored under its skolem IRI.
    expect(pushed.some((row) => row.includes('/.well-known/genid/c14n'))).toBe(true)
    expect(pushed.some((row) => row.includes('"bnode"'))).toBe(false)
    t = await t.restart()
    client = createCairnClient({ url: t.url, token: t.token })
    const res = await select(`SELECT ?t WHERE { <${E}doc> <${E}title> ?t }`)
    expect(res.results!.bindings.map((b) => b.t.value)).toEqual(['final'])
    expect(await rows()).toEqual(pushed)
  })
})
