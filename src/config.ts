import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { CairnError } from './errors.js'

/**
 * The one configuration schema. Precedence: flags > environment (`CAIRN_*`) > `<dataDir>/config.json` > defaults.
 * Every field is documented in docs/operations.md.
 */
export const ConfigSchema = z.object({
  /** Where the SQLite store, keys, token and config live. */
  dataDir: z.string().default('.cairn'),
  /** Network name: part of every UAL this node mints and accepts. */
  network: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/).default('local'),
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8900),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest request body in bytes. */
  bodyLimit: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** Most triples in one asset (graph). */
  maxTriples: z.coerce.number().int().positive().default(100_000),
  /** SS58 addresses allowed to publish client-signed assets; empty = open. */
  publisherAllowList: z.array(z.string()).default([]),
  /** Accepted clock distance of a signed timestamp, in seconds. */
  timestampSkewSeconds: z.coerce.number().int().positive().default(600),
  /** JSON-LD remote context loading: off by default (bundled contexts only). */
  allowRemoteContexts: z.boolean().default(false),
  /**
   * Key type of the node's own key (signs ledger entries, receipts, signed responses and raw RDF posted with the
   * token). ed25519 because it signs through OpenSSL, ~4x cheaper than sr25519 and on every /sparql and /retrieve answer.
   */
  nodeKeyType: z.enum(['sr25519', 'ed25519']).default('ed25519'),
  /** Worker threads for parse, canonicalization, hashing, signing and signature checks; 0 = all on the main thread. Default: one per CPU. */
  workers: z.coerce.number().int().min(0).max(256).optional(),
  /** SPARQL query timeout, ms (a request's `timeout` can only lower it). */
  sparqlTimeoutMs: z.coerce.number().int().positive().default(10_000),
  /** Rows per SPARQL result before it is cut (Cairn-Truncated: true). */
  sparqlMaxRows: z.coerce.number().int().positive().default(10_000),
  /** Bytes per SPARQL result before it is cut. */
  sparqlMaxBytes: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  /** SPARQL engine replicas (worker threads, each a full in-memory copy); ≥ 2 keeps answering while one is rebuilt after a timeout. */
  sparqlReplicas: z.coerce.number().int().min(1).max(16).default(2),
  /** Executions of one GraphQL document before it is compiled to JavaScript (graphql-jit); 0 = never compile (graphql-js only). */
  graphqlCompileAfter: z.coerce.number().int().min(0).default(2),
  /** Join the peer network (libp2p). Off: a standalone node. */
  p2p: z.boolean().default(true),
  /** libp2p listen multiaddrs. */
  p2pListen: z.array(z.string()).default(['/ip4/127.0.0.1/tcp/0']),
  /** Bootstrap peers: multiaddrs ending in /p2p/<peer id>. */
  bootstrap: z.array(z.string()).default([]),
  /** Replication factor R: an asset lives on the R peers closest to sha256(UAL). */
  replicationFactor: z.coerce.number().int().min(1).max(64).default(3),
  /** Anti-entropy period in ms (0 = only at start and on demand). */
  syncIntervalMs: z.coerce.number().int().min(0).default(30_000),
  /** Serve MCP (Model Context Protocol) at /mcp; `cairn mcp` relays stdio to it (docs/mcp.md). */
  mcp: z.boolean().default(true),
  /** Bytes of JSON per MCP tool result before it is cut (`truncated: true`): a model reads every byte. */
  mcpMaxResultBytes: z.coerce.number().int().min(4096).default(64 * 1024),
  /** Rows per MCP `sparql_query` result (REST /sparql keeps sparqlMaxRows). */
  mcpSparqlMaxRows: z.coerce.number().int().positive().default(200),
  /** MCP `sparql_query` timeout, ms (sparqlTimeoutMs still bounds it). */
  mcpSparqlTimeoutMs: z.coerce.number().int().positive().default(5_000),
  /** Offer the MCP `publish` tool (its calls also need the API token). Off: MCP is read-only. */
  mcpPublish: z.boolean().default(false),
  /** Keystore that signs MCP publishes (path, relative to dataDir); absent: the node key. Passphrase: env CAIRN_MCP_PUBLISH_PASSPHRASE. */
  mcpPublishKey: z.string().optional()
}).strict()

