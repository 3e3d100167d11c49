import { createRequire } from 'node:module'
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult, ReadResourceResult, Resource, Tool } from '@modelcontextprotocol/sdk/types.js'
import { DataFactory } from 'n3'
import { z } from 'zod'
import { parseUal } from '../asset/index.js'
import { CairnError, isCairnError } from '../errors.js'
import { serializeQuads } from '../rdf/index.js'
import type { McpRequestContext, McpService, McpServiceComponents, McpServiceInit } from './index.js'
import {
  ASSET_URI_PREFIX, DEFAULT_MAX_RESULT_BYTES, DEFAULT_SPARQL_MAX_ROWS, DEFAULT_SPARQL_TIMEOUT_MS, MAX_RESOURCE_BYTES, MCP_SERVER_NAME,
  RESOURCE_PAGE_SIZE
} from './constants.js'
import { errorResult, toolResult } from './format.js'
import { createSchemaCache, summarizeSchema } from './schema-summary.js'
import { serverSdk } from './sdk.js'
import { createTools } from './tools.js'
import type { ToolDefinition } from './tools.js'

const PACKAGE_VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version

/** Told to the model at `initialize` (MCP `instructions`): how the tools fit together. */
const INSTRUCTIONS = [
  'Cairn is a verifiable knowledge graph: every fact belongs to a signed, anchored knowledge asset (a UAL), and every fact',
  'you get from get_entity, retrieve or get_citation comes with a citation that verify_citation (or anyone, offline) can check.',
  'For a question, start with retrieve; to look up something by name, search_entities then get_entity.',
  'Before writing SPARQL, call get_schema for the exact class and predicate IRIs.',
  'Quote facts with their citations; results are bounded, so follow `next` / `nextOffset` when `truncated` is true.'
].join(' ')

const RESOURCE_FORMATS = { nquads: 'application/n-quads', jsonld: 'application/ld+json' } as const

/** Tools and resources over the node's services; a fresh McpServer per request, all sharing one schema cache. */
export class DefaultMcpService implements McpService {
  private readonly tools: Map<string, ToolDefinition>
  private readonly listed: Tool[]
  private readonly components: McpServiceComponents
  private readonly version: string

  constructor (init: McpServiceInit, components: McpServiceComponents) {
    this.components = components
    this.version = init.version ?? PACKAGE_VERSION
    const schemaTimeoutMs = init.schemaTimeoutMs ?? 30_000
    const schema = createSchemaCache(async (seq) => await summarizeSchema(components.sparql, seq, schemaTimeoutMs))
    const tools = createTools({
      network: init.network,
      maxResultBytes: init.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES,
      sparqlMaxRows: init.sparqlMaxRows ?? DEFAULT_SPARQL_MAX_ROWS,
      sparqlTimeoutMs: init.sparqlTimeoutMs ?? DEFAULT_SPARQL_TIMEOUT_MS,
      publish: init.publish ?? false
    }, { ...components, schema })
    this.tools = new Map(tools.map((t) => [t.name, t]))
    // JSON Schema as the SDK itself derives it from zod (draft-7, input side: defaulted fields are optional).
    this.listed = tools.map((t) => {
      const { $schema: _ignored, ...inputSchema } = z.toJSONSchema(t.input, { target: 'draft-7', io: 'input' }) as Record<string, unknown>
      return { name: t.name, title: t.title, description: t.description, inputSchema: inputSchema as Tool['inputSchema'], annotations: { title: t.title, ...t.annotations } }
    })
  }

  get toolNames (): string[] {
    return [...this.tools.keys()]
  }

