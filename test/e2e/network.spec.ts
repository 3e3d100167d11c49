/**
 * Five `cairn start` processes meshed over libp2p on 127.0.0.1 (R = 3, catch-up every second): replication to the
 * R closest peers, fetch on miss, the peers/sync CLI, a holder SIGKILLed and restarted that catches up, and two of
 * five killed with every asset still retrievable and verified from the survivors. Needs `npm run build` (npm test
 * builds first). Every wait is a bounded poll.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublishResult } from '../../src/asset/index.js'
import type { ReplicationView } from '../../src/api/routes/assets.js'
import type { PeerView, SyncReport } from '../../src/network/index.js'
import { closestPeers } from '../../src/network/sharding.js'
import { proofReady, verifyBundle, verifyReceipt } from '../../src/proof/index.js'
import type { AssetBundle, BundleReport } from '../../src/proof/index.js'
import { tempDir } from '../helpers/node.js'
import { freePort, spawnNode, waitFor } from '../helpers/p2p.js'
import type { ChildNode } from '../helpers/p2p.js'

const run = promisify(execFile)
const BIN = new URL('../../bin/cairn.js', import.meta.url).pathname
const R = 3
const N = 5
const LOOPBACK = /^\/ip4\/127\.0\.0\.1\/tcp\/\d+(\/p2p\/\w+)?$/

type Published = PublishResult & { replication?: ReplicationView }

const enc = encodeURIComponent
async function getJson<T> (url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(20_000) })
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`)
  return await res.json() as T
}
/** `count` graphs in one TriG body: one asset each. */
function trig (tag: string, count: number): string {
  const graphs = Array.from({ length: count }, (_, i) =>
    `<https://ex.org/g/${tag}/${i}> { <https://ex.org/${tag}/${i}> <https://schema.org/name> "${tag} ${i}" ; <https://schema.org/knows> [ <https://schema.org/name> "friend ${i}" ] . }`)
  return graphs.join('\n')
}
async function publish (node: ChildNode, token: string, body: string, query: string): Promise<Published[]> {
  const res = await fetch(`${node.url}/assets${query}`, { method: 'POST', headers: { 'content-type': 'application/trig', authorization: `Bearer ${token}` }, body, signal: AbortSignal.timeout(60_000) })
  if (res.status !== 201) throw new Error(`publish: ${res.status} ${await res.text()}`)
  return (await res.json() as { assets: Published[] }).assets
}
/** UALs this node holds locally (the list never fetches from peers). */
async function localUals (node: ChildNode): Promise<Set<string>> {
  const out = new Set<string>()
  let after: string | null = null
  for (let page = 0; page < 100; page++) {
    const body: { items: Array<{ ual: string }>, next: string | null } = await getJson(`${node.url}/assets?limit=1000${after === null ? '' : `&after=${enc(after)}`}`)
    for (const item of body.items) out.add(item.ual)
    after = body.next
    if (after === null) break
  }
  return out
}
async function connectedPeers (node: ChildNode): Promise<PeerView[]> {
  return (await getJson<{ peers: PeerView[] }>(`${node.url}/peers`)).peers.filter((p) => p.connected)
}

