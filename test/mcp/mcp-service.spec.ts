import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keysReady, signerFromSeed } from '../../src/asset/index.js'
import { createMcpService } from '../../src/mcp/index.js'
import type { McpRequestContext, McpService, McpServiceComponents, McpServiceInit } from '../../src/mcp/index.js'
import { jsonBytes } from '../../src/mcp/format.js'
import type { Citation } from '../../src/proof/index.js'
import type { ContributionLedger, RetrieveContext } from '../../src/rag/index.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const E = 'https://ex.org/'
const S = 'https://schema.org/'
/** One hub entity with many facts each way, so small byte caps cut every list. */
const HUB = [
  `<${E}hub> <${S}name> "Hub" .`,
  ...Array.from({ length: 30 }, (_, i) => `<${E}hub> <${S}knows> <${E}p${i}> .`),
  ...Array.from({ length: 12 }, (_, i) => `<${E}q${i}> <${S}knows> <${E}hub> .`)
].join('\n') + '\n'
const ROWS = Array.from({ length: 40 }, (_, i) => `<${E}r${i}> <${S}name> "Row number ${i}" .`).join('\n') + '\n'

describe('MCP service in process (SDK client over an in-memory transport, real node services)', () => {
  let t: TestNode
  let hub: string
  const ctx: McpRequestContext = { requestHash: '0x' + 'ab'.repeat(32), authorized: false }

  const base = (): McpServiceComponents => {
    const c = t.node.components
    return { store: c.store, assets: c.assets, sparql: c.sparql, logger: pino({ level: 'silent' }), retriever: c.retriever, contributions: c.contributions }
  }
  const connect = async (service: McpService, context = ctx): Promise<Client> => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
    await (await service.createServer(context)).connect(serverSide)
    const client = new Client({ name: 'test', version: '1' })
    await client.connect(clientSide)
    return client
  }
  const serviceWith = (init: Partial<McpServiceInit> = {}, components: Partial<McpServiceComponents> = {}): McpService =>
    createMcpService({ network: 'local', ...init }, { ...base(), ...components })
  const call = async (client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    await client.callTool({ name, arguments: args }) as CallToolResult
  const ok = async (client: Client, name: string, args: Record<string, unknown> = {}): Promise<Json> => {
    const r = await call(client, name, args)
    expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false)
    return r.structuredContent as Json
  }
  const errorCode = async (client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> => {
    const r = await call(client, name, args)
    expect(r.isError).toBe(true)
    return (r.structuredContent as Json).error.code
  }

  beforeAll(async () => {
    await keysReady()
    t = await startTestNode({ p2p: false })
    const publish = async (body: string, type = 'application/n-triples'): Promise<Json[]> => {
      const res = await fetch(`${t.url}/assets`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${t.token}` }, body })
      expect(res.status).toBe(201)
      return ((await res.json()) as Json).assets
    }
    hub = (await publish(HUB))[0].ual
    await publish(ROWS)
    // Enough assets for two resources/list pages (100 per page).
    await publish(Array.from({ length: 101 }, (_, i) => `<${E}g${i}> { <${E}s${i}> <${S}name> "Graph ${i}" . }`).join('\n'), 'application/trig')
  })
  afterAll(async () => { await t?.close() })

  it('bounds get_entity by bytes and pages through every fact exactly once', async () => {
    const client = await connect(serviceWith({ maxResultBytes: 8192 }))
    const seen: string[] = []
    let after: string | undefined
    let pages = 0
    do {
      const r = await call(client, 'get_entity', { iri: `${E}hub`, limit: 100, ...(after === undefined ? {} : { after }) })
      const page = r.structuredContent as Json
      expect(jsonBytes(page)).toBeLessThanOrEqual(8192)
      seen.push(...[...page.outgoing, ...page.incoming].map((f: Json) => f.citation.triple))
      if (page.next !== null) expect(page.truncated).toBe(true)
      after = page.next ?? undefined
      pages++
    } while (after !== undefined && pages < 50)
    expect(pages).toBeGreaterThan(2)
    expect(seen).toHaveLength(43)
    expect(new Set(seen).size).toBe(43)
  })

  it('pages get_entity by `limit` per direction without a byte cut', async () => {
    const client = await connect(serviceWith())
    const first = await ok(client, 'get_entity', { iri: `${E}hub`, limit: 10 })
    expect(first.outgoing).toHaveLength(10)
    expect(first.incoming).toHaveLength(10)
    expect(first.truncated).toBe(false)
    const second = await ok(client, 'get_entity', { iri: `${E}hub`, limit: 10, after: first.next })
    expect(second.outgoing).toHaveLength(10)
    expect(second.incoming).toHaveLength(2)
    const third = await ok(client, 'get_entity', { iri: `${E}hub`, limit: 10, after: second.next })
    expect(third.outgoing).toHaveLength(10)
    expect(third.incoming).toHaveLength(0)
    const fourth = await ok(client, 'get_entity', { iri: `${E}hub`, limit: 10, after: third.next })
    expect(fourth.outgoing).toHaveLength(1) // 31 outgoing: 30 knows + the name
    expect(fourth.next).toBeNull()
  })

  it('bounds get_asset by bytes, with nextOffset continuing where the cut fell', async () => {
    const client = await connect(serviceWith({ maxResultBytes: 4096 }))
    const lines: string[] = []
    let offset: number | null = 0
    while (offset !== null) {
      const page: Json = await ok(client, 'get_asset', { ual: hub, offset, limit: 1000 })
      expect(jsonBytes(page)).toBeLessThanOrEqual(4096)
      expect(page.offset).toBe(offset)
      lines.push(...page.content.split('\n').filter(Boolean))
      if (page.nextOffset !== null) expect(page.returned).toBeGreaterThan(0)
      offset = page.nextOffset
    }
    expect(lines).toHaveLength(43)
  })

  it('caps sparql_query rows and says how to page', async () => {
    const client = await connect(serviceWith({ sparqlMaxRows: 3 }))
    const out = await ok(client, 'sparql_query', { query: `SELECT ?s WHERE { ?s <${S}name> ?n }` })
    expect(out.rows).toHaveLength(3)
    expect(out.truncated).toBe(true)
    expect(out.note).toContain('LIMIT/OFFSET')
    const timeout = await call(client, 'sparql_query', { query: 'SELECT * WHERE { ?s ?p ?o }', timeoutMs: 10_000 })
    expect((timeout.structuredContent as Json).error.code).toBe('CAIRN_API_BAD_REQUEST')
  })

  it('pages search_entities with an opaque cursor', async () => {
    const client = await connect(serviceWith())
    const iris: string[] = []
    let after: string | undefined
    do {
      const page: Json = await ok(client, 'search_entities', { text: 'Row number', limit: 15, ...(after === undefined ? {} : { after }) })
      iris.push(...page.entities.map((e: Json) => e.iri))
      after = page.next ?? undefined
    } while (after !== undefined)
    expect(iris).toHaveLength(40)
    expect(new Set(iris).size).toBe(40)
  })

  it('records every citation it serves in the contribution ledger as interface mcp, with the request hash', async () => {
    const recorded: Array<{ citations: Array<Pick<Citation, 'ual'>>, context: RetrieveContext }> = []
    const contributions: ContributionLedger = {
      record: (citations, context) => { recorded.push({ citations, context }) },
      summary: () => ({ publisher: null, from: null, to: null, publishers: [], total: 0, truncated: false })
    }
    const client = await connect(serviceWith({}, { contributions }))
    await ok(client, 'get_entity', { iri: `${E}hub`, limit: 2 })
    await ok(client, 'get_citation', { ual: hub, subject: `${E}hub`, predicate: `${S}name`, object: '"Hub"' })
    await ok(client, 'sparql_query', { query: 'ASK { ?s ?p ?o }' })
    expect(recorded.map((r) => r.citations.length)).toEqual([4, 1])
    for (const r of recorded) expect(r.context).toEqual({ interface: 'mcp', requestHash: ctx.requestHash })
    // With the node's real ledger, the counts show up in its summary.
    const before = t.node.components.contributions.summary({}).total
    await ok(await connect(serviceWith()), 'get_citation', { ual: hub, subject: `${E}hub`, predicate: `${S}name`, object: '"Hub"' })
    expect(t.node.components.contributions.summary({}).total).toBe(before + 1)
  })

  it('offers publish only when enabled, and only with the API token; it signs with the MCP publisher key', async () => {
    const readOnly = await connect(serviceWith())
    expect((await readOnly.listTools()).tools.map((x) => x.name)).not.toContain('publish')
    expect(await errorCode(readOnly, 'publish', { content: `<${E}x> <${S}name> "X" .` })).toBe('CAIRN_API_NOT_FOUND')

    const enabled = serviceWith({ publish: true })
    expect(enabled.toolNames).toContain('publish')
    const anonymous = await connect(enabled)
    const publishTool = (await anonymous.listTools()).tools.find((x) => x.name === 'publish')
    expect(publishTool?.annotations?.readOnlyHint).toBe(false)
    expect(await errorCode(anonymous, 'publish', { content: `<${E}x> <${S}name> "X" .` })).toBe('CAIRN_API_UNAUTHORIZED')

    const withToken = await connect(enabled, { ...ctx, authorized: true })
    const byNode = await ok(withToken, 'publish', { content: `<${E}x> <${S}name> "X" .`, format: 'ntriples' })
    expect(byNode.assets[0]).toMatchObject({ status: 'created', publisher: t.node.components.nodeSigner.address })
    expect(await errorCode(withToken, 'publish', { content: 'not turtle <', format: 'turtle' })).toBe('CAIRN_RDF_SYNTAX')

    const agentKey = signerFromSeed(new Uint8Array(32).fill(7), 'ed25519')
    const signed = await connect(serviceWith({ publish: true }, { publishSigner: agentKey }), { ...ctx, authorized: true })
    const byAgent = await ok(signed, 'publish', { content: `@prefix s: <${S}> . <${E}y> s:name "Y" .` })
    expect(byAgent.assets[0]).toMatchObject({ status: 'created', publisher: agentKey.address, version: 1 })
    expect(byAgent.assets[0].ual).toContain(`/${agentKey.address}/`)
    expect((await ok(signed, 'get_provenance', { ual: byAgent.assets[0].ual, verify: true })).verification.ok).toBe(true)
  })

  it('lists assets as resources in pages with a cursor', async () => {
    const client = await connect(serviceWith())
    const first = await client.listResources()
    expect(first.resources).toHaveLength(100)
    expect(typeof first.nextCursor).toBe('string')
    const second = await client.listResources({ cursor: first.nextCursor })
    expect(second.nextCursor).toBeUndefined()
    const all = [...first.resources, ...second.resources].map((r) => r.uri)
    expect(new Set(all).size).toBe(all.length)
    expect(all.length).toBe(t.node.components.store.stats().assets)
    await expect(client.readResource({ uri: 'https://not.an/asset' })).rejects.toThrow(/CAIRN_API_BAD_REQUEST/)
    await expect(client.readResource({ uri: 'cairn://asset/did%3Acairn%3Alocal%2Fnope' })).rejects.toThrow(/CAIRN_ASSET_BAD_UAL/)
    await expect(client.readResource({ uri: `cairn://asset/${encodeURIComponent(hub)}?format=xml` })).rejects.toThrow(/CAIRN_API_NOT_ACCEPTABLE/)
    const v1 = await client.readResource({ uri: `cairn://asset/${encodeURIComponent(`${hub}/v1`)}` })
    expect((v1.contents[0] as { text: string }).text.split('\n').filter(Boolean)).toHaveLength(43)
  })

  it('answers an unexpected failure with CAIRN_INTERNAL and a generic message, logging the cause', async () => {
    const logged: unknown[] = []
    const logger = pino({ level: 'error' }, { write: (line: string) => { logged.push(JSON.parse(line)) } })
    const store = new Proxy(t.node.components.store, {
      get: (target, prop, receiver) => prop === 'searchEntities' ? () => { throw new Error('disk on fire') } : Reflect.get(target, prop, receiver)
    })
    const client = await connect(serviceWith({}, { store, logger }))
    const r = await call(client, 'search_entities', { text: 'Hub' })
    expect(r.isError).toBe(true)
    expect((r.content[0] as { text: string }).text).toBe('CAIRN_INTERNAL: search_entities: internal error; see the node log')
    expect(JSON.stringify(r)).not.toContain('disk on fire')
    expect(JSON.stringify(logged)).toContain('disk on fire')
  })

  it('offers retrieve only with a retriever', async () => {
    const { retriever: _r, ...withoutRetriever } = base()
    const service = createMcpService({ network: 'local' }, withoutRetriever)
    expect(service.toolNames).not.toContain('retrieve')
    expect(serviceWith().toolNames).toContain('retrieve')
  })
})
