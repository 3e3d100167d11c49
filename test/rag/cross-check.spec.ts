import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Network, PeerView } from '../../src/network/index.js'
import type { AssetBundle, Citation } from '../../src/proof/index.js'
import { crossCheck } from '../../src/rag/cross-check.js'
import { startRagFixture } from '../helpers/rag.js'
import type { RagFixture } from '../helpers/rag.js'

type Answer = (uals: string[]) => AssetBundle[] | Error

/** A stub network: fixed holders, and per peer what fetchBundles answers (bundles, or an error). */
function stubNetwork (holders: string[], peers: Record<string, Answer>, connected: string[] = []): Network & { asked: string[] } {
  const asked: string[] = []
  const stub = {
    peerId: 'self',
    asked,
    holdersFor: () => ['self', ...holders],
    peers: (): PeerView[] => connected.map((id) => ({ id, addresses: [], lastSeen: null, score: 10, connected: true })),
    fetchBundles: async (peer: string, uals: string[]) => {
      asked.push(peer)
      const answer = peers[peer]?.(uals) ?? []
      if (answer instanceof Error) throw answer
      return { bundles: answer, missing: uals.filter((u) => !answer.some((b) => b.ual === u)) }
    }
  }
  return stub as unknown as Network & { asked: string[] }
}

describe('crossCheck (stub network, real bundles and citations)', () => {
  let f: RagFixture
  let citations: Citation[]
  let bundles: AssetBundle[]

  beforeAll(async () => {
    f = await startRagFixture()
    // Three facts from the ACME asset, one from Ada's.
    const acme = f.store.getVersion(f.uals[0]) as NonNullable<ReturnType<typeof f.store.getVersion>>
    const ada = f.store.getVersion(f.uals[1]) as NonNullable<ReturnType<typeof f.store.getVersion>>
    const cite = (v: typeof acme, limit: number): Citation[] => f.store.factsOfVersion(v.id, { limit }).items.map((fact) => f.assets.citationFor(v, fact))
    citations = [...cite(acme, 3), ...cite(ada, 1)]
    bundles = [f.assets.bundle(f.uals[0]), f.assets.bundle(f.uals[1])]
  })
  afterAll(async () => { await f?.stop() })

  // Typed as bundles only (still an Answer) so the other answers can build on it.
  const honest = (uals: string[]): AssetBundle[] => bundles.filter((b) => uals.includes(b.ual))

  it('counts agreement per peer: same version and root, lines that hash to it, the cited line among them', async () => {
    const tamperedLine: Answer = (uals) => honest(uals).map((b) => {
      const copy = structuredClone(b)
      if (copy.ual === citations[0].ual) copy.versions[0].lines = copy.versions[0].lines.map((l) => l === citations[0].canonical ? l.replace('<https://schema.org/', '<https://schema.example/') : l)
      return copy
    })
    const otherRoot: Answer = (uals) => honest(uals).map((b) => ({ ...b, versions: b.versions.map((v) => ({ ...v, root: `0x${'ab'.repeat(32)}` })) }))
    const onlyAda: Answer = (uals) => honest(uals).filter((b) => b.ual === citations[3].ual)
    const network = stubNetwork(['p-honest', 'p-tampered', 'p-root', 'p-partial', 'p-down'], {
      'p-honest': honest, 'p-tampered': tamperedLine, 'p-root': otherRoot, 'p-partial': onlyAda, 'p-down': () => new Error('dial failed')
    })
    const report = await crossCheck(network, citations, 5)
    expect(report.requested).toBe(5)
    const by = Object.fromEntries(report.peers.map((p) => [p.peer, p]))
    expect(by['p-honest']).toEqual({ peer: 'p-honest', agreed: 4, disagreed: 0, missing: 0 })
    // The ACME version's lines no longer hash to its root: all three ACME facts disagree.
    expect(by['p-tampered']).toEqual({ peer: 'p-tampered', agreed: 1, disagreed: 3, missing: 0 })
    expect(by['p-root']).toEqual({ peer: 'p-root', agreed: 0, disagreed: 4, missing: 0 })
    expect(by['p-partial']).toEqual({ peer: 'p-partial', agreed: 1, disagreed: 0, missing: 3 })
    expect(by['p-down']).toEqual({ peer: 'p-down', agreed: 0, disagreed: 0, missing: 0, error: 'dial failed' })
  })

  it('asks at most k peers: holders first, then other connected peers; never itself', async () => {
    const network = stubNetwork(['h1'], { h1: honest, c1: honest, c2: honest }, ['h1', 'c1', 'c2'])
    const report = await crossCheck(network, citations, 2)
    expect(report.peers.map((p) => p.peer)).toEqual(['h1', 'c1'])
    expect(network.asked.sort()).toEqual(['c1', 'h1'])
    expect((await crossCheck(stubNetwork([], {}), citations, 3)).peers).toEqual([])
  })

  it('a peer sending a version whose lines are not the cited ones disagrees even with the right root', async () => {
    const stripped: Answer = (uals) => honest(uals).map((b) => ({ ...b, versions: b.versions.map((v) => ({ ...v, lines: v.lines.filter((l) => l !== citations[1].canonical) })) }))
    const report = await crossCheck(stubNetwork(['p'], { p: stripped }), citations, 1)
    expect(report.peers[0]).toMatchObject({ agreed: 1, disagreed: 3, missing: 0 })
  })
})
