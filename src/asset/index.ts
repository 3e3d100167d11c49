/**
 * Knowledge assets: publish, update, get, history, proofs, bundles and verification. One asset = one RDF graph;
 * each version is canonicalized (RDFC-1.0), merkle-hashed, signed by its publisher and anchored.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const assets = createAssetService({ network: 'local' }, { store, anchor, nodeSigner })
 * const [result] = await assets.publishRdf(turtle, { format: 'turtle' })
 * const citation = await assets.proof(result.ual, { subject, predicate, object })
 * ```
 */
import type { Quad } from '@rdfjs/types'
import type { Anchor } from '../anchor/index.js'
import type { CairnError } from '../errors.js'
import type { AnchorProof, AssetBundle, BundleReport, Citation, Receipt } from '../proof/index.js'
import type { RdfFormat } from '../rdf/index.js'
import type { AssetRecord, AssetStore, CreatedVersion, FactRecord, Page, VersionRecord } from '../store/index.js'
import { DefaultAssetService } from './asset-service.js'
import type { Signer } from './keys.js'
import { PrepareWorkerPool } from './worker-pool.js'
import type { PreparePool, PreparePoolInit } from './worker-pool.js'

export * from './ual.js'
export * from './keys.js'
export { prepareGraphs, prepareSignedVersion, signVersion, storeQuads } from './prepare.js'
export type { PreparedGraph, ReadyVersion, SignedVersion } from './prepare.js'
export type { NodeKeySource, PreparePool, PreparePoolInit } from './worker-pool.js'
import type { SignedVersion } from './prepare.js'

export interface PublishResult {
  ual: string
  version: number
  root: string
  previousRoot: string | null
  publisher: string
  signature: string
  timestamp: string
  sourceName: string | null
  tripleCount: number
  anchor: AnchorProof | null
  /** 'existing' when identical content by the same publisher was already stored (idempotent re-publish). */
  status: 'created' | 'existing'
}

export interface RdfInput {
  text: string
  format: RdfFormat
  base?: string
}

export interface AssetContent {
  version: VersionRecord
  /** Skolemized triples in leaf order. */
  quads: Quad[]
}

export interface ImportResult {
  ual: string
  /** Versions newly stored (0 when all were already here). */
  stored: number
  /** Why the bundle was refused; nothing of it was stored. */
  error?: CairnError
}

export interface TripleQuery { subject: string, predicate: string, object: string }

/** A stored triple to cite: its leaf index in its version and its terms as stored (skolemized), as fact reads give them. */
export type CitedTriple = Pick<FactRecord, 'leafIndex' | 'subject' | 'predicate' | 'object'>

export interface AssetService {
  /** Parse, canonicalize and sign with the node's default publisher key; one asset per graph, all-or-nothing. */
  publishRdf (input: RdfInput): Promise<PublishResult[]>
  /** New version of an asset owned by the node's default publisher key. */
  updateRdf (ual: string, input: RdfInput): Promise<PublishResult>
  /** Client-signed versions (first versions or updates): re-verified as a replicating peer would, all-or-nothing. */
  publishSigned (versions: SignedVersion[]): Promise<PublishResult[]>
  list (options: { publisher?: string, after?: string, limit: number }): Page<AssetRecord>
  get (ual: string, version?: number): AssetContent
  history (ual: string): VersionRecord[]
  /** Citation (inclusion proof, signature, anchor) for one triple given as N-Triples terms or bare IRIs. */
  proof (ual: string, triple: TripleQuery, version?: number): Citation
  /**
   * Citation of a stored triple of `version`, from the triple the caller read (it is not read again). Each version's
   * leaf hashes, merkle tree and checked claim and anchor are kept for the next citations of it (versions are immutable).
   */
  citationFor (version: VersionRecord, triple: CitedTriple): Citation
  bundle (ual: string): AssetBundle
  /** Peers' signed receipts for a version (replication). */
  receipts (version: VersionRecord): Receipt[]
  /**
   * Bundles from peers (replication, fetch, sync): each verified in full and re-canonicalized like a signed publish;
   * the versions this node lacks are stored with their anchors. One result per bundle; a bad bundle stores nothing.
   */
  importBundles (bundles: AssetBundle[]): Promise<ImportResult[]>
  /** Re-derive every version from the stored quads and check leaves, roots, signatures, anchors and the chain. */
  verify (ual: string): BundleReport
}

export interface AssetServiceInit {
  /** Network name in UALs this node accepts and mints. */
  network: string
  /** Per asset (graph); more → RDF_TOO_MANY_TRIPLES. */
  maxTriples?: number
  /** Accept JSON-LD remote contexts (off by default: bundled contexts only). */
  allowRemoteContexts?: boolean
  /** SS58 addresses allowed to publish signed assets; empty or absent = open. */
  publisherAllowList?: string[]
  /** Accepted distance between a signed timestamp and now. */
  timestampSkewMs?: number
  /** Most publishes committed in one SQLite transaction. */
  maxGroupSize?: number
}

export interface AssetServiceComponents {
  store: AssetStore
  anchor: Anchor
  /** The node's default publisher key: signs raw RDF posted with the API token. */
  nodeSigner: Signer
  /** Told the store's commit sequence and the created versions after every group commit that created any (query engines follow it). */
  onCommitted?: (seq: number, created: CreatedVersion[]) => void
  /**
   * Where parse, canonicalization, hashing, signing and signature checks run (worker threads). Absent: inline on
   * the calling thread. The pool signs raw RDF itself only when its node key is `nodeSigner`'s.
   */
  prepare?: PreparePool
}

/** Worker threads for the CPU stages of publishing; start() it before use, stop() it after. */
export function createPreparePool (init: PreparePoolInit = {}): PreparePool {
  return new PrepareWorkerPool(init)
}

export function createAssetService (init: AssetServiceInit, components: AssetServiceComponents): AssetService {
  return new DefaultAssetService(init, components)
}
