import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { identify } from '@libp2p/identify'
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { kadDHT } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { CODE_P2P, multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { Logger } from 'pino'
import { CairnError, isCairnError } from '../errors.js'
import { receiptMessage, toHex, verifyReceipt } from '../proof/index.js'
import type { AssetBundle, Receipt } from '../proof/index.js'
import {
  BOOTSTRAP_REDIAL_MS, DEFAULT_REPLICATION_FACTOR, INITIAL_SCORE, MAX_FRAME_BYTES, PENALTY_INVALID, PENALTY_UNREACHABLE, PROTOCOL_VERSION,
  REPLICATE_PROTOCOL, STREAM_TIMEOUT_MS, SYNC_FETCH_CONCURRENCY, SYNC_INTERVAL_MS, SYNC_PAGE_SIZE
} from './constants.js'
import { loadOrCreatePeerKey } from './identity.js'
import type { Network, NetworkComponents, NetworkInit, PeerView, ReplicationJob, ReplicationStatus, SyncReport } from './index.js'
import { MAX_FETCH_UALS, decodeRequest, decodeResponse, encode } from './messages.js'
import type { Request, Response, SyncItem } from './messages.js'
import { closestPeers } from './sharding.js'

/** The kad-dht protocol of Cairn networks, apart from the public IPFS DHT. */
const DHT_PROTOCOL = '/cairn/kad/1.0.0'
/** Most sync pages read from one peer in one round; the cursor is kept, so the next round resumes. */
const MAX_PAGES_PER_ROUND = 200
/** Let a burst of connections settle before one discovery query. */
const DISCOVERY_DELAY_MS = 200

interface PeerState { score: number, lastSeen: string | null }

export class ReplicationNetwork implements Network {
  private readonly init: Required<NetworkInit>
  private readonly components: NetworkComponents
  private readonly logger: Logger
  private node: Libp2p | undefined
  private readonly table = new Map<string, PeerState>()
  private timer: NodeJS.Timeout | undefined
  private redialTimer: NodeJS.Timeout | undefined
  private readonly redialing = new Set<string>()
  private syncing: Promise<SyncReport> | undefined
  private discovering = false
  private report: SyncReport = { complete: false, startedAt: null, finishedAt: null, synced: 0, peers: [], missing: [] }

  constructor (init: NetworkInit, components: NetworkComponents) {
    this.init = {
      replicationFactor: DEFAULT_REPLICATION_FACTOR,
      syncIntervalMs: SYNC_INTERVAL_MS,
      ...init
    }
    this.components = components
    this.logger = components.logger.child({ component: 'network' })
  }

  get peerId (): string {
    return this.libp2p.peerId.toString()
  }

  private get libp2p (): Libp2p {
    if (this.node === undefined) throw new CairnError('NET_PEER_UNREACHABLE', 'network: not started')
    return this.node
  }

  async start (): Promise<void> {
    if (this.node !== undefined) return
    const { key } = await loadOrCreatePeerKey(this.init.peerKeyPath)
    const node = await createLibp2p({
      privateKey: key,
      addresses: { listen: this.init.listen },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // libp2p pings every connection every 10 s and drops it when a ping takes more than max(5 s, ~RTT): a peer
      // busy verifying a batch of bundles (or on a loaded machine) is not gone. Give a ping as long as any exchange;
      // a peer that dies is seen at once anyway (its TCP connection closes).
      connectionMonitor: { pingTimeout: { minTimeout: STREAM_TIMEOUT_MS } },
      peerDiscovery: this.init.bootstrap.length > 0 ? [bootstrap({ list: this.init.bootstrap, timeout: 100 })] : [],
      services: {
        identify: identify(),
        ping: ping(),
        // Loopback and private addresses are ordinary here (devnets, LANs): keep them in the DHT.
        dht: kadDHT({ protocol: DHT_PROTOCOL, clientMode: false, peerInfoMapper: (p) => p })
      }
    })
    await node.handle(REPLICATE_PROTOCOL, (stream: Stream, connection: Connection) => { void this.onStream(stream, connection) }, { maxInboundStreams: 64 })
    // libp2p 3 does not dial discovered peers by itself; a Cairn network is small enough to mesh (shards need
    // every node to see the same peer set to agree on holders).
    node.addEventListener('peer:discovery', (event) => {
      const id = event.detail.id
      if (id.equals(node.peerId) || node.getConnections(id).length > 0) return
      node.dial(id).catch((err: Error) => { this.logger.debug({ peer: id.toString(), err: err.message }, 'dial of a discovered peer failed') })
    })
    node.addEventListener('peer:connect', (event) => {
      this.touch(event.detail.toString())
      this.scheduleDiscovery()
      this.scheduleSync()
    })
    this.node = node
    this.logger.info({ peerId: node.peerId.toString(), addresses: this.multiaddrs() }, 'network started')
    if (this.init.syncIntervalMs > 0) this.timer = setInterval(() => { this.scheduleSync() }, this.init.syncIntervalMs)
    if (this.init.bootstrap.length > 0) this.redialTimer = setInterval(() => { this.redialBootstrap() }, BOOTSTRAP_REDIAL_MS)
  }

  /**
   * libp2p's bootstrap module dials each bootstrap peer once, at start. A dial that fails (the peer is restarting,
   * the machine is busy) or a connection that drops would leave this node alone for good: re-dial every bootstrap
   * peer that is not connected, one dial per peer at a time.
   */
  private redialBootstrap (): void {
    const node = this.node
    if (node === undefined) return
    for (const addr of this.init.bootstrap) {
      let ma
      try { ma = multiaddr(addr) } catch { continue }
      const id = ma.getComponents().findLast((c) => c.code === CODE_P2P)?.value
      if (id === undefined || id === node.peerId.toString() || this.redialing.has(id)) continue
      const peer = peerIdFromString(id)
      if (node.getConnections(peer).length > 0) continue
      this.redialing.add(id)
      node.dial(ma, { signal: AbortSignal.timeout(STREAM_TIMEOUT_MS) })
        .catch((err: Error) => { this.logger.debug({ peer: id, err: err.message }, 'bootstrap re-dial failed') })
        .finally(() => { this.redialing.delete(id) })
    }
  }

  async stop (): Promise<void> {
    const node = this.node
    if (node === undefined) return
    clearInterval(this.timer)
    clearInterval(this.redialTimer)
    this.node = undefined
    await this.syncing?.catch(() => undefined)
    await node.stop()
  }

  isStarted (): boolean {
    return this.node !== undefined
  }

  multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map((a) => a.toString())
  }

  peers (): PeerView[] {
    const connected = new Set(this.libp2p.getPeers().map((p) => p.toString()))
    const ids = new Set([...connected, ...this.table.keys()])
    return [...ids].map((id) => {
      const state = this.state(id)
      const addresses = this.libp2p.getConnections(peerIdFromString(id)).map((c) => c.remoteAddr.toString())
      return { id, addresses, lastSeen: state.lastSeen, score: state.score, connected: connected.has(id) }
    }).sort((a, b) => a.id.localeCompare(b.id))
  }

  holdersFor (ual: string): string[] {
    return closestPeers(ual, this.shardMembers(), this.init.replicationFactor)
  }

  /** This node and its connected peers in good standing: the set shards are computed over. */
  private shardMembers (): string[] {
    const candidates = this.libp2p.getPeers().map((p) => p.toString()).filter((id) => this.state(id).score > 0)
    return [this.peerId, ...candidates]
  }

  private state (peer: string): PeerState {
    let s = this.table.get(peer)
    if (s === undefined) {
      s = { score: INITIAL_SCORE, lastSeen: null }
      this.table.set(peer, s)
    }
    return s
  }

  private touch (peer: string): void {
    this.state(peer).lastSeen = new Date().toISOString()
  }

  private penalize (peer: string, amount: number, reason: string): void {
    const s = this.state(peer)
    s.score -= amount
    this.logger.warn({ peer, reason, score: s.score }, 'peer penalized')
  }

  /**
   * Ask the DHT for the peers closest to ourselves; every answer is dialled (peer:discovery above). Run after each
   * new connection, coalesced, so a node bootstrapped to one peer meets the rest of a small network in seconds.
   */
  private scheduleDiscovery (): void {
    if (this.discovering || this.node === undefined) return
    this.discovering = true
    const node = this.node
    setTimeout(() => {
      void (async () => {
        try {
          for await (const peer of node.peerRouting.getClosestPeers(node.peerId.toMultihash().bytes, { signal: AbortSignal.timeout(STREAM_TIMEOUT_MS) })) {
            if (!peer.id.equals(node.peerId) && node.getConnections(peer.id).length === 0) {
              await node.dial(peer.id).catch(() => undefined)
            }
          }
        } catch (err) {
          this.logger.debug({ err: (err as Error).message }, 'peer discovery query ended')
        } finally {
          this.discovering = false
        }
      })()
    }, DISCOVERY_DELAY_MS)
  }

  // ── serving ─────────────────────────────────────────────────────────────────────────────────────────────────

  private async onStream (stream: Stream, connection: Connection): Promise<void> {
    const peer = connection.remotePeer.toString()
    const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
    const lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES })
    try {
      const request = decodeRequest((await lp.read({ signal })).subarray())
      this.touch(peer)
      const response = await this.answer(request, peer)
      await lp.write(encode(response), { signal })
      await stream.close({ signal })
    } catch (err) {
      // Anything a peer sent that does not verify: reset the stream, say why in the log, trust the peer less.
      const reason = err instanceof Error ? err.message : String(err)
      this.penalize(peer, PENALTY_INVALID, reason)
      stream.abort(err instanceof Error ? err : new Error(reason))
    }
  }

  private async answer (request: Request, peer: string): Promise<Response> {
    const { assets, store } = this.components
    switch (request.type) {
      case 'push': {
        // Verified exactly as a publish is: re-canonicalization, root, signature, anchor, chain. Throws on any fault.
        const [result] = await assets.importBundles([request.bundle])
        if (result.error !== undefined) throw result.error
        const latest = request.bundle.versions[request.bundle.versions.length - 1]
        return { v: PROTOCOL_VERSION, type: 'receipt', receipt: this.signReceipt(request.bundle.ual, latest.version, latest.root) }
      }
      case 'fetch': {
        const bundles: AssetBundle[] = []
        const missing: string[] = []
        for (const ual of request.uals) {
          if (store.getAsset(ual) === undefined) missing.push(ual)
          else bundles.push(assets.bundle(ual))
        }
        return { v: PROTOCOL_VERSION, type: 'bundles', bundles, missing }
      }
      case 'sync': {
        const limit = Math.min(request.limit, SYNC_PAGE_SIZE)
        const page = store.listVersionsPage(request.after, limit + 1)
        const items: SyncItem[] = page.slice(0, limit).map((v) => ({ seq: v.id, ual: v.ual, version: v.version, root: v.root }))
        return { v: PROTOCOL_VERSION, type: 'versions', items, next: page.length > limit ? items[items.length - 1].seq : null }
      }
    }
  }

  private signReceipt (ual: string, version: number, root: string): Receipt {
    const unsigned = { ual, version, root, peer: this.peerId, time: new Date().toISOString() }
    const { nodeSigner } = this.components
    return { ...unsigned, node: nodeSigner.address, signature: toHex(nodeSigner.sign(receiptMessage(unsigned))) }
  }

  // ── asking ──────────────────────────────────────────────────────────────────────────────────────────────────

  private async request (peer: string, message: Request): Promise<Response> {
    const signal = AbortSignal.timeout(STREAM_TIMEOUT_MS)
    let stream: Stream
    try {
      stream = await this.libp2p.dialProtocol(peerIdFromString(peer), REPLICATE_PROTOCOL, { signal })
    } catch (err) {
      this.penalize(peer, PENALTY_UNREACHABLE, `dial failed: ${(err as Error).message}`)
      throw new CairnError('NET_PEER_UNREACHABLE', `network: cannot reach ${peer}: ${(err as Error).message}`, { cause: err })
    }
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES })
      await lp.write(encode(message), { signal })
      const response = decodeResponse((await lp.read({ signal })).subarray())
      await stream.close({ signal })
      this.touch(peer)
      return response
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      if (isCairnError(err)) throw err
      const timedOut = signal.aborted
      throw new CairnError(timedOut ? 'NET_TIMEOUT' : 'NET_PROTOCOL', `network: ${peer} ${timedOut ? 'did not answer in time' : `refused or reset the exchange: ${(err as Error).message}`}`, { cause: err })
    }
  }

  replicate (ual: string): ReplicationJob {
    const latest = this.components.store.getVersion(ual)
    if (latest === undefined) throw new CairnError('ASSET_NOT_FOUND', `replicate: no asset ${ual} on this node`, { details: { ual } })
    const holders = this.holdersFor(ual)
    const self = this.peerId
    const remote = holders.filter((p) => p !== self)
    // Built only when someone is to receive it: reading every version back costs more than the publish itself.
    const bundle = remote.length > 0 ? this.components.assets.bundle(ual) : undefined
    const versionId = latest.id
    const receipts: Receipt[] = holders.includes(self) ? [this.signReceipt(ual, latest.version, latest.root)] : []
    const failed: ReplicationStatus['failed'] = []
    const status = (): ReplicationStatus => ({
      ual, version: latest.version, holders, receipts: [...receipts], replicated: receipts.length, factor: this.init.replicationFactor, failed: [...failed], done: receipts.length + failed.length >= holders.length
    })
    const waiters: Array<() => void> = []
    const settle = (): void => { for (const w of waiters.splice(0)) w() }
    for (const peer of remote) {
      void this.request(peer, { v: PROTOCOL_VERSION, type: 'push', bundle: bundle as AssetBundle }).then((response) => {
        if (response.type !== 'receipt') throw new CairnError('NET_PROTOCOL', `network: ${peer} answered ${response.type === 'error' ? response.message : response.type}`)
        const r = response.receipt
        if (!verifyReceipt(r) || r.peer !== peer || r.ual !== ual || r.version !== latest.version || r.root !== latest.root) {
          this.penalize(peer, PENALTY_INVALID, 'invalid receipt')
          throw new CairnError('NET_PROTOCOL', `network: ${peer} sent an invalid receipt`)
        }
        receipts.push(r)
        this.components.store.addReceipt(versionId, r)
      }).catch((err: unknown) => {
        failed.push({ peer, reason: err instanceof Error ? err.message : String(err) })
        this.logger.warn({ peer, ual, err: (err as Error).message }, 'replication push failed')
      }).finally(settle)
    }
    return {
      status,
      wait: async (min, timeoutMs) => {
        const deadline = Date.now() + timeoutMs
        while (status().replicated < min && !status().done && Date.now() < deadline) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, deadline - Date.now())
            waiters.push(() => { clearTimeout(timer); resolve() })
          })
        }
        return status()
      }
    }
  }

  async fetch (ual: string): Promise<{ bundle: AssetBundle, peer: string }> {
    const self = this.peerId
    const holders = this.holdersFor(ual).filter((p) => p !== self)
    const others = this.libp2p.getPeers().map((p) => p.toString()).filter((p) => !holders.includes(p))
    const reasons: string[] = []
    for (const peer of [...holders, ...others]) {
      try {
        const response = await this.request(peer, { v: PROTOCOL_VERSION, type: 'fetch', uals: [ual] })
        if (response.type !== 'bundles' || response.bundles.length !== 1) { reasons.push(`${peer}: does not hold it`); continue }
        const bundle = response.bundles[0]
        if (bundle.ual !== ual) throw new CairnError('NET_PROTOCOL', `sent ${bundle.ual} for ${ual}`)
        const [result] = await this.components.assets.importBundles([bundle])
        if (result.error !== undefined) {
          this.penalize(peer, PENALTY_INVALID, `bundle for ${ual} did not verify: ${(result.error as Error).message}`)
          reasons.push(`${peer}: ${(result.error as Error).message}`)
          continue
        }
        return { bundle, peer }
      } catch (err) {
        reasons.push(`${peer}: ${(err as Error).message}`)
      }
    }
    throw new CairnError('ASSET_NOT_FOUND', `no asset ${ual} on this node, and no peer had a verifiable copy${reasons.length > 0 ? ` (${reasons.slice(0, 5).join('; ')})` : ' (no peers connected)'}`, { details: { ual, tried: reasons.length } })
  }

  async fetchBundles (peer: string, uals: string[]): Promise<{ bundles: AssetBundle[], missing: string[] }> {
    const bundles: AssetBundle[] = []
    const missing: string[] = []
    for (let i = 0; i < uals.length; i += MAX_FETCH_UALS) {
      const response = await this.request(peer, { v: PROTOCOL_VERSION, type: 'fetch', uals: uals.slice(i, i + MAX_FETCH_UALS) })
      if (response.type !== 'bundles') throw new CairnError('NET_PROTOCOL', `network: ${peer} answered ${response.type} to fetch`)
      bundles.push(...response.bundles)
      missing.push(...response.missing)
    }
    return { bundles, missing }
  }

  // ── anti-entropy ────────────────────────────────────────────────────────────────────────────────────────────

  syncStatus (): SyncReport {
    return structuredClone(this.report)
  }

  private scheduleSync (): void {
    if (this.syncing !== undefined || this.node === undefined) return
    this.sync().catch((err: unknown) => { this.logger.error({ err }, 'sync round failed') })
  }

  /**
   * One round at a time: a round asked for while another runs (`POST /sync` during the round a new connection
   * started) waits for it and then runs. Two concurrent rounds would fetch and import the same versions and the
   * later one's report would overwrite the other's counts.
   */
  async sync (): Promise<SyncReport> {
    while (this.syncing !== undefined) await this.syncing
    const round = this.syncRound()
    const tracked: Promise<SyncReport> = round.catch(() => this.report)
    this.syncing = tracked
    // Registered before any waiter's await on `tracked`, so it runs first and a waiter sees the slot free.
    void tracked.finally(() => { if (this.syncing === tracked) this.syncing = undefined })
    return await round
  }

  /**
   * Page through each connected peer's commit log from the cursor kept for it, fetch the versions this node should
   * hold and lacks (batched), verify and store them. The cursor only moves past pages fully handled; what could
   * not be fetched or verified is listed in `missing` and the report is not `complete`.
   */
  private async syncRound (): Promise<SyncReport> {
    const { store, assets } = this.components
    const peers = this.libp2p.getPeers()
    // With no peer there is nothing to compare against: such a round cannot say the node is caught up.
    const report: SyncReport = { complete: peers.length > 0, startedAt: new Date().toISOString(), finishedAt: null, synced: this.report.synced, peers: [], missing: [] }
    for (const peerId of peers) {
      const peer = peerId.toString()
      const key = `sync.cursor.${peer}`
      let cursor = Number(store.getMeta(key) ?? 0)
      const entry: SyncReport['peers'][number] = { peer, cursor, pages: 0 }
      report.peers.push(entry)
      try {
        for (;;) {
          const response = await this.request(peer, { v: PROTOCOL_VERSION, type: 'sync', after: cursor, limit: SYNC_PAGE_SIZE })
          if (response.type !== 'versions') throw new CairnError('NET_PROTOCOL', `network: ${peer} answered ${response.type} to sync`)
          entry.pages++
          // One peer set per page: the shard of each of up to 500 items is computed against the same members.
          const members = this.shardMembers()
          const self = this.peerId
          const wanted = response.items.filter((item) => closestPeers(item.ual, members, this.init.replicationFactor).includes(self) &&
            store.getVersion(item.ual, item.version)?.root !== item.root)
          const uals = [...new Set(wanted.map((w) => w.ual))]
          const missedBefore = report.missing.length
          const batches: string[][] = []
          for (let i = 0; i < uals.length; i += MAX_FETCH_UALS) batches.push(uals.slice(i, i + MAX_FETCH_UALS))
          // A few fetches in flight: the peer reads out the next bundles while this node verifies the last ones.
          await eachBounded(batches, SYNC_FETCH_CONCURRENCY, async (batch) => {
            const fetched = await this.request(peer, { v: PROTOCOL_VERSION, type: 'fetch', uals: batch })
            if (fetched.type !== 'bundles') throw new CairnError('NET_PROTOCOL', `network: ${peer} answered ${fetched.type} to fetch`)
            const results = await assets.importBundles(fetched.bundles.filter((b) => batch.includes(b.ual)))
            const stored = new Map(results.map((r) => [r.ual, r]))
            for (const item of wanted.filter((w) => batch.includes(w.ual))) {
              const r = stored.get(item.ual)
              if (r === undefined) report.missing.push({ ual: item.ual, version: item.version, peer, reason: 'peer did not send it' })
              else if (r.error !== undefined) report.missing.push({ ual: item.ual, version: item.version, peer, reason: (r.error as Error).message })
              else if (store.getVersion(item.ual, item.version)?.root !== item.root) {
                // The bundle verified but does not hold the version (or root) the peer's log listed.
                report.missing.push({ ual: item.ual, version: item.version, peer, reason: `the bundle sent lacks version ${item.version} with root ${item.root}` })
              }
            }
            const bad = results.filter((r) => r.error !== undefined)
            if (bad.length > 0) this.penalize(peer, PENALTY_INVALID, `${bad.length} bundle(s) failed verification during sync`)
            report.synced += results.reduce((n, r) => n + r.stored, 0)
          })
          // Resume next round at the first version that could not be had, so nothing is skipped for good.
          const missed = report.missing.slice(missedBefore).map((m) => wanted.find((w) => w.ual === m.ual && w.version === m.version)?.seq ?? Infinity)
          const firstMissed = Math.min(...missed)
          if (Number.isFinite(firstMissed)) cursor = firstMissed - 1
          else if (response.items.length > 0) cursor = response.items[response.items.length - 1].seq
          store.setMeta(key, String(cursor))
          entry.cursor = cursor
          if (response.next === null || Number.isFinite(firstMissed)) break
          if (entry.pages >= MAX_PAGES_PER_ROUND) {
            report.complete = false
            entry.error = `stopped after ${MAX_PAGES_PER_ROUND} pages; the next round resumes at ${cursor}`
            break
          }
        }
      } catch (err) {
        report.complete = false
        entry.error = (err as Error).message
      }
    }
    if (report.missing.length > 0) report.complete = false
    report.finishedAt = new Date().toISOString()
    this.report = report
    this.logger.info({ synced: report.synced, missing: report.missing.length, complete: report.complete, peers: report.peers.length }, 'sync round finished')
    return report
  }
}

/** Run `fn` over `items` with at most `limit` calls in flight; waits for every call, then throws the first error. */
async function eachBounded<T> (items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const errors: unknown[] = []
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && errors.length === 0) {
      const item = items[next++]
      try {
        await fn(item)
      } catch (err) {
        errors.push(err)
      }
    }
  }))
  if (errors.length > 0) throw errors[0]
}
