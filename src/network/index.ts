/**
 * The peer network: a libp2p node (TCP + noise + yamux + identify + kad-dht + bootstrap) and the replication
 * protocol `/cairn/replicate/1.0.0` (docs/protocol.md). An asset lives on the R peers closest to sha256(UAL);
 * receivers verify everything (re-canonicalization, root, signature, anchor, version chain) before storing and
 * answer with a signed receipt. Nodes catch up on what they missed by paging through their peers' commit logs.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const network = createNetwork({ listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], peerKeyPath }, { assets, store, nodeSigner, logger })
 * await network.start()
 * const job = network.replicate(ual); await job.wait(2, 5000)
 * ```
 */
import './polyfill.js'
import type { Logger } from 'pino'
import type { AssetService, Signer } from '../asset/index.js'
import type { AssetBundle, Receipt } from '../proof/index.js'
import type { Startable } from '../startable.js'
import type { AssetStore } from '../store/index.js'
import { ReplicationNetwork } from './replication-network.js'

export { REPLICATE_PROTOCOL, DEFAULT_REPLICATION_FACTOR } from './constants.js'
export { closestPeers } from './sharding.js'

export interface PeerView {
  id: string
  addresses: string[]
  /** ISO time of the last message or connection, or null if never seen. */
  lastSeen: string | null
  score: number
  connected: boolean
}

export interface ReplicationStatus {
  ual: string
  version: number
  /** Peers that should hold the asset (the R closest to sha256(UAL), self included). */
  holders: string[]
  /** Verified receipts so far, self included when this node is a holder. */
  receipts: Receipt[]
  /** Receipts counted toward R. */
  replicated: number
  factor: number
  /** Peers the push to failed, with the reason. */
  failed: Array<{ peer: string, reason: string }>
  done: boolean
}

export interface ReplicationJob {
  status (): ReplicationStatus
  /** Resolves when `min` receipts are in or `timeoutMs` passes, with the status at that moment (never throws). */
  wait (min: number, timeoutMs: number): Promise<ReplicationStatus>
}

export interface SyncReport {
  /** True only when at least one peer was connected, every page of every one was read and every wanted version stored. */
  complete: boolean
  startedAt: string | null
  finishedAt: string | null
  /** Versions stored by this node through sync since start. */
  synced: number
  peers: Array<{ peer: string, cursor: number, pages: number, error?: string }>
  /** Versions this node should hold but could not get or verify, with the reason. */
  missing: Array<{ ual: string, version: number, peer: string, reason: string }>
}

export interface Network extends Startable {
  readonly peerId: string
  multiaddrs (): string[]
  peers (): PeerView[]
  /** The R peers (self included) that should hold this asset. */
  holdersFor (ual: string): string[]
  /** Push the asset's current bundle to its other holders; receipts arrive on the returned job. */
  replicate (ual: string): ReplicationJob
  /** Find a holder of an asset this node lacks, fetch, verify and store it. */
  fetch (ual: string): Promise<{ bundle: AssetBundle, peer: string }>
  /**
   * One peer's bundles of these assets, as it sends them (`fetch` messages of at most MAX_FETCH_UALS UALs each):
   * nothing is verified or stored — for comparing what peers hold (retrieval cross-checks).
   */
  fetchBundles (peer: string, uals: string[]): Promise<{ bundles: AssetBundle[], missing: string[] }>
  /** One anti-entropy round over all connected peers (bounded, resumable by cursor). */
  sync (): Promise<SyncReport>
  syncStatus (): SyncReport
}

export interface NetworkInit {
  /** libp2p listen multiaddrs, e.g. /ip4/127.0.0.1/tcp/0 */
  listen: string[]
  /** Bootstrap peers (multiaddrs with /p2p/<id>). */
  bootstrap: string[]
  /** File of the persistent ed25519 libp2p identity. */
  peerKeyPath: string
  /** Replication factor R (default 3). */
  replicationFactor?: number
  /** Anti-entropy period, ms (default 30 s; 0 = only on start and on demand). */
  syncIntervalMs?: number
}

export interface NetworkComponents {
  assets: AssetService
  store: AssetStore
  /** Signs receipts. */
  nodeSigner: Signer
  logger: Logger
}

export function createNetwork (init: NetworkInit, components: NetworkComponents): Network {
  return new ReplicationNetwork(init, components)
}
