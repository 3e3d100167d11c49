// libp2p 3 needs Promise.withResolvers, which Node 20 lacks: install it before anything loads libp2p.
import '../../src/network/polyfill.js'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { keysReady, signerFromSeed } from '../../src/asset/index.js'
import type { PublishResult } from '../../src/asset/index.js'
import type { ReplicationView } from '../../src/api/routes/assets.js'
import type { ConfigInput } from '../../src/config.js'
import type { PeerView, SyncReport } from '../../src/network/index.js'
import { INITIAL_SCORE, MAX_FRAME_BYTES, PENALTY_INVALID } from '../../src/network/constants.js'
import { encode } from '../../src/network/messages.js'
import type { Request, SyncItem } from '../../src/network/messages.js'
import { ReplicationNetwork } from '../../src/network/replication-network.js'
import { claimMessage, proofReady, toHex, verifyBundle, verifyReceipt } from '../../src/proof/index.js'
import type { AssetBundle } from '../../src/proof/index.js'
import { startTestNode, tempDir } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'
import { EMPTY_PEER, startRawPeer, varint, waitFor } from '../helpers/p2p.js'
import type { Behaviour, RawPeer } from '../helpers/p2p.js'

const LOOPBACK = /^\/ip4\/127\.0\.0\.1\/tcp\/\d+/
/** A networked in-process node: light (no prepare workers, one SPARQL replica), loopback only, sync on demand. */
const P2P: Partial<ConfigInput> = { workers: 0, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], syncIntervalMs: 0 }

const net = (t: TestNode): ReplicationNetwork => t.node.components.network as ReplicationNetwork
const addrOf = (t: TestNode): string => net(t).multiaddrs()[0]
const peerOf = (t: TestNode, id: string): PeerView | undefined => net(t).peers().find((p) => p.id === id)
const versions = (t: TestNode): number => t.node.components.store.stats().versions