export type CairnConfig = z.infer<typeof ConfigSchema>
export type ConfigInput = z.input<typeof ConfigSchema>

const ENV: Record<string, keyof CairnConfig> = {
  CAIRN_DATA_DIR: 'dataDir',
  CAIRN_NETWORK: 'network',
  CAIRN_HOST: 'host',
  CAIRN_PORT: 'port',
  CAIRN_LOG_LEVEL: 'logLevel',
  CAIRN_BODY_LIMIT: 'bodyLimit',
  CAIRN_MAX_TRIPLES: 'maxTriples',
  CAIRN_PUBLISHER_ALLOW_LIST: 'publisherAllowList',
  CAIRN_TIMESTAMP_SKEW_SECONDS: 'timestampSkewSeconds',
  CAIRN_ALLOW_REMOTE_CONTEXTS: 'allowRemoteContexts',
  CAIRN_NODE_KEY_TYPE: 'nodeKeyType',
  CAIRN_WORKERS: 'workers',
  CAIRN_SPARQL_TIMEOUT_MS: 'sparqlTimeoutMs',
  CAIRN_SPARQL_MAX_ROWS: 'sparqlMaxRows',
  CAIRN_SPARQL_MAX_BYTES: 'sparqlMaxBytes',
  CAIRN_SPARQL_REPLICAS: 'sparqlReplicas',
  CAIRN_GRAPHQL_COMPILE_AFTER: 'graphqlCompileAfter',
  CAIRN_P2P: 'p2p',
  CAIRN_P2P_LISTEN: 'p2pListen',
  CAIRN_BOOTSTRAP: 'bootstrap',
  CAIRN_REPLICATION_FACTOR: 'replicationFactor',
  CAIRN_SYNC_INTERVAL_MS: 'syncIntervalMs',
  CAIRN_MCP: 'mcp',
  CAIRN_MCP_MAX_RESULT_BYTES: 'mcpMaxResultBytes',
  CAIRN_MCP_SPARQL_MAX_ROWS: 'mcpSparqlMaxRows',
  CAIRN_MCP_SPARQL_TIMEOUT_MS: 'mcpSparqlTimeoutMs',
  CAIRN_MCP_PUBLISH: 'mcpPublish',
  CAIRN_MCP_PUBLISH_KEY: 'mcpPublishKey'
}

export const CONFIG_FILE = 'config.json'

export function configFromEnv (env: NodeJS.ProcessEnv): Partial<Record<keyof CairnConfig, unknown>> {
  const out: Partial<Record<keyof CairnConfig, unknown>> = {}
  for (const [name, key] of Object.entries(ENV)) {
    const value = env[name]
    if (value === undefined || value === '') continue
    if (key === 'publisherAllowList' || key === 'bootstrap' || key === 'p2pListen') out[key] = value.split(',').map((s) => s.trim()).filter(Boolean)
    else if (key === 'allowRemoteContexts' || key === 'p2p' || key === 'mcp' || key === 'mcpPublish') out[key] = value === 'true' || value === '1'
    else out[key] = value
  }
  return out
}

/** Merge the layers and validate; CONFIG_INVALID names every bad field. */
export function loadConfig (flags: Partial<Record<keyof CairnConfig, unknown>> = {}, env: NodeJS.ProcessEnv = process.env): CairnConfig {
  const fromEnv = configFromEnv(env)
  const dataDir = resolve(String(flags.dataDir ?? fromEnv.dataDir ?? ConfigSchema.shape.dataDir.parse(undefined)))
  const file = join(dataDir, CONFIG_FILE)
  let fromFile: Record<string, unknown> = {}
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    } catch (err) {
      throw new CairnError('CONFIG_INVALID', `config: ${file} is not valid JSON: ${(err as Error).message}`, { cause: err })
    }
  }
  const merged = { ...fromFile, ...fromEnv, ...stripUndefined(flags), dataDir }
  const parsed = ConfigSchema.safeParse(merged)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new CairnError('CONFIG_INVALID', `config: ${problems.join('; ')}`, { details: { problems } })
  }
  return parsed.data
}

function stripUndefined<T extends object> (o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
