/**
 * The HTTP API (express 5): REST for assets, health, OpenAPI, /sparql, /graphql, /retrieve, /contributions and /mcp.
 * Errors leave through one mapper as application/problem+json with a `CAIRN_*` code.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const api = createApi({ host: '127.0.0.1', port: 0, bodyLimit: 10e6 }, { assets, token, logger, readiness })
 * await api.start(); console.log(api.url)
 * ```
 */
import { once } from 'node:events'
import { createServer, IncomingMessage, ServerResponse } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import type { Express } from 'express'
import type { Logger } from 'pino'
import type { AssetService, Signer } from '../asset/index.js'
import type { Startable } from '../startable.js'
import { createTokenAuthenticator } from './auth.js'
import { createErrorHandler, notFound } from './error-handler.js'
import { OPENAPI } from './openapi.js'
import { createAssetsRouter, rawUalRewriter } from './routes/assets.js'
import { signResponses } from './response-signing.js'
import { createContributionsRouter } from './routes/contributions.js'
import { createPeersRouter } from './routes/peers.js'
import { createRetrieveRouter } from './routes/retrieve.js'
import { createSparqlRouter } from './routes/sparql.js'
import type { Network } from '../network/index.js'
import type { ContributionLedger, Retriever } from '../rag/index.js'
import type { GraphqlHandler } from '../graphql/index.js'
import { createMcpRouter } from '../mcp/index.js'
import type { McpService } from '../mcp/index.js'
import type { SparqlEngine } from '../sparql/index.js'

export { OPENAPI } from './openapi.js'
export { SIGNED_JSON } from './routes/assets.js'

export interface ApiInit {
  host: string
  /** 0 picks a free port. */
  port: number
  bodyLimit: number
}

export interface ApiComponents {
  assets: AssetService
  sparql: SparqlEngine
  /** Present on networked nodes: replication after publishes, fetch of missing assets, the peer table. */
  network?: Network
  /** GET and POST /graphql (started before the API by the composition root). */
  graphql?: GraphqlHandler
  /** POST /retrieve: grounded, cited facts for agents. */
  retriever: Retriever
  /** GET /contributions: citations served per publisher and asset. */
  contributions: ContributionLedger
  /** POST /mcp: MCP over Streamable HTTP (absent when the operator turned MCP off). */
  mcp?: McpService
  /** The node key: signs /sparql, /retrieve and /mcp answers. */
  nodeSigner: Signer
  /** The node API token that authorizes unsigned writes. */
  token: string
  logger: Logger
  /** Reported by /healthz so clients sign for the right network. */
  identity: { network: string, node: string }
  /** Named readiness checks for /readyz. */
  readiness: Record<string, () => boolean>
}

export interface Api extends Startable {
  readonly app: Express
  /** http://host:port once started. */
  readonly url: string
}

export function createApp (init: ApiInit, components: ApiComponents): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  app.use(rawUalRewriter())
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok', ...components.identity }) })
  app.get('/readyz', (_req, res) => {
    const checks = Object.fromEntries(Object.entries(components.readiness).map(([name, check]) => [name, check()]))
    const ready = Object.values(checks).every(Boolean)
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', components: checks })
  })
  app.get('/openapi.json', (_req, res) => { res.json(OPENAPI) })
  const auth = createTokenAuthenticator(components.token)
  app.use(createAssetsRouter({ assets: components.assets, auth, bodyLimit: init.bodyLimit, network: components.network, contributions: components.contributions }))
  if (components.network !== undefined) app.use(createPeersRouter({ network: components.network, auth }))
  // Answers agents rely on are signed by the node key (POKT-style accountability).
  app.use(['/sparql', '/retrieve', '/mcp'], signResponses(components.nodeSigner))
  app.use(createSparqlRouter({ engine: components.sparql, bodyLimit: init.bodyLimit }))
  app.use(createRetrieveRouter({ retriever: components.retriever }))
  app.use(createContributionsRouter({ contributions: components.contributions }))
  if (components.graphql !== undefined) app.use(components.graphql.router)
  if (components.mcp !== undefined) {
    const isAuthorized = (req: Parameters<typeof auth.requireToken>[0]): boolean => { try { auth.requireToken(req); return true } catch { return false } }
    app.use(createMcpRouter({ mcp: components.mcp, bodyLimit: init.bodyLimit, authorized: isAuthorized }))
  }
  app.use(notFound)
  app.use(createErrorHandler(components.logger))
  return app
}

/**
 * The HTTP server of an express app, its requests and responses created with the app's own prototypes. Express
 * re-prototypes both objects on every request (`Object.setPrototypeOf`), and in V8 that kept each request's objects
 * alive through the next young-generation GCs: a bare express app served ~3.3 MB of survivors to every scavenge,
 * pausing ~4 ms, where the same server with these constructors has ~10 KB and ~0.6 ms (docs/performance.md#graphql).
 * Created with the prototype express would set, express's call changes nothing.
 */
export function createExpressServer (app: Express): Server {
  // Node's IncomingMessage and ServerResponse are constructor functions, so subtypes can call them on `this`
  // (Reflect.construct with a new target gave objects that survived GCs just the same).
  if (isClass(IncomingMessage) || isClass(ServerResponse)) return createServer(app)
  const ExpressRequest = function (this: IncomingMessage, ...args: unknown[]): void {
    (IncomingMessage as unknown as (...a: unknown[]) => void).apply(this, args)
  } as unknown as typeof IncomingMessage
  ExpressRequest.prototype = app.request as unknown as IncomingMessage
  const ExpressResponse = function (this: ServerResponse, ...args: unknown[]): void {
    (ServerResponse as unknown as (...a: unknown[]) => void).apply(this, args)
  } as unknown as typeof ServerResponse
  ExpressResponse.prototype = app.response as unknown as ServerResponse
  return createServer({ IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse }, app)
}

function isClass (f: unknown): boolean {
  return Function.prototype.toString.call(f).startsWith('class')
}

class HttpApi implements Api {
  readonly app: Express
  private readonly init: ApiInit
  private server: Server | undefined
  private address = ''

  constructor (init: ApiInit, components: ApiComponents) {
    this.init = init
    this.app = createApp(init, components)
  }

  get url (): string {
    return this.address
  }

  async start (): Promise<void> {
    if (this.server !== undefined) return
    const server = createExpressServer(this.app).listen(this.init.port, this.init.host)
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => { throw err })])
    this.server = server
    const { address, port } = server.address() as AddressInfo
    this.address = `http://${address.includes(':') ? `[${address}]` : address}:${port}`
  }

  async stop (): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => { resolve() }))
  }

  isStarted (): boolean {
    return this.server !== undefined
  }
}

export function createApi (init: ApiInit, components: ApiComponents): Api {
  return new HttpApi(init, components)
}
