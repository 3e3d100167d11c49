/**
 * `cairn mcp`: MCP over stdio for hosts that launch a command (Claude Desktop, IDEs), relaying every JSON-RPC
 * message unchanged to a running node's Streamable HTTP endpoint and every answer back. The node does all the work,
 * so stdio and HTTP clients get the same tools and byte-identical answers, and this process opens no store (a node's
 * SQLite store has one writer: the node). Nothing but MCP messages is written to stdout.
 */
import type { Readable, Writable } from 'node:stream'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'
import { MCP_PATH } from './constants.js'

export interface StdioRelayInit {
  /** The node's API base URL, e.g. http://127.0.0.1:8900 */
  url: string
  /** Node API token, sent as a bearer token (only the `publish` tool needs it). */
  token?: string
  stdin?: Readable
  stdout?: Writable
  /** Relay problems (never written to stdout); default: stderr. */
  log?: (line: string) => void
}

/** Relay until stdin ends. Requests the node cannot answer get a JSON-RPC error naming a CAIRN_* code. */
export async function runStdioRelay (init: StdioRelayInit): Promise<void> {
  // Imported here, not at the top: see sdk.ts.
  const [{ StreamableHTTPClientTransport }, { StdioServerTransport }, { isJSONRPCRequest }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('@modelcontextprotocol/sdk/types.js')
  ])
  const base = init.url.replace(/\/+$/, '')
  const stdin = init.stdin ?? process.stdin
  const log = init.log ?? ((line: string) => { process.stderr.write(`cairn mcp: ${line}\n`) })
  const upstream = new StreamableHTTPClientTransport(new URL(`${base}${MCP_PATH}`), {
    requestInit: { headers: init.token === undefined ? {} : { authorization: `Bearer ${init.token}` } }
  })
  const downstream = new StdioServerTransport(stdin, init.stdout ?? process.stdout)

  const failed = (message: JSONRPCMessage, err: unknown): void => {
    // The transport has already reported the failure through onerror (logged below).
    const reason = err instanceof Error ? err.message : String(err)
    if (!isJSONRPCRequest(message)) return
    const unreachable = /fetch failed|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH/i.test(reason + String((err as { cause?: unknown })?.cause ?? ''))
    const code = unreachable ? 'CAIRN_NET_PEER_UNREACHABLE' : 'CAIRN_NET_PROTOCOL'
    const text = unreachable
      ? `cannot reach the node at ${base}; is it running (cairn start) and is the URL right (--node / CAIRN_URL)?`
      : `the node at ${base} refused the request: ${reason}`
    downstream.send({ jsonrpc: '2.0', id: message.id, error: { code: -32000, message: `${code}: ${text}`, data: { code } } }).catch(() => {})
  }

  await new Promise<void>((resolve) => {
    let closed = false
    const close = (): void => {
      if (closed) return
      closed = true
      upstream.close().catch(() => {}).finally(resolve)
    }
    upstream.onmessage = (message) => {
      // The node checks MCP-Protocol-Version on every request after initialize: pass on what was negotiated.
      const version = (message as { result?: { protocolVersion?: unknown } }).result?.protocolVersion
      if (typeof version === 'string') upstream.setProtocolVersion(version)
      downstream.send(message).catch((err) => { log(`stdout: ${String(err)}`) })
    }
    upstream.onerror = (err) => { log(err.message) }
    downstream.onmessage = (message) => { upstream.send(message).catch((err) => { failed(message, err) }) }
    downstream.onerror = (err) => { log(err.message) }
    downstream.onclose = close
    stdin.once('end', () => { downstream.close().catch(close) })
    stdin.once('close', () => { downstream.close().catch(close) })
    void upstream.start().then(async () => { await downstream.start() })
  })
}
