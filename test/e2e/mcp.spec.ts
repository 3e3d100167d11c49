import { existsSync } from 'node:fs'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCairnClient } from '../../src/client/index.js'
import type { Citation } from '../../src/proof/index.js'
import { proofReady, verifyCitation, verifyResponse } from '../../src/proof/index.js'
import { parseRdf } from '../../src/rdf/index.js'
import { graphql } from '../helpers/graphql.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

const BIN = new URL('../../bin/cairn.js', import.meta.url).pathname
const E = 'https://ex.org/'
const S = 'https://schema.org/'
const PEOPLE = `@prefix s: <${S}> . @prefix e: <${E}> .
e:ada a s:Person ; s:name "Ada Lovelace" ; s:description "Mathematician, born in London" ; s:birthPlace e:london ; s:knows e:charles ; s:worksFor e:engine .
e:charles a s:Person ; s:name "Charles Babbage"@en ; s:birthDate "1791-12-26"^^<http://www.w3.org/2001/XMLSchema#date> .
e:engine a s:Organization ; s:name "Analytical Engine Society" ; s:location e:london .
e:london a s:Place ; s:name "London" ; s:address [ s:addressCountry "GB" ] .`

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const structured = (r: CallToolResult): Json => {
  // The text block and the structured content carry the same JSON.
  const text = (r.content[0] as { text: string }).text
  expect(JSON.parse(text)).toEqual(r.structuredContent)
  return r.structuredContent as Json
}

