/**
 * The one composition root: config → data dir → store → anchor → prepare workers → assets → rag → GraphQL, MCP → API, started
 * phase by phase and stopped in reverse; if a phase fails to start, everything already started is stopped and the
 * error rethrown.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const node = await createCairnNode({ config: loadConfig({ dataDir: '/tmp/n1', port: 0 }) })
 * console.log(node.url); await node.stop()
 * ```
 */
import { join, resolve } from 'node:path'
import { pino } from 'pino'
import type { Logger } from 'pino'
import { createEmbeddedLedgerAnchor } from './anchor/index.js'
import type { Anchor } from './anchor/index.js'
import { createApi } from './api/index.js'
import type { Api } from './api/index.js'
import { createAssetService, createPreparePool, decryptKeystore, keysReady } from './asset/index.js'
import type { AssetService, Keystore, PreparePool, Signer } from './asset/index.js'
import type { CairnConfig } from './config.js'
import { DATA_FILES, prepareDataDir, readJson } from './data-dir.js'
import { createGraphqlHandler } from './graphql/index.js'
import type { GraphqlHandler } from './graphql/index.js'
import { proofReady } from './proof/index.js'
import type { Startable } from './startable.js'
import { createNetwork } from './network/index.js'
import type { Network } from './network/index.js'
import { createMcpService } from './mcp/index.js'
import type { McpService } from './mcp/index.js'
import { createContributionLedger, createRetriever } from './rag/index.js'
import type { BufferedContributionLedger, Retriever } from './rag/index.js'
import { createSparqlEngine } from './sparql/index.js'
import type { SparqlEngine } from './sparql/index.js'
import { createAssetStore } from './store/index.js'
import type { AssetStore } from './store/index.js'

export interface CairnComponents {
  logger: Logger
  nodeSigner: Signer
  store: AssetStore
  sparql: SparqlEngine
  anchor: Anchor
  /** Absent when the node runs standalone (`p2p: false`). */
  network: Network | undefined
  /** Worker threads for the CPU stages of publishing (parse, canonicalize, hash, sign, verify). */
  prepare: PreparePool
  assets: AssetService
  /** Citations served per publisher and asset (SQLite, beside the store of record). */
  contributions: BufferedContributionLedger
  /** Grounded retrieval (POST /retrieve): ranked facts with citations. */
  retriever: Retriever
  graphql: GraphqlHandler
  /** MCP tools and resources for AI agents (POST /mcp; `cairn mcp` relays stdio to it); absent when `mcp: false`. */
  mcp: McpService | undefined
  api: Api
}

export interface CairnNodeInit {
  config: CairnConfig
  /** Start right away (default true). */
  start?: boolean
  logger?: Logger
  env?: NodeJS.ProcessEnv
}

export interface CairnNode extends Startable {
  readonly config: CairnConfig
  readonly components: CairnComponents
  /** The API's base URL once started. */
  readonly url: string
  /** Files created by this start (first run). */
  readonly created: string[]
}

class Node implements CairnNode {
  readonly config: CairnConfig
  readonly components: CairnComponents
  readonly created: string[]
  private readonly phases: Startable[]
  private started = false

  constructor (config: CairnConfig, components: CairnComponents, created: string[]) {
    this.config = config
    this.components = components
    this.created = created
    this.phases = [components.store, components.contributions, components.sparql, components.prepare, ...(components.network === undefined ? [] : [components.network]), components.graphql, components.api]
  }

  get url (): string {
    return this.components.api.url
  }

  async start (): Promise<void> {
    if (this.started) return
    const done: Startable[] = []
    try {
      for (const phase of this.phases) {
        await phase.start()
        done.push(phase)
      }
    } catch (err) {
      for (const phase of done.reverse()) await phase.stop()
      throw err
    }
    this.started = true
    this.components.logger.info({ url: this.url, network: this.config.network, node: this.components.nodeSigner.address }, 'cairn node started')
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    for (const phase of [...this.phases].reverse()) await phase.stop()
    this.components.logger.info('cairn node stopped')
  }

