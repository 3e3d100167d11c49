import type { Statement } from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCairnClient } from '../../src/client/index.js'
import { createLoaders } from '../../src/graphql/loaders.js'
import type { AssetStore, VersionRecord } from '../../src/store/index.js'
import { gqlData } from '../helpers/graphql.js'
import { startTestNode } from '../helpers/node.js'
import type { TestNode } from '../helpers/node.js'

const E = 'https://ex.org/'
const ASSETS = 12
const PER_ASSET = 5

/**
 * Count the SQL statements a store runs, by wrapping each of its prepared statements (white box: they are
 * private). Every statement the SQLite store runs is prepared once at start, so this sees all of them.
 */
function statementCounter (store: AssetStore): { counts: Map<string, number>, total: () => number, reset: () => void } {
  const stmts = (store as unknown as { stmts: Record<string, Statement> }).stmts
  const counts = new Map<string, number>()
  for (const [name, stmt] of Object.entries(stmts)) {
    for (const method of ['get', 'all', 'iterate', 'run'] as const) {
      const original = stmt[method].bind(stmt) as (...args: unknown[]) => unknown
      Object.defineProperty(stmt, method, {
        configurable: true,
        value: (...args: unknown[]) => {
          counts.set(name, (counts.get(name) ?? 0) + 1)
          return original(...args)
        }
      })
    }
  }
  return { counts, total: () => [...counts.values()].reduce((a, b) => a + b, 0), reset: () => { counts.clear() } }
}

describe('per-request batching (real node, statements counted)', () => {
  let t: TestNode
  let counter: ReturnType<typeof statementCounter>

  beforeAll(async () => {
    t = await startTestNode({ p2p: false })
    const client = createCairnClient({ url: t.url, token: t.token })
    // 60 facts about one entity, from 12 different assets.
    for (let a = 0; a < ASSETS; a++) {
      const lines = Array.from({ length: PER_ASSET }, (_v, i) => `<${E}hub> <${E}p${a}x${i}> "value ${a}.${i}" .`).join('\n')
      await client.publishRdf(lines + '\n', 'ntriples')
    }
    counter = statementCounter(t.node.components.store)
  })
  afterAll(async () => { await t?.close() })

  const PAGE = `{ entity(iri: "${E}hub") { facts(first: 50) {
    nodes { id leafIndex subject { value } predicate { value } object { value }
      source { id ual version versionIri root publisher signature anchor isCurrent versions { version } } }
    pageInfo { hasNextPage endCursor } } } }`

  it('a page of 50 facts with their sources and version lists takes 4 statements, whatever the number of versions', async () => {
    counter.reset()
    const data = await gqlData(t.url, PAGE)
    expect(data.entity.facts.nodes).toHaveLength(50)
    expect(new Set(data.entity.facts.nodes.map((f: { source: { ual: string } }) => f.source.ual)).size).toBe(10)
    // termFind (the subject IRI), factsBySubject, versionsByIds (all sources), versionsOfAssets (all version lists).
    expect(Object.fromEntries(counter.counts)).toEqual({ termFind: 1, factsBySubject: 1, versionsByIds: 1, versionsOfAssets: 1 })
  })

  it('citations add one leaf read per version of the page, and nothing once its versions were cited', async () => {
    const query = `{ entity(iri: "${E}hub") { facts(first: 50) { nodes { citation { json } } } } }`
    // Reads only: the contribution ledger writes the served citations after the answer, whenever that lands.
    const reads = (): Record<string, number> => Object.fromEntries([...counter.counts].filter(([name]) => name !== 'contributionInsert'))
    counter.reset()
    await gqlData(t.url, query)
    // The triple is not read again (citationFor takes the fact), the leaves once per version.
    expect(reads()).toEqual({ termFind: 1, factsBySubject: 1, versionsByIds: 1, leafList: 10 })
    counter.reset()
    await gqlData(t.url, query)
    // Warm: the service keeps each cited version's merkle tree and checked claim and anchor.
    expect(reads()).toEqual({ termFind: 1, factsBySubject: 1, versionsByIds: 1 })
  })

  it('receipts (holders) are read once per distinct version of the page', async () => {
    counter.reset()
    await gqlData(t.url, `{ entity(iri: "${E}hub") { facts(first: 50) { nodes { source { holders receipts { peer } } } } } }`)
    expect(counter.counts.get('receiptList')).toBe(10)
  })
})

describe('createLoaders', () => {
  const version = (id: number, ual = `u${id}`): VersionRecord => ({ id, ual } as unknown as VersionRecord)

  it('batches the loads of one tick into one store call and dedupes keys', async () => {
    const calls: unknown[] = []
    const store = {
      versionsByIds: (ids: number[]) => { calls.push(['versionsByIds', ids]); return ids.filter((id) => id !== 404).map((id) => version(id)) },
      listVersionsOf: (uals: string[]) => { calls.push(['listVersionsOf', uals]); return uals.flatMap((ual) => [version(1, ual), version(2, ual)]) }
    }
    const loaders = createLoaders({ store, assets: { receipts: () => [] } })
    const [a, b, c] = await Promise.all([loaders.version.load(3), loaders.version.load(1), loaders.version.load(3)])
    expect([a.id, b.id, c.id]).toEqual([3, 1, 3])
    const lists = await Promise.all([loaders.versionsOf.load('x'), loaders.versionsOf.load('y')])
    expect(lists.map((l) => l.map((v) => `${v.ual}/${v.id}`))).toEqual([['x/1', 'x/2'], ['y/1', 'y/2']])
    expect(calls).toEqual([['versionsByIds', [3, 1]], ['listVersionsOf', ['x', 'y']]])
    await expect(loaders.version.load(404)).rejects.toMatchObject({ code: 'CAIRN_STORE_CORRUPT' })
  })

  it('prefetch reads the versions of a page at once, each only once per request, and the loader reuses them', async () => {
    const calls: number[][] = []
    const store = {
      versionsByIds: (ids: number[]) => { calls.push(ids); return ids.map((id) => version(id)) },
      listVersionsOf: () => []
    }
    const loaders = createLoaders({ store, assets: { receipts: () => [] } })
    loaders.prefetch([5, 6, 5])
    loaders.prefetch([6, 7])
    loaders.prefetch([5])
    expect(calls).toEqual([[5, 6], [7]])
    expect([...loaders.known.keys()]).toEqual([5, 6, 7])
    expect((await loaders.version.load(6)).id).toBe(6)
    expect(calls).toHaveLength(2)
  })
})