describe('MCP on a real node: the SDK client over Streamable HTTP (/mcp) and over stdio (cairn mcp)', () => {
  let t: TestNode
  let ual: string
  let http: Client
  let stdio: Client
  let stderr = ''

  const call = async (client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    await client.callTool({ name, arguments: args }) as CallToolResult
  const ok = async (name: string, args: Record<string, unknown> = {}, client = http): Promise<Json> => {
    const r = await call(client, name, args)
    expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false)
    return structured(r)
  }
  const fails = async (name: string, args: Record<string, unknown>, code: string, client = http): Promise<Json> => {
    const r = await call(client, name, args)
    expect(r.isError, JSON.stringify(r.content)).toBe(true)
    expect((r.content[0] as { text: string }).text.startsWith(`${code}: `), (r.content[0] as { text: string }).text).toBe(true)
    expect((r.structuredContent as Json).error.code).toBe(code)
    return (r.structuredContent as Json).error
  }

  beforeAll(async () => {
    expect(existsSync(new URL('../../dist/cli/index.js', import.meta.url)), 'run `npm run build` first (npm test does)').toBe(true)
    await proofReady()
    t = await startTestNode({ p2p: false })
    ual = (await createCairnClient({ url: t.url, token: t.token }).publishRdf(PEOPLE, 'turtle'))[0].ual
    http = new Client({ name: 'cairn-test-http', version: '1.0.0' })
    await http.connect(new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`)))
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env: { ...process.env, CAIRN_URL: t.url } as Record<string, string>, stderr: 'pipe' })
    transport.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    stdio = new Client({ name: 'cairn-test-stdio', version: '1.0.0' })
    await stdio.connect(transport)
  })
  afterAll(async () => {
    await http?.close()
    await stdio?.close()
    await t?.close()
  })

  it('initializes over both transports with the same server info and instructions', () => {
    expect(http.getServerVersion()?.name).toBe('cairn')
    expect(stdio.getServerVersion()).toEqual(http.getServerVersion())
    expect(http.getInstructions()).toContain('get_schema')
    expect(stdio.getInstructions()).toBe(http.getInstructions())
    expect(http.getServerCapabilities()).toMatchObject({ tools: {}, resources: {} })
  })

  it('lists the same tools over both transports, read-only, each with a description and an object input schema', async () => {
    const { tools } = await http.listTools()
    expect(tools.map((x) => x.name).sort()).toEqual(['get_asset', 'get_citation', 'get_entity', 'get_provenance', 'get_schema', 'retrieve', 'search_entities', 'sparql_query', 'verify_citation'])
    for (const tool of tools) {
      expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(100)
      expect(tool.inputSchema.type).toBe('object')
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true)
    }
    expect((tools.find((x) => x.name === 'sparql_query')?.inputSchema.required)).toEqual(['query'])
    expect(await stdio.listTools()).toEqual({ tools })
  })

  it('search_entities finds entities by words, with labels and types, best first', async () => {
    const out = await ok('search_entities', { text: 'Lovelace' })
    expect(out).toEqual({ entities: [{ iri: `${E}ada`, label: 'Ada Lovelace', types: [`${S}Person`], matched: '"Ada Lovelace"' }], next: null, truncated: false })
    const page = await ok('search_entities', { text: 'London', limit: 1 })
    expect(page.entities).toHaveLength(1)
    expect(typeof page.next).toBe('string')
    const rest = await ok('search_entities', { text: 'London', after: page.next })
    expect(rest.entities.map((e: Json) => e.iri)).not.toContain(page.entities[0].iri)
  })

  it('get_entity gives outgoing and incoming facts, each with a citation that verifies', async () => {
    const out = await ok('get_entity', { iri: `${E}london` })
    expect(out.label).toBe('London')
    expect(out.types).toEqual([`${S}Place`])
    expect(out.outgoing.map((f: Json) => f.predicate)).toContain(`<${S}name>`)
    expect(out.incoming.map((f: Json) => f.subject).sort()).toEqual([`<${E}ada>`, `<${E}engine>`])
    expect(out.next).toBeNull()
    for (const fact of [...out.outgoing, ...out.incoming]) {
      expect(fact.citation.ual).toBe(ual)
      expect(fact.citation.triple).toBe(`${fact.subject} ${fact.predicate} ${fact.object} .`)
      expect(verifyCitation(fact.citation as Citation)).toMatchObject({ ok: true })
    }
  })

  it('retrieve answers a question with cited facts and a context block', async () => {
    const out = await ok('retrieve', { question: 'Where was Ada Lovelace born?', maxFacts: 5 })
    expect(out.facts.length).toBeGreaterThan(0)
    expect(out.facts.length).toBeLessThanOrEqual(5)
    expect(out.context).toContain('[1]')
    expect(out.facts.some((f: Json) => f.citation.triple === `<${E}ada> <${S}birthPlace> <${E}london> .`)).toBe(true)
    for (const f of out.facts) expect(verifyCitation(f.citation as Citation).ok).toBe(true)
    await fails('retrieve', {}, 'CAIRN_API_BAD_REQUEST')
  })

  it('get_asset reads an asset as RDF with its version metadata, paged', async () => {
    const all = await ok('get_asset', { ual })
    expect(all.version).toMatchObject({ version: 1, isCurrent: true, tripleCount: 16 })
    expect(all.returned).toBe(16)
    expect(all.nextOffset).toBeNull()
    expect(await parseRdf(all.content, { format: 'ntriples' })).toHaveLength(16)
    const page = await ok('get_asset', { ual, limit: 5, offset: 5, format: 'nquads' })
    expect(page).toMatchObject({ offset: 5, returned: 5, nextOffset: 10, truncated: false })
    const quads = await parseRdf(page.content, { format: 'nquads' })
    expect(new Set(quads.map((q) => q.graph.value))).toEqual(new Set([`${ual}/v1`]))
    const jsonld = await ok('get_asset', { ual, format: 'jsonld' })
    expect(await parseRdf(jsonld.content, { format: 'jsonld' })).toHaveLength(16)
    await fails('get_asset', { ual, version: 2 }, 'CAIRN_ASSET_VERSION_NOT_FOUND')
    await fails('get_asset', { ual: 'did:cairn:local/nope' }, 'CAIRN_ASSET_BAD_UAL')
  })

  it('sparql_query runs read-only queries, terms in N-Triples notation; UPDATE, SERVICE and syntax errors are CAIRN errors', async () => {
    const select = await ok('sparql_query', { query: `SELECT ?name WHERE { ?p a <${S}Person> ; <${S}name> ?name } ORDER BY ?name` })
    expect(select).toEqual({ form: 'SELECT', vars: ['name'], rows: [{ name: '"Ada Lovelace"' }, { name: '"Charles Babbage"@en' }], rowCount: 2, truncated: false })
    expect(await ok('sparql_query', { query: `ASK { <${E}ada> <${S}knows> <${E}charles> }` })).toEqual({ form: 'ASK', boolean: true, truncated: false })
    const graph = await ok('sparql_query', { query: `CONSTRUCT { ?s <${S}name> ?n } WHERE { ?s <${S}name> ?n }` })
    expect(graph.form).toBe('CONSTRUCT')
    expect(await parseRdf(graph.triples.join('\n'), { format: 'ntriples' })).toHaveLength(4)
    await fails('sparql_query', { query: 'INSERT DATA { <urn:a> <urn:b> <urn:c> }' }, 'CAIRN_SPARQL_UPDATE_REFUSED')
    await fails('sparql_query', { query: 'SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }' }, 'CAIRN_SPARQL_SERVICE_REFUSED')
    const syntax = await fails('sparql_query', { query: 'SELECT WHERE {' }, 'CAIRN_SPARQL_SYNTAX')
    expect(syntax.details).toMatchObject({ line: 1 })
  })

  it('get_schema lists classes and predicates in use with counts, examples and object kinds', async () => {
    const schema = await ok('get_schema')
    expect(schema.classes).toEqual(expect.arrayContaining([
      { class: `${S}Person`, instances: 2, examples: expect.arrayContaining([`${E}ada`, `${E}charles`]) },
      { class: `${S}Place`, instances: 1, examples: [`${E}london`] }
    ]))
    const name = schema.predicates.find((p: Json) => p.predicate === `${S}name`)
    expect(name).toMatchObject({ triples: 4, subjects: 4 })
    expect(name.objects).toEqual(expect.arrayContaining([{ kind: 'literal', datatype: 'http://www.w3.org/2001/XMLSchema#string', count: 3 }]))
    expect(name.subjectClasses.map((c: Json) => c.class)).toContain(`${S}Person`)
    const birthPlace = schema.predicates.find((p: Json) => p.predicate === `${S}birthPlace`)
    expect(birthPlace).toMatchObject({ triples: 1, objects: [{ kind: 'iri', count: 1 }], examples: [`<${E}london>`], objectClasses: [{ class: `${S}Place`, count: 1 }] })
    const address = schema.predicates.find((p: Json) => p.predicate === `${S}address`)
    expect(address.objects).toEqual([{ kind: 'blank node', count: 1 }])
    expect(schema.prefixes.schema).toBe(S)
    expect(schema.provenance.graph).toBe('urn:cairn:provenance')
    expect(schema.truncated).toBe(false)
    // The example provenance query is valid SPARQL that runs.
    expect((await ok('sparql_query', { query: schema.provenance.example })).rowCount).toBeGreaterThan(0)
  })

  it('verify_citation checks a citation offline and reports where it fails', async () => {
    const { citation } = await ok('get_citation', { ual, subject: `${E}ada`, predicate: `${S}name`, object: '"Ada Lovelace"' })
    expect(await ok('verify_citation', { citation })).toMatchObject({ ok: true, ual, version: 1, asset: { held: true, currentVersion: 1, current: true } })
    expect(await ok('verify_citation', { citation: JSON.stringify(citation) })).toMatchObject({ ok: true })
    const forged = await ok('verify_citation', { citation: { ...citation, triple: citation.triple.replace('Ada', 'Eve'), canonical: citation.canonical.replace('Ada', 'Eve') } })
    expect(forged).toMatchObject({ ok: false, code: 'CAIRN_PROOF_INVALID', checks: { leafHash: false } })
    expect((await ok('verify_citation', { citation: { ual } })).ok).toBe(false)
    await fails('verify_citation', { citation: 'not json' }, 'CAIRN_PROOF_MALFORMED')
  })

  it('get_provenance gives versions with roots, signatures and anchors, and re-verifies on request', async () => {
    const out = await ok('get_provenance', { ual, verify: true })
    expect(out).toMatchObject({ ual, publisher: t.node.components.nodeSigner.address, currentVersion: 1, truncated: false })
    expect(out.publisherIri).toBe(`did:cairn:local/${out.publisher}`)
    expect(out.versions).toHaveLength(1)
    expect(out.versions[0]).toMatchObject({ version: 1, previousRoot: null, receipts: [], anchor: { type: 'cairn-ledger/1' } })
    expect(out.verification).toMatchObject({ ok: true, ual })
    await fails('get_provenance', { ual: ual.replace(/[0-9a-f]{40}$/, '0'.repeat(40)) }, 'CAIRN_ASSET_NOT_FOUND')
  })

  it('tool errors are isError results with CAIRN codes (bad arguments, unknown tool, bad cursor)', async () => {
    const bad = await fails('get_entity', { iri: 5 }, 'CAIRN_API_BAD_REQUEST')
    expect(bad.details.issues[0].path).toBe('iri')
    await fails('search_entities', { text: 'x', limit: 1000 }, 'CAIRN_API_BAD_REQUEST')
    await fails('get_entity', { iri: `${E}ada`, after: 'garbage' }, 'CAIRN_API_BAD_REQUEST')
    await fails('publish', { content: '<urn:a> <urn:b> <urn:c> .' }, 'CAIRN_API_NOT_FOUND')
    await fails('no_such_tool', {}, 'CAIRN_API_NOT_FOUND', stdio)
  })

  it('the same triple has byte-identical citations from REST, GraphQL and MCP (HTTP, stdio; get_citation, get_entity, retrieve)', async () => {
    const triple = { subject: `${E}charles`, predicate: `${S}name`, object: '"Charles Babbage"@en' }
    const rest = await (await fetch(`${t.url}/assets/${encodeURIComponent(ual)}/proof?${new URLSearchParams(triple).toString()}`)).text()
    const viaHttp = JSON.stringify((await ok('get_citation', { ual, ...triple })).citation)
    const viaStdio = JSON.stringify((await ok('get_citation', { ual, ...triple }, stdio)).citation)
    const entity = (await ok('get_entity', { iri: triple.subject })).outgoing.find((f: Json) => f.predicate === `<${S}name>`)
    const retrieved = (await ok('retrieve', { entities: [triple.subject], maxFacts: 50 })).facts.find((f: Json) => f.citation.triple.includes('Babbage'))
    expect(viaHttp).toBe(rest)
    expect(viaStdio).toBe(rest)
    expect(JSON.stringify(entity.citation)).toBe(rest)
    expect(JSON.stringify(retrieved.citation)).toBe(rest)
    const gql = await graphql(t.url, `query ($iri: String!, $p: String!) { entity(iri: $iri) { facts(predicate: $p) { nodes { citation { json } } } } }`, { iri: triple.subject, p: triple.predicate })
    expect(gql.errors).toBeUndefined()
    expect(gql.data.entity.facts.nodes[0].citation.json).toBe(rest)
  })

  it('every tool answers the same over stdio as over HTTP', async () => {
    const { citation } = await ok('get_citation', { ual, subject: `${E}ada`, predicate: `${S}knows`, object: `${E}charles` })
    const calls: Array<[string, Record<string, unknown>]> = [
      ['search_entities', { text: 'London' }],
      ['get_entity', { iri: `${E}ada`, limit: 3 }],
      ['get_citation', { ual, subject: `${E}ada`, predicate: `${S}knows`, object: `${E}charles` }],
      ['get_asset', { ual, format: 'turtle' }],
      ['sparql_query', { query: 'SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5' }],
      ['get_schema', {}],
      ['verify_citation', { citation }],
      ['get_provenance', { ual }],
      ['retrieve', { question: 'Who did Ada Lovelace know?', maxFacts: 3 }],
      ['sparql_query', { query: 'DELETE WHERE { ?s ?p ?o }' }],
      ['get_entity', {}]
    ]
    for (const [name, args] of calls) {
      const [a, b] = await Promise.all([call(http, name, args), call(stdio, name, args)])
      if (name === 'retrieve') {
        // Scores may move with the clock (recency); the facts and their citations may not.
        const facts = (r: CallToolResult): unknown => (r.structuredContent as Json).facts.map((f: Json) => f.citation)
        expect(facts(b), name).toEqual(facts(a))
      } else {
        expect(b, name).toEqual(a)
      }
    }
  })

  it('lists assets as resources and reads them as N-Quads or JSON-LD over both transports', async () => {
    const { resources } = await http.listResources()
    expect(resources).toHaveLength(1)
    expect(resources[0]).toMatchObject({ uri: `cairn://asset/${encodeURIComponent(ual)}`, name: ual, mimeType: 'application/n-quads' })
    expect(await stdio.listResources()).toEqual({ resources })
    const read = await http.readResource({ uri: resources[0].uri })
    const content = read.contents[0] as { text: string, mimeType: string, _meta: Json }
    expect(content._meta).toMatchObject({ ual, version: 1, truncated: false })
    const rest = await (await fetch(`${t.url}/assets/${encodeURIComponent(ual)}?format=nquads`)).text()
    expect(content.text).toBe(rest)
    expect(await stdio.readResource({ uri: resources[0].uri })).toEqual(read)
    const jsonld = await http.readResource({ uri: `${resources[0].uri}?format=jsonld` })
    expect(await parseRdf((jsonld.contents[0] as { text: string }).text, { format: 'jsonld' })).toHaveLength(16)
    const templates = await http.listResourceTemplates()
    expect(templates.resourceTemplates[0].uriTemplate).toBe('cairn://asset/{ual}{?format}')
    await expect(http.readResource({ uri: `cairn://asset/${encodeURIComponent(ual.replace(/[0-9a-f]{40}$/, '0'.repeat(40)))}` })).rejects.toThrow(/CAIRN_ASSET_NOT_FOUND/)
  })

  it('signs /mcp answers with the node key: the signature verifies, an altered body fails', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'get_citation', arguments: { ual, subject: `${E}ada`, predicate: `${S}name`, object: '"Ada Lovelace"' } } })
    const res = await fetch(`${t.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' }, body })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    const text = await res.text()
    const signature = res.headers.get('cairn-signature')
    expect(signature).not.toBeNull()
    const request = { method: 'POST', pathAndQuery: '/mcp', body: new TextEncoder().encode(body) }
    const check = verifyResponse(signature as string, request, new TextEncoder().encode(text), t.node.components.nodeSigner.address)
    expect(check).toMatchObject({ ok: true, checks: { signature: true, request: true, body: true } })
    const answer = JSON.parse(text) as Json
    expect(answer.result.structuredContent.citation.ual).toBe(ual)
    const altered = text.replace('Ada Lovelace', 'Eve Lovelace')
    expect(altered).not.toBe(text)
    expect(verifyResponse(signature as string, request, new TextEncoder().encode(altered)).checks).toMatchObject({ signature: true, request: true, body: false })
    expect(verifyResponse(signature as string, { ...request, body: new TextEncoder().encode(body.replace('7', '8')) }, new TextEncoder().encode(text)).ok).toBe(false)
  })

  it('the stdio relay wrote nothing unexpected to stderr', () => {
    expect(stderr).toBe('')
  })
})
