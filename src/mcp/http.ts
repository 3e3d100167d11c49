/**
 * Streamable HTTP at /mcp, stateless (MCP spec, basic/transports#streamable-http): each POST carries JSON-RPC
 * messages and gets one JSON answer from a fresh server and transport, as the SDK's stateless examples do. We use
 * the SDK's web-standard transport and send its answer with `res.send`, so the API's response signer covers MCP
 * answers exactly as it covers /sparql (`Cairn-Signature`). No sessions and no server-initiated stream: GET and
 * DELETE answer 405, which MCP clients take as "no SSE stream here".
 */
import express, { Router } from 'express'
import type { Request, RequestHandler } from 'express'
import { requestHash } from '../proof/index.js'
import { MCP_PATH } from './constants.js'
import type { McpService } from './index.js'
import { serverSdk } from './sdk.js'

export interface McpRouterComponents {
  mcp: McpService
  bodyLimit: number
  /** Whether a request carries the node API token (the `publish` tool needs it). */
  authorized: (req: Request) => boolean
}

/** Headers the transport reads; everything else of the HTTP request stays out of the MCP layer. */
const FORWARDED = ['content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id']

export function createMcpRouter ({ mcp, bodyLimit, authorized }: McpRouterComponents): Router {
  const router = Router()
  router.use(MCP_PATH, methodNotAllowed)
  router.post(MCP_PATH, express.raw({ type: () => true, limit: bodyLimit }), async (req, res) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    // The response signer hashes the exact request bytes (same field the API's body parsers fill).
    ;(req as Request & { rawBody?: Buffer }).rawBody = raw
    const { WebStandardStreamableHTTPServerTransport } = await serverSdk()
    const server = await mcp.createServer({ requestHash: requestHash(req.method, req.originalUrl, new Uint8Array(raw)), authorized: authorized(req) })
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: bodyLimit })
    try {
      await server.connect(transport)
      const headers = new Headers()
      for (const name of FORWARDED) {
        const value = req.headers[name]
        if (typeof value === 'string') headers.set(name, value)
      }
      // Answers are always JSON here (never SSE), so a client that accepts JSON is served even if it does not list
      // text/event-stream, as the transport otherwise requires (curl, plain fetch, OpenAPI tools).
      headers.set('accept', req.accepts('application/json') === false ? req.headers.accept ?? '' : 'application/json, text/event-stream')
      const response = await transport.handleRequest(new Request(`http://localhost${req.originalUrl}`, { method: 'POST', headers, body: new Uint8Array(raw) }))
      const body = await response.text()
      res.status(response.status)
      response.headers.forEach((value, name) => { if (name !== 'content-length') res.set(name, value) })
      if (body === '') res.end()
      else res.send(body)
    } finally {
      await transport.close()
      await server.close()
    }
  })
  return router
}

const methodNotAllowed: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'DELETE') {
    next()
    return
  }
  res.status(405).set('Allow', 'POST').json({ jsonrpc: '2.0', error: { code: -32000, message: `Method not allowed: ${MCP_PATH} is stateless Streamable HTTP; POST JSON-RPC messages (no SSE stream, no sessions)` }, id: null })
}
