/**
 * MCP (Model Context Protocol, official `@modelcontextprotocol/sdk`): the node's knowledge for AI agents as tools
 * (`search_entities`, `get_entity`, `retrieve`, `get_citation`, `get_asset`, `sparql_query`, `get_schema`,
 * `verify_citation`, `get_provenance`, and `publish` only when the operator enables it) and every asset as a
 * resource `cairn://asset/<encoded UAL>`. Guide: docs/mcp.md.
 *
 * Two transports, one implementation: Streamable HTTP at `/mcp` on the node's API (stateless: a fresh server per
 * request, JSON answers signed with `Cairn-Signature` like /sparql), and stdio through `cairn mcp`, which relays
 * every JSON-RPC message to a running node's `/mcp` — so both give byte-identical answers and the stdio process
 * holds no store of its own.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const mcp = createMcpService({ network: 'local' }, { store, assets, sparql, logger })
 * app.use(createMcpRouter({ mcp, bodyLimit: 1e6, authorized: () => false }))
 * // or, in-process: const server = await mcp.createServer({ requestHash, authorized: false }); await server.connect(transport)
 * ```
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { Logger } from 'pino'
import type { AssetService, Signer } from '../asset/index.js'
import type { Network } from '../network/index.js'
import type { ContributionLedger, Retriever } from '../rag/index.js'
import type { SparqlEngine } from '../sparql/index.js'
import type { AssetStore } from '../store/index.js'
import { DefaultMcpService } from './mcp-service.js'
import type { ToolContext } from './tools.js'

export { createMcpRouter } from './http.js'
export type { McpRouterComponents } from './http.js'
export { runStdioRelay } from './stdio-relay.js'
export type { StdioRelayInit } from './stdio-relay.js'
export { ASSET_URI_PREFIX, MCP_PATH, DEFAULT_MAX_RESULT_BYTES, DEFAULT_SPARQL_MAX_ROWS, DEFAULT_SPARQL_TIMEOUT_MS } from './constants.js'
export type { ToolContext } from './tools.js'

/** What one MCP request knows about the HTTP request that carried it. */
export type McpRequestContext = ToolContext

export interface McpService {
  /** Names of the tools offered (publish only when enabled; retrieve only with a retriever). */
  readonly toolNames: readonly string[]
  /** A fresh MCP server whose tools see `context` (one per HTTP request in stateless Streamable HTTP). */
  createServer (context: McpRequestContext): Promise<McpServer>
}

export interface McpServiceInit {
  /** Network name of this node (UALs minted by `publish`). */
  network: string
  /** Bytes of JSON per tool result before it is cut with `truncated: true` (default 64 KiB). */
  maxResultBytes?: number
  /** Rows per `sparql_query` result (default 200). */
  sparqlMaxRows?: number
  /** `sparql_query` timeout in ms (default 5 s; the engine's own timeout still applies). */
  sparqlTimeoutMs?: number
  /** Timeout of each `get_schema` aggregate query in ms (default 30 s). */
  schemaTimeoutMs?: number
  /** Offer the `publish` tool (default false: MCP is read-only). Calls also need the node API token. */
  publish?: boolean
  /** serverInfo.version (default: the package version). */
  version?: string
}

export interface McpServiceComponents {
  store: AssetStore
  assets: AssetService
  sparql: SparqlEngine
  logger: Logger
  /** Absent: no `retrieve` tool. */
  retriever?: Retriever
  /** Where citations served through MCP are counted (interface 'mcp'). */
  contributions?: ContributionLedger
  /** On networked nodes, assets this node lacks are fetched from their holders. */
  network?: Network
  /** Signs what `publish` publishes; absent: the node's own key. */
  publishSigner?: Signer
}

export function createMcpService (init: McpServiceInit, components: McpServiceComponents): McpService {
  return new DefaultMcpService(init, components)
}
