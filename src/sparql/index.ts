/**
 * SPARQL over the store of record. `SparqlEngine` is deliberately small so that both the embedded engine
 * (oxigraph in worker threads, fed from SQLite in commit order) and a remote SPARQL 1.1 Protocol engine
 * (Virtuoso/Fuseki/oxigraph server, a later issue) can implement it.
 *
 * Dataset: every asset version is the named graph `<UAL>/v<N>`; the default graph is the union of the current
 * versions of all assets; `<urn:cairn:provenance>` describes every asset and version in the Cairn vocabulary.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const engine = createSparqlEngine({ storePath: 'data/cairn.sqlite', replicas: 2 }, { logger })
 * await engine.start()
 * const result = await engine.query('SELECT * WHERE { ?s ?p ?o } LIMIT 10', { format: 'json' })
 * ```
 */
import type { Logger } from 'pino'
import type { Startable } from '../startable.js'
import type { CreatedVersion } from '../store/index.js'
import { WorkerSparqlEngine } from './worker-sparql-engine.js'

export { inspectQuery } from './query-form.js'
export type { QueryForm, QueryInfo } from './query-form.js'
export { CAIRN, PROV, PROVENANCE_GRAPH, publisherIri } from './provenance.js'
export { DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_MAX_ROWS, DEFAULT_MAX_BYTES } from './constants.js'

/** Result formats an engine produces: SPARQL results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE. */
export type SolutionsFormat = 'json' | 'xml' | 'csv' | 'tsv'

export interface QueryOptions {
  /** Serialization of SELECT/ASK results; graph results always come back as N-Triples. */
  format: SolutionsFormat
  /** Protocol `default-graph-uri` (replaces the default graph with the merge of these graphs). */
  defaultGraphUris?: string[]
  /** Protocol `named-graph-uri`. */
  namedGraphUris?: string[]
  /** Stop the query after this long (capped by the engine's own timeout). */
  timeoutMs?: number
  maxRows?: number
  maxBytes?: number
}

export interface QueryResult {
  /** 'solutions' for SELECT, 'boolean' for ASK, 'graph' for CONSTRUCT/DESCRIBE (body = N-Triples). */
  kind: 'solutions' | 'boolean' | 'graph'
  body: string
  rows: number
  /** True when a row or byte cap cut the result. */
  truncated: boolean
}

export interface SparqlEngineStatus {
  ready: boolean
  /** Commit sequence (highest version row id) the freshest replica has applied. */
  seq: number
  replicas: Array<{ ready: boolean, busy: boolean, seq: number, quads: number }>
}

export interface SparqlEngine extends Startable {
  query (query: string, options: QueryOptions): Promise<QueryResult>
  /**
   * New commits up to this sequence number exist in the store; replicas apply them in order. `created`, when it
   * holds every version up to `seq`, saves reading them back from the store.
   */
  notifyCommitted (seq: number, created?: CreatedVersion[]): void
  /** Resolves once at least one replica has loaded the store. */
  whenReady (): Promise<void>
  status (): SparqlEngineStatus
}

export interface SparqlEngineInit {
  /** SQLite store to mirror; absent = an empty dataset fed only by {@link SparqlEngine.loadDataset} (tests). */
  storePath?: string
  /** Replicas (worker threads, each a full oxigraph copy); ≥ 2 keeps serving while one is rebuilt after a timeout. Default 2. */
  replicas?: number
  /** Upper bound for any query, ms (default 10 s). */
  timeoutMs?: number
  /** Default row cap (default 10,000). */
  maxRows?: number
  /** Default byte cap (default 16 MiB). */
  maxBytes?: number
  /** Queries waiting for a free replica before SPARQL_OVERLOADED (default 256). */
  maxQueue?: number
}

export interface SparqlEngineComponents {
  logger: Logger
}

export interface DatasetLoader {
  /** Replace the whole dataset by these N-Quads (tests and conformance runs; not for a store-backed engine). */
  loadDataset (nquads: string, options?: { baseIri?: string }): Promise<void>
}

export function createSparqlEngine (init: SparqlEngineInit, components: SparqlEngineComponents): SparqlEngine & DatasetLoader {
  return new WorkerSparqlEngine(init, components)
}
