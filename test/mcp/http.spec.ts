import { once } from 'node:events'
import { rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createCairnNode } from '../../src/node.js'
import { startTestNode, tempDir } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } } }
const JSON_AND_SSE = 'application/json, text/event-stream'

describe('POST /mcp: stateless Streamable HTTP on the node API (real node, real HTTP)', () => {
  let t: TestNode
  const post = async (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    await fetch(`${t.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: JSON_AND_SSE, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) })

  beforeAll(async () => { t = await startTestNode({ p2p: false, bodyLimit: 4096 }) })
  afterAll(async () => { await t?.close() })

  it('answers initialize with one JSON body (never SSE), no session id, signed', async () => {
    const res = await post(INIT)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(res.headers.get('mcp-session-id')).toBeNull()
    expect(res.headers.get('cairn-signature')).toMatch(/^node=/)
    const body = await res.json() as { id: number, result: { serverInfo: { name: string }, protocolVersion: string } }
    expect(body.id).toBe(1)
    expect(body.result.serverInfo.name).toBe('cairn')
    expect(body.result.protocolVersion).toBe('2025-06-18')
  })

  it('serves clients that accept JSON without listing text/event-stream (curl, fetch), and refuses others with 406', async () => {
    for (const accept of ['*/*', 'application/json', 'application/*']) expect((await post(INIT, { accept })).status, accept).toBe(200)
    expect((await fetch(`${t.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(INIT) })).status).toBe(200)
    expect((await post(INIT, { accept: 'text/html' })).status).toBe(406)
  })

  it('answers a batch in one JSON array, notifications with 202 and no body', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 'a', method: 'tools/list' },
      { jsonrpc: '2.0', id: 'b', method: 'tools/call', params: { name: 'sparql_query', arguments: { query: 'ASK { ?s ?p ?o }' } } }
    ]
    const res = await post(batch, { 'mcp-protocol-version': '2025-06-18' })
    expect(res.status).toBe(200)
    const answers = await res.json() as Array<{ id: string, result: Record<string, unknown> }>
    expect(answers.map((a) => a.id).sort()).toEqual(['a', 'b'])
    expect(answers.find((a) => a.id === 'b')?.result.structuredContent).toEqual({ form: 'ASK', boolean: false, truncated: false })
    const note = await post({ jsonrpc: '2.0', method: 'notifications/initialized' })
    expect(note.status).toBe(202)
    expect(await note.text()).toBe('')
  })

  it('refuses what is not JSON-RPC: bad JSON 400, other content types 415, unknown protocol versions 400, bodies over bodyLimit 413', async () => {
    const bad = await post('{not json')
    expect(bad.status).toBe(400)
    expect((await bad.json() as { error: { code: number } }).error.code).toBe(-32700)
    expect((await post(INIT, { 'content-type': 'text/plain' })).status).toBe(415)
    expect((await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-protocol-version': '1999-01-01' })).status).toBe(400)
    const big = await post({ ...INIT, params: { ...INIT.params, padding: 'x'.repeat(5000) } })
    expect(big.status).toBe(413)
    expect(big.headers.get('content-type')).toContain('application/problem+json')
    expect((await big.json() as { code: string }).code).toBe('CAIRN_API_PAYLOAD_TOO_LARGE')
  })

  it('GET and DELETE answer 405 (no SSE stream, no sessions), which MCP clients accept', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${t.url}/mcp`, { method, headers: { accept: 'text/event-stream' } })
      expect(res.status, method).toBe(405)
      expect(res.headers.get('allow')).toBe('POST')
    }
    expect((await fetch(`${t.url}/mcp`, { method: 'PUT' })).status).toBe(404)
  })

  it('is absent when the operator turns MCP off (mcp: false)', async () => {
    // The app is built at construction: no need to start the store, engines and workers to see its routes.
    const dataDir = tempDir()
    const node = await createCairnNode({ config: loadConfig({ dataDir, port: 0, logLevel: 'silent', p2p: false, mcp: false }, {}), env: {}, start: false })
    expect(node.components.mcp).toBeUndefined()
    const server = node.components.api.app.listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: JSON_AND_SSE }, body: JSON.stringify(INIT) })
      expect(res.status).toBe(404)
      expect((await res.json() as { code: string }).code).toBe('CAIRN_API_NOT_FOUND')
    } finally {
      server.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