async function publish (t: TestNode, turtle: string, query = ''): Promise<Array<PublishResult & { replication?: ReplicationView }>> {
  const res = await fetch(`${t.url}/assets${query}`, { method: 'POST', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${t.token}` }, body: turtle })
  expect(res.status, await res.clone().text()).toBeLessThan(300)
  return (await res.json() as { assets: Array<PublishResult & { replication?: ReplicationView }> }).assets
}

const turtle = (name: string): string => `@prefix s: <https://schema.org/> .\n<https://ex.org/${encodeURIComponent(name)}> a s:Person ; s:name "${name}" ; s:knows [ s:name "friend of ${name}" ] .`

/** A scripted peer's commit log and bundles, taken from a standalone node: answers sync pages and fetches from it. */
function servingFrom (source: TestNode, tamper: (bundle: AssetBundle) => AssetBundle = (b) => b): Behaviour {
  const { store, assets } = source.node.components
  return (request: Request) => {
    if (request.type === 'sync') {
      const page = store.listVersionsPage(request.after, request.limit + 1)
      const items: SyncItem[] = page.slice(0, request.limit).map((v) => ({ seq: v.id, ual: v.ual, version: v.version, root: v.root }))
      return { v: 1, type: 'versions', items, next: page.length > request.limit ? items[items.length - 1].seq : null }
    }
    if (request.type === 'fetch') {
      const have = request.uals.filter((u) => store.getAsset(u) !== undefined)
      return { v: 1, type: 'bundles', bundles: have.map((u) => tamper(assets.bundle(u))), missing: request.uals.filter((u) => !have.includes(u)) }
    }
    return 'reset'
  }
}

/** A copy of the bundle with one literal of version `v` changed (lines kept sorted so only the root disagrees). */
function withModifiedLine (bundle: AssetBundle, v = 0): AssetBundle {
  const copy = structuredClone(bundle)
  const lines = copy.versions[v].lines
  const i = lines.findIndex((l) => l.includes('"'))
  lines[i] = lines[i].replace(/"([^"]*)"/, '"$1 (tampered)"')
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return copy
}

describe('ReplicationNetwork lifecycle (Startable)', () => {
  let source: TestNode
  beforeAll(async () => { source = await startTestNode({ p2p: false, workers: 0, sparqlReplicas: 1 }) })
  afterAll(async () => { await source?.close() })

  it('stop before start is a no-op; start twice keeps one node; stop twice; a restart keeps the peer id', async () => {
    const { assets, store, nodeSigner } = source.node.components
    const dir = tempDir('cairn-net-')
    const network = new ReplicationNetwork({ listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [], peerKeyPath: join(dir, 'peer-key'), syncIntervalMs: 0 },
      { assets, store, nodeSigner, logger: pino({ level: 'silent' }) })
    expect(network.isStarted()).toBe(false)
    await network.stop()
    expect(() => network.peerId).toThrow(/not started/)
    await network.start()
    const id = network.peerId
    const addrs = network.multiaddrs()
    await network.start()
    expect(network.peerId).toBe(id)
    expect(network.multiaddrs()).toEqual(addrs)
    expect(addrs.length).toBeGreaterThan(0)
    for (const a of addrs) expect(a).toMatch(LOOPBACK)
    expect(network.peers()).toEqual([])
    expect(network.holdersFor('did:cairn:local/x/y')).toEqual([id])
    // Alone, a node has nothing to compare against: a round never claims it is caught up.
    const alone = await network.sync()
    expect(alone).toMatchObject({ complete: false, peers: [], missing: [], synced: 0 })
    expect(network.syncStatus()).toEqual(alone)
    await network.stop()
    await network.stop()
    expect(network.isStarted()).toBe(false)
    await network.start()
    expect(network.peerId).toBe(id)
    await network.stop()
  })
})

describe('AssetService.importBundles', () => {
  let source: TestNode
  let sink: TestNode
  beforeAll(async () => {
    [source, sink] = await Promise.all([startTestNode({ p2p: false, workers: 0, sparqlReplicas: 1 }), startTestNode({ p2p: false, workers: 2, sparqlReplicas: 1 })])
  })
  afterAll(async () => { await Promise.all([source?.close(), sink?.close()]) })

  it('verifies every bundle, then commits the good ones in one group; a tampered one fails alone', async () => {
    const published = await Promise.all(Array.from({ length: 8 }, async (_, i) => (await source.node.components.assets.publishRdf({ text: turtle(`import-${i}`), format: 'turtle' }))[0]))
    const bundles = published.map((r) => source.node.components.assets.bundle(r.ual))
    bundles[3].versions[0].lines = bundles[3].versions[0].lines.map((l) => l.replace('import-3', 'import-X'))
    // Count the sink's outermost store transactions: one per group commit.
    const { store } = sink.node.components
    const transaction = store.transaction.bind(store)
    let depth = 0
    let groups = 0
    store.transaction = <T>(fn: () => T): T => {
      if (depth === 0) groups++
      depth++
      try { return transaction(fn) } finally { depth-- }
    }
    try {
      const results = await sink.node.components.assets.importBundles(bundles)
      expect(results.map((r) => r.stored)).toEqual([1, 1, 1, 0, 1, 1, 1, 1])
      expect(results[3].error?.code).toBe('CAIRN_PROOF_ROOT_MISMATCH')
      expect(results[3].error?.message).toMatch(/does not verify/)
      expect(groups).toBe(1)
    } finally {
      store.transaction = transaction
    }
    expect(store.getAsset(published[3].ual)).toBeUndefined()
    expect(store.getAsset(published[4].ual)?.currentVersion).toBe(1)
  })
})

describe('replication between nodes (real libp2p on 127.0.0.1, in-process nodes)', { timeout: 60_000 }, () => {
  let a: TestNode
  let b: TestNode
  beforeAll(async () => {
    await Promise.all([proofReady(), keysReady()])
    a = await startTestNode({ ...P2P, replicationFactor: 3 })
    b = await startTestNode({ ...P2P, replicationFactor: 3, bootstrap: [addrOf(a)] })
    await waitFor('b to connect to a', () => peerOf(a, net(b).peerId)?.connected === true && peerOf(b, net(a).peerId)?.connected === true, 15_000, 50)
  })
  afterAll(async () => { await Promise.all([a?.close(), b?.close()]) })

  it('GET /peers/self and GET /peers: ids, loopback addresses, last seen, scores', async () => {
    const self = await (await fetch(`${a.url}/peers/self`)).json() as { peerId: string, multiaddrs: string[] }
    expect(self.peerId).toBe(net(a).peerId)
    expect(self.multiaddrs.length).toBeGreaterThan(0)
    for (const m of self.multiaddrs) expect(m).toMatch(LOOPBACK)
    const table = await (await fetch(`${a.url}/peers`)).json() as { self: string, peers: PeerView[] }
    expect(table.self).toBe(self.peerId)
    const entry = table.peers.find((p) => p.id === net(b).peerId)
    expect(entry).toMatchObject({ connected: true, score: INITIAL_SCORE })
    expect(Date.parse(entry?.lastSeen ?? '')).not.toBeNaN()
    for (const addr of entry?.addresses ?? []) expect(addr).toMatch(LOOPBACK)
  })

  it('R = 3 with only 2 nodes: the publish answers at once, honestly — replicated 2, met false', async () => {
    const t0 = Date.now()
    const [r] = await publish(a, turtle('honest-r3'), '?minReplications=3&replicationTimeoutMs=20000')
    const elapsed = Date.now() - t0
    expect(r.status).toBe('created')
    const rep = r.replication!
    expect(rep).toMatchObject({ requested: 3, factor: 3, replicated: 2, met: false, done: true, failed: [] })
    expect(new Set(rep.holders)).toEqual(new Set([net(a).peerId, net(b).peerId]))
    // Done (every holder answered): no reason to sit out the 20 s timeout.
    expect(elapsed).toBeLessThan(10_000)
    for (const receipt of rep.receipts) expect(verifyReceipt(receipt)).toBe(true)
    expect(rep.receipts.map((x) => x.peer).sort()).toEqual([net(a).peerId, net(b).peerId].sort())
    // The replica on b is the same, verified asset; a lists b's receipt and names it in Cairn-Holders.
    const onB = await (await fetch(`${b.url}/assets/${encodeURIComponent(r.ual)}/verify`)).json() as { ok: boolean }
    expect(onB.ok).toBe(true)
    const history = await (await fetch(`${a.url}/assets/${encodeURIComponent(r.ual)}/history`)).json() as { versions: Array<{ receipts: Array<{ peer: string }> }> }
    expect(history.versions[0].receipts.map((x) => x.peer)).toEqual([net(b).peerId])
    const got = await fetch(`${a.url}/assets/${encodeURIComponent(r.ual)}`)
    expect(got.headers.get('cairn-holders')?.split(', ').sort()).toEqual([net(a).peerId, net(b).peerId].sort())
  })

  it('minReplications = 2 is met; without minReplications the publish does not wait but reports the job', async () => {
    const [met] = await publish(a, turtle('met-2'), '?minReplications=2&replicationTimeoutMs=10000')
    expect(met.replication).toMatchObject({ requested: 2, replicated: 2, met: true })
    const [quick] = await publish(a, turtle('no-wait'))
    expect(quick.replication).toMatchObject({ requested: 0, met: true })
    expect(quick.replication!.holders).toHaveLength(2)
    await waitFor('the background push to reach b', () => b.node.components.store.getAsset(quick.ual) !== undefined, 10_000, 50)
  })

  it('a holder that never answers: the publish waits replicationTimeoutMs and says met false with what came', async () => {
    const silent = await startRawPeer((request, peer) => request.type === 'push' ? 'hang' : EMPTY_PEER(request, peer))
    try {
      await silent.node.dial((await import('@multiformats/multiaddr')).multiaddr(addrOf(a)))
      await waitFor('a to see the silent peer', () => peerOf(a, silent.peerId)?.connected === true, 10_000, 50)
      const t0 = Date.now()
      const [r] = await publish(a, turtle('silent-holder'), '?minReplications=3&replicationTimeoutMs=1500')
      const elapsed = Date.now() - t0
      expect(r.replication!.holders).toContain(silent.peerId)
      expect(r.replication).toMatchObject({ requested: 3, replicated: 2, met: false, done: false })
      expect(elapsed).toBeGreaterThanOrEqual(1400)
      expect(elapsed).toBeLessThan(8000)
      expect(silent.received.some((m) => m.type === 'push')).toBe(true)
    } finally {
      await silent.stop()
    }
    await waitFor('a to drop the silent peer', () => peerOf(a, silent.peerId)?.connected !== true, 10_000, 50)
  })

  it('fetch on miss: a node that lacks an asset gets it from a peer, verified, and names the source', async () => {
    // Published on a standalone node c, pushed by hand to a only: b lacks it and must fetch it from a.
    const c = await startTestNode({ p2p: false, workers: 0, sparqlReplicas: 1 })
    try {
      const [r] = await c.node.components.assets.publishRdf({ text: turtle('fetched'), format: 'turtle' })
      const [imported] = await a.node.components.assets.importBundles([c.node.components.assets.bundle(r.ual)])
      expect(imported.stored).toBe(1)
      expect(b.node.components.store.getAsset(r.ual)).toBeUndefined()
      const res = await fetch(`${b.url}/assets/${encodeURIComponent(r.ual)}?format=nquads`)
      expect(res.status).toBe(200)
      expect(res.headers.get('cairn-source-peer')).toBe(net(a).peerId)
      expect(await res.text()).toContain('friend of fetched')
      const bundle = await (await fetch(`${b.url}/assets/${encodeURIComponent(r.ual)}/bundle`)).json() as AssetBundle
      expect(verifyBundle(bundle).ok).toBe(true)
      expect(bundle).toEqual(c.node.components.assets.bundle(r.ual))
      // Cached: the next read is local (no source peer header).
      const again = await fetch(`${b.url}/assets/${encodeURIComponent(r.ual)}`)
      expect(again.headers.get('cairn-source-peer')).toBeNull()
      // Nobody has this one: 404 with the reasons, after asking every peer.
      const nowhere = r.ual.replace(/[0-9a-f]{8}$/, '00000000')
      const miss = await fetch(`${b.url}/assets/${encodeURIComponent(nowhere)}`)
      expect(miss.status).toBe(404)
      expect((await miss.json() as { code: string }).code).toBe('CAIRN_ASSET_NOT_FOUND')
    } finally {
      await c.close()
    }
  })
})

describe('a malicious peer speaking /cairn/replicate/1.0.0 by hand', { timeout: 60_000 }, () => {
  let victim: TestNode
  let source: TestNode
  let attacker: RawPeer
  let good: AssetBundle
  let ual: string

  beforeAll(async () => {
    await Promise.all([proofReady(), keysReady()])
    victim = await startTestNode({ ...P2P, replicationFactor: 2 })
    // Valid bundles to tamper with come from a standalone node the victim never meets.
    source = await startTestNode({ p2p: false, workers: 0, sparqlReplicas: 1 })
    const [r] = await source.node.components.assets.publishRdf({ text: turtle('Alice'), format: 'turtle' })
    ual = r.ual
    good = source.node.components.assets.bundle(ual)
    attacker = await startRawPeer()
    await attacker.node.dial((await import('@multiformats/multiaddr')).multiaddr(addrOf(victim)))
    await waitFor('the victim to see the attacker', () => peerOf(victim, attacker.peerId)?.connected === true, 10_000, 50)
    // The connection starts a sync round toward the attacker (an empty log): let it finish so scores are exact.
    await waitFor('the victim\'s first sync round', () => net(victim).syncStatus().peers.some((p) => p.peer === attacker.peerId), 10_000, 50)
  })
  afterAll(async () => { await Promise.all([victim?.close(), source?.close(), attacker?.stop()]) })

  let penalties = 0
  /** Each attack: the attacker's stream is reset, nothing is stored, the attacker's score drops by PENALTY_INVALID. */
  async function expectRejected (result: { response?: unknown, error?: Error }): Promise<void> {
    expect(result.response, JSON.stringify(result.response)).toBeUndefined()
    expect(result.error).toBeInstanceOf(Error)
    expect(result.error?.name).toBe('StreamResetError')
    penalties++
    await waitFor('the penalty', () => peerOf(victim, attacker.peerId)?.score === INITIAL_SCORE - penalties * PENALTY_INVALID, 5000, 20)
    expect(versions(victim)).toBe(0)
    expect(victim.node.components.store.getAsset(ual)).toBeUndefined()
  }

  it('(a) a push whose bundle has a modified triple: reset, nothing stored, score lowered', async () => {
    const tampered = withModifiedLine(good)
    expect(verifyBundle(tampered).versions[0].code).toBe('PROOF_ROOT_MISMATCH')
    await expectRejected(await attacker.send(addrOf(victim), { v: 1, type: 'push', bundle: tampered }))
  })

  it('(b) a push with a forged signature (the claim signed by another key): reset, nothing stored', async () => {
    const mallory = signerFromSeed(randomBytes(32))
    const forged = structuredClone(good)
    const v = forged.versions[0]
    v.signature = toHex(mallory.sign(claimMessage({ ual: forged.ual, version: v.version, root: v.root, previousRoot: v.previousRoot, timestamp: v.timestamp })))
    expect(verifyBundle(forged).versions[0].code).toBe('PROOF_BAD_SIGNATURE')
    await expectRejected(await attacker.send(addrOf(victim), { v: 1, type: 'push', bundle: forged }))
  })

  it('(b\') a modified triple re-rooted and re-signed by the attacker under the real publisher: reset', async () => {
    const mallory = signerFromSeed(randomBytes(32))
    const forged = withModifiedLine(good)
    const { merkleRoot, leafHash } = await import('../../src/proof/index.js')
    const v = forged.versions[0]
    v.root = toHex(merkleRoot(v.lines.map(leafHash)))
    v.signature = toHex(mallory.sign(claimMessage({ ual: forged.ual, version: 1, root: v.root, previousRoot: null, timestamp: v.timestamp })))
    expect(verifyBundle(forged).ok).toBe(false)
    await expectRejected(await attacker.send(addrOf(victim), { v: 1, type: 'push', bundle: forged }))
  })

  it('(c) a frame over MAX_FRAME_BYTES: reset on the length prefix, before the body is read', async () => {
    const result = await attacker.exchange(addrOf(victim), async (_lp, stream) => {
      // The length prefix claims MAX_FRAME_BYTES + 1; the victim must refuse without waiting for 32 MiB.
      stream.send(varint(MAX_FRAME_BYTES + 1))
      stream.send(encode({ v: 1, type: 'push', bundle: good }))
    })
    await expectRejected(result)
  })

  it('(d) a frame that is not JSON, and JSON of the wrong shape: reset', async () => {
    await expectRejected(await attacker.send(addrOf(victim), new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')))
    await expectRejected(await attacker.send(addrOf(victim), Uint8Array.from([0xc3, 0x28, 0xff])))
    await expectRejected(await attacker.send(addrOf(victim), new TextEncoder().encode('[1,2,3]')))
    await expectRejected(await attacker.send(addrOf(victim), new TextEncoder().encode(JSON.stringify({ v: 1, type: 'push' }))))
    await expectRejected(await attacker.send(addrOf(victim), new TextEncoder().encode(JSON.stringify({ v: 1, type: 'gimme', uals: [ual] }))))
  })

  it('(e) protocol version 2: reset', async () => {
    await expectRejected(await attacker.send(addrOf(victim), new TextEncoder().encode(JSON.stringify({ v: 2, type: 'push', bundle: good }))))
    await expectRejected(await attacker.send(addrOf(victim), new TextEncoder().encode(JSON.stringify({ v: 2, type: 'sync', after: 0, limit: 1 }))))
  })

  it('the victim stored nothing, lists the attacker with a lowered score, and no longer picks it as a holder', async () => {
    expect(versions(victim)).toBe(0)
    const miss = await fetch(`${victim.url}/assets/${encodeURIComponent(ual)}`)
    expect(miss.status).toBe(404)
    const table = await (await fetch(`${victim.url}/peers`)).json() as { peers: PeerView[] }
    const entry = table.peers.find((p) => p.id === attacker.peerId)
    expect(entry?.score).toBeLessThanOrEqual(INITIAL_SCORE - penalties * PENALTY_INVALID)
    expect(entry?.score).toBeLessThanOrEqual(0)
    expect(net(victim).holdersFor(ual)).toEqual([net(victim).peerId])
  })

  it('and keeps serving: HTTP answers, an honest push on the same channel gets a valid receipt, a real peer replicates', async () => {
    expect((await fetch(`${victim.url}/healthz`)).status).toBe(200)
    const honest = await attacker.send(addrOf(victim), { v: 1, type: 'push', bundle: good })
    expect(honest.error).toBeUndefined()
    expect(honest.response).toMatchObject({ v: 1, type: 'receipt', receipt: { ual, version: 1, root: good.versions[0].root, peer: net(victim).peerId } })
    expect(verifyReceipt((honest.response as { receipt: Parameters<typeof verifyReceipt>[0] }).receipt)).toBe(true)
    expect(victim.node.components.assets.verify(ual).ok).toBe(true)
    expect(await (await fetch(`${victim.url}/assets/${encodeURIComponent(ual)}/bundle`)).json()).toEqual(good)

    const peer = await startTestNode({ ...P2P, replicationFactor: 2, bootstrap: [addrOf(victim)] })
    try {
      await waitFor('a real peer to connect', () => peerOf(victim, net(peer).peerId)?.connected === true, 10_000, 50)
      const [r] = await publish(victim, turtle('after the attack'), '?minReplications=2&replicationTimeoutMs=10000')
      expect(r.replication).toMatchObject({ replicated: 2, met: true })
      expect(r.replication!.holders).not.toContain(attacker.peerId)
      expect(peer.node.components.assets.verify(r.ual).ok).toBe(true)
    } finally {
      await peer.close()
    }
  })
})

describe('catch-up (sync) from a scripted peer', { timeout: 60_000 }, () => {
  let victim: TestNode
  let source: TestNode
  let peer: RawPeer
  const uals: string[] = []
  const cursorKey = (): string => `sync.cursor.${peer.peerId}`

  beforeAll(async () => {
    await Promise.all([proofReady(), keysReady()])
    source = await startTestNode({ p2p: false, workers: 0, sparqlReplicas: 1 })
    const { assets } = source.node.components
    for (const name of ['one', 'two', 'three', 'four']) uals.push((await assets.publishRdf({ text: turtle(name), format: 'turtle' }))[0].ual)
    await assets.updateRdf(uals[3], { text: turtle('four, version 2'), format: 'turtle' })
    victim = await startTestNode({ ...P2P, replicationFactor: 3 })
    peer = await startRawPeer(EMPTY_PEER)
    await peer.node.dial((await import('@multiformats/multiaddr')).multiaddr(addrOf(victim)))
    await waitFor('the connect-time sync round', () => net(victim).syncStatus().peers.some((p) => p.peer === peer.peerId), 10_000, 50)
  })
  afterAll(async () => { await Promise.all([victim?.close(), source?.close(), peer?.stop()]) })
  afterEach(() => { peer.behave(EMPTY_PEER) })

  const log = (): SyncItem[] => source.node.components.store.listVersionsPage(0, 100).map((v) => ({ seq: v.id, ual: v.ual, version: v.version, root: v.root }))

  it('a tampered bundle and a bundle lacking a listed version show up in `missing`; never complete; the cursor stops before them', async () => {
    const items = log()
    expect(items).toHaveLength(5)
    peer.behave(servingFrom(source, (b) => {
      if (b.ual === uals[1]) return withModifiedLine(b)
      // Verifies on its own, but lacks the version 2 the log listed.
      if (b.ual === uals[3]) return { ...b, versions: b.versions.slice(0, 1) }
      return b
    }))
    const report: SyncReport = await net(victim).sync()
    expect(report.complete).toBe(false)
    const missing = report.missing.map((m) => [m.ual, m.version, m.peer])
    expect(missing).toEqual(expect.arrayContaining([[uals[1], 1, peer.peerId], [uals[3], 2, peer.peerId]]))
    expect(report.missing).toHaveLength(2)
    expect(report.missing.find((m) => m.ual === uals[1])?.reason).toMatch(/does not verify/)
    expect(report.missing.find((m) => m.ual === uals[3])?.reason).toMatch(/lacks version 2/)
    // What it stored is exactly what verified: one, three, four v1.
    expect(report.synced).toBe(3)
    const { store } = victim.node.components
    expect(store.getAsset(uals[1])).toBeUndefined()
    expect(store.getVersion(uals[3], 2)).toBeUndefined()
    for (const u of [uals[0], uals[2]]) expect(victim.node.components.assets.verify(u).ok).toBe(true)
    // Resumable: the cursor (persisted in meta) sits just before the first version it could not have.
    const seqOfTwo = items.find((i) => i.ual === uals[1])!.seq
    expect(store.getMeta(cursorKey())).toBe(String(seqOfTwo - 1))
    expect(report.peers.find((p) => p.peer === peer.peerId)?.cursor).toBe(seqOfTwo - 1)
    expect(peerOf(victim, peer.peerId)!.score).toBe(INITIAL_SCORE - PENALTY_INVALID)
    expect(net(victim).syncStatus()).toEqual(report)
    const status = await (await fetch(`${victim.url}/sync`)).json() as SyncReport
    expect(status).toEqual(report)
  })

  it('the next round resumes at the cursor and completes once the peer serves verifiable bundles', async () => {
    const items = log()
    const before = peer.received.length
    peer.behave(servingFrom(source))
    const res = await fetch(`${victim.url}/sync`, { method: 'POST', headers: { authorization: `Bearer ${victim.token}` } })
    expect(res.status).toBe(200)
    const report = await res.json() as SyncReport
    expect(report.missing).toEqual([])
    expect(report.complete).toBe(true)
    expect(report.synced).toBe(5)
    const firstSync = peer.received.slice(before).find((m) => m.type === 'sync') as Extract<Request, { type: 'sync' }>
    expect(firstSync.after).toBe(items.find((i) => i.ual === uals[1])!.seq - 1)
    for (const u of uals) expect(victim.node.components.assets.verify(u).ok).toBe(true)
    expect(victim.node.components.store.getMeta(cursorKey())).toBe(String(items[items.length - 1].seq))
    // Without the token, no round.
    expect((await fetch(`${victim.url}/sync`, { method: 'POST' })).status).toBe(401)
  })

  it('rounds never overlap: two at once fetch each asset once and the last report counts everything', async () => {
    const fresh = await startTestNode({ ...P2P, replicationFactor: 3 })
    const scripted = await startRawPeer(EMPTY_PEER)
    try {
      await scripted.node.dial((await import('@multiformats/multiaddr')).multiaddr(addrOf(fresh)))
      await waitFor('the connect-time round', () => net(fresh).syncStatus().peers.some((p) => p.peer === scripted.peerId), 10_000, 50)
      scripted.behave(servingFrom(source))
      const [first, second] = await Promise.all([net(fresh).sync(), net(fresh).sync()])
      expect(first.complete && second.complete).toBe(true)
      const fetched = scripted.received.flatMap((m) => m.type === 'fetch' ? m.uals : [])
      expect(fetched.sort()).toEqual([...uals].sort())
      expect(net(fresh).syncStatus().synced).toBe(5)
      expect(second.synced).toBe(5)
    } finally {
      await Promise.all([fresh.close(), scripted.stop()])
    }
  })

  it('the cursor survives a restart: the reconnected node asks only for what is after it', async () => {
    const cursor = victim.node.components.store.getMeta(cursorKey())
    victim = await victim.restart()
    expect(victim.node.components.store.getMeta(cursorKey())).toBe(cursor)
    const before = peer.received.length
    peer.behave(servingFrom(source))
    await peer.node.dial((await import('@multiformats/multiaddr')).multiaddr(addrOf(victim)))
    const request = await waitFor('a sync request after the restart', () => peer.received.slice(before).find((m) => m.type === 'sync') as Extract<Request, { type: 'sync' }> | undefined, 10_000, 50)
    expect(request.after).toBe(Number(cursor))
    const report = await net(victim).sync()
    expect(report).toMatchObject({ complete: true, synced: 0, missing: [] })
  })

  it('a tampered bundle on fetch-on-miss is refused: 404, nothing stored, the peer penalized', async () => {
    const c = await startTestNode({ p2p: false, workers: 0, sparqlReplicas: 1 })
    try {
      const [r] = await c.node.components.assets.publishRdf({ text: turtle('only on c'), format: 'turtle' })
      const bundle = c.node.components.assets.bundle(r.ual)
      const score = peerOf(victim, peer.peerId)!.score
      peer.behave((request) => request.type === 'fetch' ? { v: 1, type: 'bundles', bundles: [withModifiedLine(bundle)], missing: [] } : EMPTY_PEER(request, ''))
      const res = await fetch(`${victim.url}/assets/${encodeURIComponent(r.ual)}`)
      expect(res.status).toBe(404)
      expect((await res.json() as { detail: string }).detail).toMatch(/no peer had a verifiable copy/)
      expect(victim.node.components.store.getAsset(r.ual)).toBeUndefined()
      expect(peerOf(victim, peer.peerId)!.score).toBe(score - PENALTY_INVALID)
      peer.behave((request) => request.type === 'fetch' ? { v: 1, type: 'bundles', bundles: [bundle], missing: [] } : EMPTY_PEER(request, ''))
      const ok = await fetch(`${victim.url}/assets/${encodeURIComponent(r.ual)}/verify`)
      expect(ok.status).toBe(404)
      const got = await fetch(`${victim.url}/assets/${encodeURIComponent(r.ual)}`)
      expect(got.status).toBe(200)
      expect(got.headers.get('cairn-source-peer')).toBe(peer.peerId)
      expect(victim.node.components.assets.verify(r.ual).ok).toBe(true)
    } finally {
      await c.close()
    }
  })
})
