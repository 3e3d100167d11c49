/**
 * GraphQL API at `/graphql` (Apollo Server 5 on express 5, graphql-js 16): entities and their facts, assets,
 * versions and history, full-text entity search, read-only SPARQL and grounded retrieval, with Relay global ids,
 * keyset cursors, depth / cost / page-size limits, and citations byte-identical to REST's (`AssetService.citationFor`),
 * each recorded in the contribution ledger.
 * Schema: the committed `src/graphql/schema.graphql`; guide: docs/graphql.md.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const graphql = createGraphqlHandler({}, { store, assets, sparql, retriever, contributions, logger })
 * await graphql.start()
 * app.use(graphql.router) // GET and POST /graphql
 * ```
 */
import type { Router } from 'express'
import type { GraphQLSchema } from 'graphql'
import type { Logger } from 'pino'
import type { AssetService } from '../asset/index.js'
import type { ContributionLedger, Retriever } from '../rag/index.js'
import type { SparqlEngine } from '../sparql/index.js'
import type { Startable } from '../startable.js'
import type { AssetStore } from '../store/index.js'
import { ApolloGraphqlHandler } from './apollo-graphql-handler.js'

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_DEPTH, MAX_COST } from './constants.js'
export { SCHEMA_FILE, loadSchemaSource } from './schema.js'

/** The GraphQL endpoint: an express router plus its lifecycle (Apollo is started with the node, before the API). */
export interface GraphqlHandler extends Startable {
  /** Express router with `GET /graphql` and `POST /graphql`; answers only once started. */
  readonly router: Router
  /** The executable schema (what introspection serves). */
  readonly schema: GraphQLSchema
}

/** Limits of the endpoint; every field optional. */
export interface GraphqlInit {
  /** Largest `first` of any paged field (default 100). */
  maxPageSize?: number
  /** Deepest field nesting, introspection excluded (default 8). */
  maxDepth?: number
  /** Largest estimated cost of an operation (default 10 000; see docs/graphql.md#limits). */
  maxCost?: number
  /** Largest POST body in bytes (default 100 000). */
  bodyLimit?: number
  /** Executions of one document before it is compiled (default 2); 0 = never compile (see jit-executor.ts). */
  compileAfter?: number
}

/** What the endpoint reads from. */
export interface GraphqlComponents {
  store: AssetStore
  assets: AssetService
  sparql: SparqlEngine
  /** `Query.retrieve`: the retriever behind POST /retrieve. */
  retriever: Retriever
  /** Where every citation served is recorded (interface 'graphql'). */
  contributions: ContributionLedger
  logger: Logger
  /** The peer network, when the node runs one: its peer id is the first of a version's `holders`. */
  network?: { readonly peerId: string }
}

/** The GraphQL endpoint; `start()` it before mounting `router` in a listening app. */
export function createGraphqlHandler (init: GraphqlInit, components: GraphqlComponents): GraphqlHandler {
  return new ApolloGraphqlHandler(init, components)
}
