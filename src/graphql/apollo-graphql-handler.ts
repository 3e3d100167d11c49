import { ApolloServer } from '@apollo/server'
import {
  ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled
} from '@apollo/server/plugin/disabled'
import { expressMiddleware } from '@as-integrations/express5'
import express, { Router } from 'express'
import type { RequestHandler } from 'express'
import type { GraphQLSchema } from 'graphql'
import type { Logger } from 'pino'
import { keepRawBody, requestHashOf } from '../api/response-signing.js'
import { CairnError } from '../errors.js'
import { DEFAULT_BODY_LIMIT, MAX_COST, MAX_DEPTH, MAX_PAGE_SIZE } from './constants.js'
import { createFormatError } from './format-error.js'
import { compiledExecutionPlugin, CompilingExecutor, DEFAULT_COMPILE_AFTER } from './jit-executor.js'
import type { GraphqlComponents, GraphqlHandler, GraphqlInit } from './index.js'
import { limitsPlugin } from './limits.js'
import type { Limits } from './limits.js'
import { createLoaders } from './loaders.js'
import { createResolvers } from './resolvers.js'
import type { GraphqlContext } from './resolvers.js'
import { buildExecutableSchema, loadSchemaSource } from './schema.js'

/**
 * Parser guard: a document with more tokens is refused before it is parsed. The standard introspection query has
 * about 300 tokens; deep nesting beyond this would only be refused later by the depth limit anyway.
 */
const MAX_TOKENS = 5000

/** GraphQL over HTTP at /graphql: Apollo Server 5 behind express 5, one ApolloServer per start. */
export class ApolloGraphqlHandler implements GraphqlHandler {
  readonly router: Router
  readonly schema: GraphQLSchema
  private readonly components: GraphqlComponents
  private readonly limits: Limits
  private readonly compileAfter: number
  private server: ApolloServer<GraphqlContext> | undefined
  private middleware: RequestHandler | undefined

  constructor (init: GraphqlInit, components: GraphqlComponents) {
    this.components = components
    this.compileAfter = init.compileAfter ?? DEFAULT_COMPILE_AFTER
    this.limits = { maxPageSize: init.maxPageSize ?? MAX_PAGE_SIZE, maxDepth: init.maxDepth ?? MAX_DEPTH, maxCost: init.maxCost ?? MAX_COST }
    this.schema = buildExecutableSchema(loadSchemaSource(), createResolvers(components, this.limits))
    this.router = this.createRouter(init.bodyLimit ?? DEFAULT_BODY_LIMIT)
  }

  async start (): Promise<void> {
    if (this.server !== undefined) return
    const { logger, store, assets } = this.components
    const formatError = createFormatError(logger)
    const server = new ApolloServer<GraphqlContext>({
      schema: this.schema,
      introspection: true,
      // The API has no mutations and no ambient credentials (no cookies), so there is nothing for a cross-site
      // request to abuse; Apollo's CSRF check would only refuse plain `GET /graphql?query=…` requests.
      csrfPrevention: false,
      // Automatic persisted queries would keep client-chosen documents in memory; every request sends its query.
      persistedQueries: false,
      includeStacktraceInErrorResponses: false,
      formatError,
      logger,
      parseOptions: { maxTokens: MAX_TOKENS },
      plugins: [
        limitsPlugin(this.limits),
        // Operations run compiled from their second execution (jit-executor.ts).
        compiledExecutionPlugin(new CompilingExecutor(this.schema, { compileAfter: this.compileAfter }), formatError),
        // Nothing leaves the node: no Apollo Studio landing page, reporting or tracing, even with APOLLO_KEY set.
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginUsageReportingDisabled(),
        ApolloServerPluginSchemaReportingDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        ApolloServerPluginCacheControlDisabled()
      ]
    })
    await server.start()
    this.middleware = expressMiddleware(server, { context: async ({ req }) => ({ loaders: createLoaders({ store, assets }), requestHash: requestHashOf(req) }) })
    this.server = server
  }

  async stop (): Promise<void> {
    const server = this.server
    if (server === undefined) return
    this.server = undefined
    this.middleware = undefined
    await server.stop()
  }

  isStarted (): boolean {
    return this.server !== undefined
  }

  /**
   * GET with `?query=` and POST with an application/json `{ query, variables?, operationName? }` body (GraphQL over
   * HTTP). Requests that are not GraphQL requests at all are refused here as problem+json, like every REST error.
   */
  private createRouter (bodyLimit: number): Router {
    const router = Router()
    // The exact body bytes are kept for the request hash the contribution ledger records with each citation.
    const json = express.json({ limit: bodyLimit, verify: keepRawBody })
    const run: RequestHandler = async (req, res, next) => {
      const middleware = this.middleware
      if (middleware === undefined) throw new CairnError('INTERNAL', 'GraphQL: handler used before start(); start the node first')
      await middleware(req, res, next)
    }
    router.get('/graphql', (req, _res, next) => {
      if (typeof req.query.query !== 'string') {
        throw new CairnError('API_BAD_REQUEST', 'GraphQL: GET /graphql needs one `query` parameter (GraphQL over HTTP), or POST application/json { "query": … }',
          { details: { field: 'query' } })
      }
      // The Apollo integration insists on a parsed body, which a GET has none of.
      req.body = {}
      next()
    }, run)
    router.post('/graphql', (req, _res, next) => {
      if (req.is('application/json') !== 'application/json') {
        throw new CairnError('API_UNSUPPORTED_MEDIA_TYPE', 'GraphQL: POST a JSON body with Content-Type: application/json ({ "query": … })')
      }
      next()
    }, json, (req, _res, next) => {
      const body = req.body as unknown
      if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { query?: unknown }).query !== 'string') {
        throw new CairnError('API_BAD_REQUEST', 'GraphQL: the body is one JSON object { "query": "…", "variables"?: {…}, "operationName"?: "…" } (batches are not supported)',
          { details: { field: 'query' } })
      }
      next()
    }, run)
    return router
  }
}