describe('five cairn processes on 127.0.0.1 (R = 3)', { timeout: 120_000 }, () => {
  const dir = tempDir('cairn-net-e2e-')
  const nodes: ChildNode[] = []
  const tokens: string[] = []
  /** Every asset published, with the root it was published with. */
  const published: Published[] = []
  let ids: string[] = []

  const live = (): ChildNode[] => nodes.filter((n) => n.process.exitCode === null && n.process.signalCode === null)
  const byPeer = (id: string): ChildNode => nodes.find((n) => n.peerId === id)!

  beforeAll(async () => {
    expect(existsSync(new URL('../../dist/cli/index.js', import.meta.url)), 'run `npm run build` first (npm test does)').toBe(true)
    await proofReady()
    const ports = await Promise.all(Array.from({ length: N }, async () => await freePort()))
    const options = (i: number, bootstrap: string[]): Parameters<typeof spawnNode>[0] => {
      const dataDir = join(dir, `node-${i}`)
      mkdirSync(dataDir, { recursive: true })
      return { dataDir, p2pPort: ports[i], bootstrap, replicationFactor: R, syncIntervalMs: 1000 }
    }
    nodes.push(await spawnNode(options(0, [])))
    nodes.push(...await Promise.all(Array.from({ length: N - 1 }, async (_, i) => await spawnNode(options(i + 1, [nodes[0].addr])))))
    ids = nodes.map((n) => n.peerId)
    const { readFileSync } = await import('node:fs')
    for (const n of nodes) tokens.push(readFileSync(join(n.options.dataDir, 'api-token'), 'utf8').trim())
    // Bootstrap to node 0, then the DHT: every node must see the other four before shards agree.
    await waitFor('a full mesh of five', async () => (await Promise.all(nodes.map(connectedPeers))).every((p) => p.length === N - 1), 60_000, 200)
  }, 180_000)

  afterAll(async () => {
    await Promise.all(live().map(async (n) => { await n.stop() }))
    rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  it('all traffic is on loopback: HTTP on 127.0.0.1, every listen and peer address /ip4/127.0.0.1', async () => {
    for (const n of nodes) {
      expect(new URL(n.url).hostname).toBe('127.0.0.1')
      const self = await getJson<{ peerId: string, multiaddrs: string[] }>(`${n.url}/peers/self`)
      expect(self.peerId).toBe(n.peerId)
      expect(self.multiaddrs.length).toBeGreaterThan(0)
      for (const m of self.multiaddrs) expect(m).toMatch(LOOPBACK)
      for (const p of await connectedPeers(n)) {
        expect(ids).toContain(p.id)
        for (const a of p.addresses) expect(a).toMatch(LOOPBACK)
      }
    }
  })

  it('publish on A → present and verified on the R peers closest to sha256(UAL), with verified receipts', async () => {
    const results = await publish(nodes[0], tokens[0], trig('first', 5), `?minReplications=${R}&replicationTimeoutMs=15000`)
    expect(results).toHaveLength(5)
    published.push(...results)
    for (const r of results) {
      const rep = r.replication!
      expect(rep).toMatchObject({ requested: R, factor: R, met: true, failed: [] })
      expect(rep.replicated).toBeGreaterThanOrEqual(R)
      // Every node computes the same holders: the R closest of the five.
      expect(new Set(rep.holders)).toEqual(new Set(closestPeers(r.ual, ids, R)))
      for (const receipt of rep.receipts) {
        expect(verifyReceipt(receipt)).toBe(true)
        expect(rep.holders).toContain(receipt.peer)
        expect(receipt).toMatchObject({ ual: r.ual, version: 1, root: r.root })
      }
      const origin = await getJson<AssetBundle>(`${nodes[0].url}/assets/${enc(r.ual)}/bundle`)
      for (const holder of rep.holders) {
        const n = byPeer(holder)
        const bundle = await getJson<AssetBundle>(`${n.url}/assets/${enc(r.ual)}/bundle`)
        expect(verifyBundle(bundle).ok).toBe(true)
        expect(bundle).toEqual(origin)
        expect((await getJson<BundleReport>(`${n.url}/assets/${enc(r.ual)}/verify`)).ok).toBe(true)
      }
    }
  })

  it('an asset fetched from a peer by a node that lacks it verifies, and names its source', async () => {
    const r = published[0]
    const holders = r.replication!.holders
    const lacking = nodes.find((n) => n !== nodes[0] && !holders.includes(n.peerId))!
    expect((await localUals(lacking)).has(r.ual)).toBe(false)
    const res = await fetch(`${lacking.url}/assets/${enc(r.ual)}?format=nquads`)
    expect(res.status).toBe(200)
    expect([nodes[0].peerId, ...holders]).toContain(res.headers.get('cairn-source-peer'))
    expect(await res.text()).toContain('"first 0"')
    const bundle = await getJson<AssetBundle>(`${lacking.url}/assets/${enc(r.ual)}/bundle`)
    expect(verifyBundle(bundle).ok).toBe(true)
    expect(bundle.versions[0].root).toBe(r.root)
    expect((await getJson<BundleReport>(`${lacking.url}/assets/${enc(r.ual)}/verify`)).ok).toBe(true)
  })

  it('`cairn peers` lists the four others; `cairn sync` runs a round and reports it complete', async () => {
    const env = { ...process.env, CAIRN_URL: nodes[0].url, CAIRN_DATA_DIR: nodes[0].options.dataDir }
    const [text, jsonOut] = await Promise.all([
      run(process.execPath, [BIN, 'peers'], { env, timeout: 60_000 }),
      run(process.execPath, [BIN, '--json', 'peers'], { env, timeout: 60_000 })
    ])
    expect(text.stdout).toContain(`self ${nodes[0].peerId}`)
    for (const id of ids.slice(1)) expect(text.stdout).toMatch(new RegExp(`${id}\\s+connected\\s+score 100`))
    const json = JSON.parse(jsonOut.stdout) as { self: string, peers: PeerView[] }
    expect(json.self).toBe(nodes[0].peerId)
    expect(json.peers.filter((p) => p.connected).map((p) => p.id).sort()).toEqual(ids.slice(1).sort())
    const sync = await run(process.execPath, [BIN, 'sync'], { env, timeout: 60_000 })
    const report = JSON.parse(sync.stdout) as SyncReport
    expect(report.complete).toBe(true)
    expect(report.missing).toEqual([])
    expect(report.peers.map((p) => p.peer).sort()).toEqual(ids.slice(1).sort())
  })

  it('SIGKILL a holder, publish more, restart it on its data dir: same peer id, and it catches up', async () => {
    const victim = nodes[1]
    const index = 1
    await victim.kill()
    await waitFor('node 0 to notice the kill', async () => !(await connectedPeers(nodes[0])).some((p) => p.id === victim.peerId), 15_000, 100)
    const more = await publish(nodes[0], tokens[0], trig('while-down', 20), `?minReplications=${R}&replicationTimeoutMs=15000`)
    published.push(...more)
    for (const r of more) {
      expect(r.replication).toMatchObject({ met: true })
      expect(r.replication!.holders).not.toContain(victim.peerId)
    }
    // What the restarted node must hold: the assets for which it is among the R closest of all five.
    const owed = more.filter((r) => closestPeers(r.ual, ids, R).includes(victim.peerId)).map((r) => r.ual)
    expect(owed.length).toBeGreaterThan(0)

    const restarted = await spawnNode(victim.options)
    nodes[index] = restarted
    expect(restarted.peerId).toBe(victim.peerId)
    const t0 = Date.now()
    await waitFor(`the restarted node to catch up on ${owed.length} assets`, async () => {
      const have = await localUals(restarted)
      return owed.every((u) => have.has(u))
    }, 30_000, 250)
    const catchUpMs = Date.now() - t0
    expect(catchUpMs).toBeLessThan(30_000)
    for (const ual of owed) {
      const bundle = await getJson<AssetBundle>(`${restarted.url}/assets/${enc(ual)}/bundle`)
      expect(verifyBundle(bundle).ok).toBe(true)
      expect(bundle.versions[0].root).toBe(more.find((r) => r.ual === ual)!.root)
      expect((await getJson<BundleReport>(`${restarted.url}/assets/${enc(ual)}/verify`)).ok).toBe(true)
    }
    // Its own record of the catch-up: a finished round, nothing missing.
    const status = await waitFor('a complete sync round on the restarted node', async () => {
      const s = await getJson<SyncReport>(`${restarted.url}/sync`)
      return s.complete && s.finishedAt !== null ? s : undefined
    }, 30_000, 250)
    expect(status.missing).toEqual([])
    expect(status.synced).toBeGreaterThanOrEqual(owed.length)
    await waitFor('the mesh to heal', async () => (await Promise.all(nodes.map(connectedPeers))).every((p) => p.length === N - 1), 30_000, 200)
  })

  it('five nodes, two killed (the origin among them): every asset is still retrievable and verified from each survivor', async () => {
    const killed = [nodes[0], nodes[1]]
    await Promise.all(killed.map(async (n) => { await n.kill() }))
    const survivors = nodes.slice(2)
    await waitFor('survivors to notice', async () => (await Promise.all(survivors.map(connectedPeers))).every((p) => p.length === survivors.length - 1), 15_000, 100)
    expect(published.length).toBe(25)
    for (const n of survivors) {
      for (const r of published) {
        const res = await fetch(`${n.url}/assets/${enc(r.ual)}?format=nquads`, { signal: AbortSignal.timeout(20_000) })
        expect(res.status, `${r.ual} from ${n.peerId}: ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200)
        expect(res.headers.get('cairn-root')).toBe(r.root)
        const source = res.headers.get('cairn-source-peer')
        if (source !== null) expect(killed.map((k) => k.peerId)).not.toContain(source)
        const bundle = await getJson<AssetBundle>(`${n.url}/assets/${enc(r.ual)}/bundle`)
        expect(verifyBundle(bundle).ok).toBe(true)
        expect(bundle.versions[0].root).toBe(r.root)
      }
    }
  })
})