  async createServer (context: McpRequestContext): Promise<McpServer> {
    const { McpServer, CallToolRequestSchema, ListResourceTemplatesRequestSchema, ListResourcesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema } = await serverSdk()
    // The tool and resource handlers are set on the underlying server rather than through registerTool/registerResource:
    // input errors must come back as CAIRN_API_BAD_REQUEST tool errors, and resources/list must page with a cursor.
    const mcp = new McpServer({ name: MCP_SERVER_NAME, title: 'Cairn knowledge graph', version: this.version }, {
      capabilities: { tools: {}, resources: {} },
      instructions: INSTRUCTIONS
    })
    const server = mcp.server
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: this.listed }))
    server.setRequestHandler(CallToolRequestSchema, async (request) => await this.call(request.params.name, request.params.arguments, context))
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
      resourceTemplates: [{
        uriTemplate: `${ASSET_URI_PREFIX}{ual}{?format}`,
        name: 'asset',
        title: 'Knowledge asset',
        description: 'A knowledge asset by its percent-encoded UAL (add /v<N> to the UAL for a version); N-Quads in the version graph, or ?format=jsonld.',
        mimeType: RESOURCE_FORMATS.nquads
      }]
    }))
    server.setRequestHandler(ListResourcesRequestSchema, (request) => this.listResources(request.params?.cursor))
    server.setRequestHandler(ReadResourceRequestSchema, async (request) => await this.readResource(request.params.uri))
    return mcp
  }

  /** Validate, run, bound and wrap one tool call; every failure becomes an isError result with a CAIRN_* code. */
  async call (name: string, args: unknown, context: McpRequestContext): Promise<CallToolResult> {
    const tool = this.tools.get(name)
    try {
      if (tool === undefined) {
        throw new CairnError('API_NOT_FOUND', `no tool "${name}" on this node; its tools are ${[...this.tools.keys()].join(', ')}`, { details: { tool: name } })
      }
      const parsed = tool.input.safeParse(args ?? {})
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
        throw new CairnError('API_BAD_REQUEST', `${name}: invalid arguments: ${issues.map((i) => `${i.path === '' ? '(arguments)' : i.path}: ${i.message}`).join('; ')}`, { details: { issues } })
      }
      return toolResult(await tool.run(parsed.data, context))
    } catch (err) {
      if (isCairnError(err)) {
        this.components.logger.debug({ tool: name, code: err.code }, err.message)
        return errorResult(err)
      }
      this.components.logger.error({ err, tool: name }, 'MCP tool failed')
      return errorResult(new CairnError('INTERNAL', `${name}: internal error; see the node log`))
    }
  }

  private listResources (cursor: string | undefined): { resources: Resource[], nextCursor?: string } {
    const page = this.components.store.listCurrentVersions({ limit: RESOURCE_PAGE_SIZE, ...(cursor === undefined ? {} : { after: cursor }) })
    return {
      resources: page.items.map((v) => ({
        uri: assetUri(v.ual),
        name: v.ual,
        title: `${v.ual} v${v.version}`,
        description: `Knowledge asset: ${v.tripleCount} triples, version ${v.version} signed ${v.timestamp} by ${v.publisher}`,
        mimeType: RESOURCE_FORMATS.nquads
      })),
      ...(page.next === null ? {} : { nextCursor: page.next })
    }
  }

  private async readResource (uri: string): Promise<ReadResourceResult> {
    const { McpError, ErrorCode } = await serverSdk()
    try {
      if (!uri.startsWith(ASSET_URI_PREFIX)) throw new CairnError('API_BAD_REQUEST', `resources/read: ${uri} is not an asset URI; they are ${ASSET_URI_PREFIX}<percent-encoded UAL>`)
      const [path, query = ''] = uri.slice(ASSET_URI_PREFIX.length).split('?', 2)
      const format = new URLSearchParams(query).get('format') ?? 'nquads'
      if (format !== 'nquads' && format !== 'jsonld') throw new CairnError('API_NOT_ACCEPTABLE', `resources/read: format must be nquads or jsonld, got ${format}`)
      let ual: string
      try {
        ual = decodeURIComponent(path)
      } catch {
        throw new CairnError('ASSET_BAD_UAL', `resources/read: ${uri} does not hold a percent-encoded UAL`)
      }
      const parsed = parseUal(ual)
      const { version, quads } = this.components.assets.get(parsed.ual, parsed.version)
      const graph = DataFactory.namedNode(version.versionIri)
      if (format === 'jsonld') {
        const text = await serializeQuads(quads, 'jsonld')
        if (Buffer.byteLength(text) > MAX_RESOURCE_BYTES) {
          throw new CairnError('API_LIMIT', `resources/read: ${ual} is too large for JSON-LD over MCP (${MAX_RESOURCE_BYTES} bytes); read it as N-Quads or page it with get_asset`, { details: { max: MAX_RESOURCE_BYTES } })
        }
        return { contents: [{ uri, mimeType: RESOURCE_FORMATS.jsonld, text }] }
      }
      const text = await serializeQuads(quads.map((q) => DataFactory.quad(q.subject, q.predicate, q.object, graph)), 'nquads')
      const cut = cutLines(text, MAX_RESOURCE_BYTES)
      return { contents: [{ uri, mimeType: RESOURCE_FORMATS.nquads, text: cut.text, _meta: { ual: version.ual, version: version.version, root: version.root, truncated: cut.truncated } }] }
    } catch (err) {
      if (!isCairnError(err)) {
        this.components.logger.error({ err, uri }, 'MCP resource read failed')
        throw new McpError(ErrorCode.InternalError, 'CAIRN_INTERNAL: internal error; see the node log', { code: 'CAIRN_INTERNAL' })
      }
      // -32002 is MCP's "resource not found" (spec, server/resources#error-handling).
      const rpc = err.key === 'ASSET_NOT_FOUND' || err.key === 'ASSET_VERSION_NOT_FOUND' ? -32002 : ErrorCode.InvalidParams
      throw new McpError(rpc, `${err.code}: ${err.message}`, { code: err.code, ...(err.details === undefined ? {} : { details: err.details }) })
    }
  }
}

export function assetUri (ual: string): string {
  return ASSET_URI_PREFIX + encodeURIComponent(ual)
}

/** The longest prefix of whole lines within maxBytes. */
function cutLines (text: string, maxBytes: number): { text: string, truncated: boolean } {
  if (Buffer.byteLength(text) <= maxBytes) return { text, truncated: false }
  const bytes = Buffer.from(text, 'utf8').subarray(0, maxBytes)
  const end = bytes.lastIndexOf(0x0a)
  return { text: bytes.subarray(0, end + 1).toString('utf8'), truncated: true }
}
