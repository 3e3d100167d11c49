import type { Network } from '../network/index.js'
import { leafHash, merkleRoot, toHex } from '../proof/index.js'
import type { AssetBundle, BundleVersion, Citation } from '../proof/index.js'
import type { CrossCheckReport } from './index.js'

/**
 * Ask up to `k` peers for the cited assets and compare, fact by fact (docs/retrieval.md#cross-checking-crosscheck-k). Peers are the
 * holders of the cited assets (by sharding), those holding the most cited assets first, then other connected peers.
 *
 * A peer agrees on a fact when its bundle has the cited version with the cited root, its lines hash to that root, and
 * the cited canonical line is among them. The root's signature and anchor are not re-checked here: the citation
 * itself carries and verifies them, and a peer's copy with the same root and lines hashing to it is the same content.
 */
export async function crossCheck (network: Network, citations: Array<Pick<Citation, 'ual' | 'version' | 'root' | 'canonical'>>, k: number): Promise<CrossCheckReport> {
  const uals = [...new Set(citations.map((c) => c.ual))]
  const self = network.peerId
  const held = new Map<string, number>()
  for (const ual of uals) for (const peer of network.holdersFor(ual)) if (peer !== self) held.set(peer, (held.get(peer) ?? 0) + 1)
  const holders = [...held].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([peer]) => peer)
  const others = network.peers().filter((p) => p.connected && p.id !== self && !held.has(p.id)).map((p) => p.id)
  const peers = [...holders, ...others].slice(0, k)
  const results = await Promise.all(peers.map(async (peer) => {
    const row = { peer, agreed: 0, disagreed: 0, missing: 0 }
    if (citations.length === 0) return row
    try {
      const { bundles } = await network.fetchBundles(peer, uals)
      const byUal = new Map<string, AssetBundle>(bundles.filter((b) => uals.includes(b.ual)).map((b) => [b.ual, b]))
      const rootOk = new Map<BundleVersion, boolean>()
      for (const c of citations) {
        const v = byUal.get(c.ual)?.versions?.find((x) => x.version === c.version)
        if (v === undefined) { row.missing++; continue }
        let ok = rootOk.get(v)
        if (ok === undefined) rootOk.set(v, ok = v.root === c.root && linesReachRoot(v))
        if (ok && v.lines.includes(c.canonical)) row.agreed++
        else row.disagreed++
      }
      return row
    } catch (err) {
      return { ...row, error: err instanceof Error ? err.message : String(err) }
    }
  }))
  return { requested: k, peers: results }
}

function linesReachRoot (v: BundleVersion): boolean {
  try {
    return Array.isArray(v.lines) && v.lines.length > 0 && toHex(merkleRoot(v.lines.map(leafHash))) === v.root
  } catch {
    return false
  }
}