  isStarted (): boolean {
    return this.started
  }
}

export async function createCairnNode (init: CairnNodeInit): Promise<CairnNode> {
  const { config } = init
  await Promise.all([proofReady(), keysReady()])
  const logger = init.logger ?? pino({ level: config.logLevel, name: 'cairn' })
  const env = init.env ?? process.env
  const { created, token, nodeSigner } = prepareDataDir(config, env)
  const store = createAssetStore({ path: join(config.dataDir, DATA_FILES.store) })
  const sparql = createSparqlEngine({
    storePath: join(config.dataDir, DATA_FILES.store),
    replicas: config.sparqlReplicas,
    timeoutMs: config.sparqlTimeoutMs,
    maxRows: config.sparqlMaxRows,
    maxBytes: config.sparqlMaxBytes
  }, { logger })
  const anchor = createEmbeddedLedgerAnchor({}, { store, signer: nodeSigner })
  // Workers sign raw RDF with the node key: each decrypts the keystore itself (same process, nothing on the wire).
  const prepare = createPreparePool({
    ...(config.workers === undefined ? {} : { size: config.workers }),
    nodeKey: { keystore: readJson<Keystore>(join(config.dataDir, DATA_FILES.nodeKey)), ...(env.CAIRN_NODE_PASSPHRASE === undefined ? {} : { passphrase: env.CAIRN_NODE_PASSPHRASE }) }
  })
  const assets = createAssetService({
    network: config.network,
    maxTriples: config.maxTriples,
    allowRemoteContexts: config.allowRemoteContexts,
    publisherAllowList: config.publisherAllowList,
    timestampSkewMs: config.timestampSkewSeconds * 1000
  }, { store, anchor, nodeSigner, prepare, onCommitted: (seq, created) => { sparql.notifyCommitted(seq, created) } })
  const network = config.p2p
    ? createNetwork({
      listen: config.p2pListen,
      bootstrap: config.bootstrap,
      peerKeyPath: join(config.dataDir, DATA_FILES.peerKey),
      replicationFactor: config.replicationFactor,
      syncIntervalMs: config.syncIntervalMs
    }, { assets, store, nodeSigner, logger })
    : undefined
  const contributions = createContributionLedger({}, { store, logger })
  const retriever = createRetriever({}, { store, assets, contributions, ...(network === undefined ? {} : { network }) })
  const mcp = config.mcp
    ? createMcpService({
      network: config.network,
      maxResultBytes: config.mcpMaxResultBytes,
      sparqlMaxRows: config.mcpSparqlMaxRows,
      sparqlTimeoutMs: config.mcpSparqlTimeoutMs,
      publish: config.mcpPublish
    }, {
      store, assets, sparql, logger, retriever, contributions,
      ...(network === undefined ? {} : { network }),
      ...(config.mcpPublish && config.mcpPublishKey !== undefined
        ? { publishSigner: decryptKeystore(readJson<Keystore>(resolve(config.dataDir, config.mcpPublishKey)), env.CAIRN_MCP_PUBLISH_PASSPHRASE) }
        : {})
    })
    : undefined
  const graphql = createGraphqlHandler({ compileAfter: config.graphqlCompileAfter }, { store, assets, sparql, retriever, contributions, logger, ...(network === undefined ? {} : { network }) })
  const api = createApi({ host: config.host, port: config.port, bodyLimit: config.bodyLimit }, {
    assets,
    sparql,
    graphql,
    retriever,
    contributions,
    ...(mcp === undefined ? {} : { mcp }),
    ...(network === undefined ? {} : { network }),
    nodeSigner,
    token,
    logger,
    identity: { network: config.network, node: nodeSigner.address },
    readiness: { store: () => store.isStarted(), sparql: () => sparql.status().ready }
  })
  const node = new Node(config, { logger, nodeSigner, store, sparql, anchor, prepare, assets, network, contributions, retriever, graphql, mcp, api }, created)
  if (init.start !== false) await node.start()
  return node
}
