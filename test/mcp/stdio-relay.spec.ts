import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encryptKeystore, keysReady } from '../../src/asset/index.js'
import type { Keystore } from '../../src/asset/index.js'
import { runStdioRelay } from '../../src/mcp/index.js'
import { startTestNode, tempDir } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

/** The client end of a stdio pipe pair (what StdioClientTransport does over a child's stdin/stdout). */
class PipeClientTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void
  onclose?: () => void
  onerror?: (error: Error) => void
  private readonly buffer = new ReadBuffer()
  constructor (private readonly fromServer: PassThrough, private readonly toServer: PassThrough) {}
  async start (): Promise<void> {
    this.fromServer.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk)
      for (let m = this.buffer.readMessage(); m !== null; m = this.buffer.readMessage()) this.onmessage?.(m)
    })
  }

  async send (message: JSONRPCMessage): Promise<void> { this.toServer.write(serializeMessage(message)) }
  async close (): Promise<void> { this.toServer.end(); this.onclose?.() }
}

interface Relay { client: Client, done: Promise<void>, log: string[] }

async function relay (url: string, token?: string): Promise<Relay> {
  const stdin = new PassThrough()
  const stdout = new PassThrough()
  const log: string[] = []
  const done = runStdioRelay({ url, stdin, stdout, log: (line) => { log.push(line) }, ...(token === undefined ? {} : { token }) })
  const client = new Client({ name: 'relay-test', version: '1' })
  await client.connect(new PipeClientTransport(stdout, stdin))
  return { client, done, log }
}

describe('cairn mcp stdio relay (in process, pipes instead of a child process)', () => {
  let t: TestNode
  let agentKey: Keystore

  beforeAll(async () => {
    await keysReady()
    // The operator enables publish with a dedicated MCP publisher key (an unencrypted development keystore here).
    const dataDir = tempDir()
    agentKey = encryptKeystore(new Uint8Array(32).fill(9), 'ed25519', undefined)
    writeFileSync(join(dataDir, 'mcp-publisher.json'), JSON.stringify(agentKey))
    t = await startTestNode({ p2p: false, mcpPublish: true, mcpPublishKey: 'mcp-publisher.json' }, dataDir)
  })
  afterAll(async () => { await t?.close() })

  it('relays initialize, tool listing and calls to /mcp, and ends when stdin ends', async () => {
    const { client, done, log } = await relay(t.url)
    expect(client.getServerVersion()?.name).toBe('cairn')
    expect((await client.listTools()).tools.map((x) => x.name)).toContain('publish')
    const schema = await client.callTool({ name: 'get_schema', arguments: {} }) as CallToolResult
    expect(schema.isError ?? false).toBe(false)
    await client.close()
    await done
    expect(log).toEqual([])
  })

  it('forwards the API token, which the publish tool needs; publishes are signed with the MCP publisher key', async () => {
    const content = '<https://ex.org/relayed> <https://schema.org/name> "Relayed" .'
    const anonymous = await relay(t.url)
    const refused = await anonymous.client.callTool({ name: 'publish', arguments: { content, format: 'ntriples' } }) as CallToolResult
    expect((refused.structuredContent as { error: { code: string } }).error.code).toBe('CAIRN_API_UNAUTHORIZED')
    await anonymous.client.close()
    const withToken = await relay(t.url, t.token)
    const published = await withToken.client.callTool({ name: 'publish', arguments: { content, format: 'ntriples' } }) as CallToolResult
    expect(published.isError ?? false).toBe(false)
    expect((published.structuredContent as { assets: Array<{ status: string, publisher: string }> }).assets[0]).toMatchObject({ status: 'created', publisher: agentKey.address })
    await withToken.client.close()
  })

  it('answers requests with a CAIRN_NET_PEER_UNREACHABLE JSON-RPC error when the node is down', async () => {
    const stdin = new PassThrough()
    const stdout = new PassThrough()
    const log: string[] = []
    const done = runStdioRelay({ url: 'http://127.0.0.1:1', stdin, stdout, log: (line) => { log.push(line) } })
    const client = new Client({ name: 'relay-test', version: '1' })
    await expect(client.connect(new PipeClientTransport(stdout, stdin))).rejects.toThrow(/CAIRN_NET_PEER_UNREACHABLE: cannot reach the node at http:\/\/127\.0\.0\.1:1/)
    stdin.end()
    await done
    expect(log.length).toBeGreaterThan(0)
  })
})
