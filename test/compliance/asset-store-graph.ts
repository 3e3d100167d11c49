/**
 * The graph reads of the AssetStore contract (facts by subject / object / version, entity search, batched version
 * lookups), as a suite factory like assetStoreSuite: every implementation runs it with its own `setup`.
 */
import { DataFactory } from 'n3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AssetStore, FactKey, FactQuery, FactRecord, KeysetPage } from '../../src/store/index.js'
import { PUBLISHER_B, newVersion, ualOf } from './asset-store.js'
import type { AssetStoreSetup } from './asset-store.js'

const { namedNode, literal, quad } = DataFactory
const E = 'https://ex.org/'
const iri = (local: string): ReturnType<typeof namedNode> => namedNode(E + local)
const line = (f: FactRecord): string => `${f.subject.value} ${f.predicate.value} ${f.object.termType === 'Literal' ? JSON.stringify(f.object.value) : f.object.value}`

/** Every fact of a listing, page by page. */
function walk (list: (query: FactQuery) => KeysetPage<FactRecord>, limit: number, between?: () => void): FactRecord[] {
  const out: FactRecord[] = []
  let after: FactKey | undefined
  for (;;) {
    const page = list({ limit, ...(after === undefined ? {} : { after }) })
    out.push(...page.items)
    if (!page.hasMore) return out
    after = page.items[page.items.length - 1].key
    between?.()
  }
}

export function assetStoreGraphSuite (setup: () => Promise<AssetStoreSetup>): void {
  let store: AssetStore
  let teardown: () => Promise<void>

  beforeEach(async () => {
    ({ store, teardown } = await setup())
    await store.start()
  })
  afterEach(async () => {
    await store.stop()
    await teardown()
  })

  /** Alice in two assets, with a knows-graph around her; asset 2 is updated once (v1 not current). */
  const seed = (): { a1: number, a2v1: number, a2v2: number } => {
    const a1 = store.insertVersion(newVersion({
      ual: ualOf(1),
      quads: [
        quad(iri('alice'), iri('name'), literal('Alice')),
        quad(iri('alice'), iri('knows'), iri('bob')),
        quad(iri('alice'), iri('age'), literal('42', namedNode('http://www.w3.org/2001/XMLSchema#integer'))),
        quad(iri('bob'), iri('knows'), iri('alice'))
      ]
    }))
    const a2v1 = store.insertVersion(newVersion({ ual: ualOf(2), quads: [quad(iri('alice'), iri('motto'), literal('old', 'en')), quad(iri('carol'), iri('knows'), iri('alice'))] }))
    const a2v2 = store.insertVersion(newVersion({
      ual: ualOf(2),
      version: 2,
      previousRoot: a2v1.root,
      quads: [quad(iri('alice'), iri('motto'), literal('new', 'en')), quad(iri('dave'), iri('likes'), iri('alice')), quad(iri('carol'), iri('knows'), iri('alice'))]
    }))
    return { a1: a1.id, a2v1: a2v1.id, a2v2: a2v2.id }
  }

  describe('factsBySubject / factsByObject / factsOfVersion', () => {
    it('lists the current facts of a subject with their version and leaf index, terms decoded', () => {
      const { a1, a2v2 } = seed()
      const page = store.factsBySubject(`${E}alice`, { limit: 100 })
      expect(page.hasMore).toBe(false)
      expect(page.items.map(line).sort()).toEqual([
        `${E}alice ${E}age "42"`, `${E}alice ${E}knows ${E}bob`, `${E}alice ${E}motto "new"`, `${E}alice ${E}name "Alice"`
      ])
      const age = page.items.find((f) => f.predicate.value === `${E}age`) as FactRecord
      expect(age.object.termType).toBe('Literal')
      expect(age.object.termType === 'Literal' && age.object.datatype.value).toBe('http://www.w3.org/2001/XMLSchema#integer')
      expect([age.versionId, age.leafIndex]).toEqual([a1, 2])
      const motto = page.items.find((f) => f.predicate.value === `${E}motto`) as FactRecord
      expect(motto.object.termType === 'Literal' && motto.object.language).toBe('en')
      expect(motto.versionId).toBe(a2v2)
      // Every fact is the stored triple at (versionId, leafIndex).
      for (const f of page.items) {
        const [stored] = store.getQuads(f.versionId, { offset: f.leafIndex, limit: 1 })
        expect(stored.equals(quad(f.subject, f.predicate, f.object))).toBe(true)
      }
    })

    it('pages by keyset in a stable order: any page size gives the same sequence', () => {
      seed()
      for (const list of [(q: FactQuery) => store.factsBySubject(`${E}alice`, q), (q: FactQuery) => store.factsByObject(`${E}alice`, q)]) {
        const all = list({ limit: 100 }).items.map(line)
        for (const size of [1, 2, 3]) expect(walk(list, size).map(line)).toEqual(all)
        const empty = list({ limit: 0 })
        expect(empty).toEqual({ items: [], hasMore: true })
      }
    })

    it('filters by predicate, and lists inbound facts of current versions only', () => {
      seed()
      expect(store.factsBySubject(`${E}alice`, { predicate: `${E}knows`, limit: 10 }).items.map(line)).toEqual([`${E}alice ${E}knows ${E}bob`])
      expect(store.factsByObject(`${E}alice`, { limit: 10 }).items.map(line).sort()).toEqual([
        `${E}bob ${E}knows ${E}alice`, `${E}carol ${E}knows ${E}alice`, `${E}dave ${E}likes ${E}alice`
      ])
      expect(store.factsByObject(`${E}alice`, { predicate: `${E}knows`, limit: 10 }).items.map((f) => f.subject.value).sort()).toEqual([`${E}bob`, `${E}carol`])
      for (const none of [store.factsBySubject(`${E}nobody`, { limit: 5 }), store.factsBySubject(`${E}alice`, { predicate: `${E}nope`, limit: 5 }),
        store.factsByObject(`${E}alice`, { predicate: `${E}nope`, limit: 5 })]) expect(none).toEqual({ items: [], hasMore: false })
    })

    it('keeps a cursor valid while versions are inserted: old facts once each, new terms after the cursor', () => {
      seed()
      const before = store.factsBySubject(`${E}alice`, { limit: 100 }).items.map(line)
      let n = 10
      const seen = walk((q) => store.factsBySubject(`${E}alice`, q), 1, () => {
        // Each insert lands after the cursor: stop inserting, or the walk never ends.
        if (n === 13) return
        store.insertVersion(newVersion({ ual: ualOf(n), quads: [quad(iri('alice'), iri(`late${n}`), literal(`late ${n}`)), quad(iri('alice'), iri('name'), literal(`Alice ${n}`))] }))
        n++
      }).map(line)
      expect(new Set(seen).size).toBe(seen.length)
      expect(seen.filter((l) => before.includes(l))).toEqual(before)
      expect(seen).toContain(`${E}alice ${E}late10 "late 10"`)
    })

    it('lists one version in leaf order, current or not', () => {
      const { a2v1, a2v2 } = seed()
      expect(walk((q) => store.factsOfVersion(a2v1, q), 1).map((f) => f.leafIndex)).toEqual([0, 1])
      const v2 = store.factsOfVersion(a2v2, { limit: 2 })
      expect(v2.items.map((f) => f.leafIndex)).toEqual([0, 1])
      expect(v2.hasMore).toBe(true)
      expect(store.factsOfVersion(a2v2, { limit: 5, after: v2.items[1].key }).items.map((f) => f.leafIndex)).toEqual([2])
      expect(store.factsOfVersion(999, { limit: 5 })).toEqual({ items: [], hasMore: false })
    })
  })

  describe('searchEntities', () => {
    const docs: Array<[string, string]> = [
      ['q1', 'quartz harbor'],
      ['q2', 'a long text about quartz and other minerals found near the old harbor of a town far away'],
      ['q3', 'quartz'],
      ['q4', 'harbor'],
      ['z', 'Zürich'],
      ['p', 'say "hi" OR NEAR( not an operator']
    ]
    const index = (): void => {
      docs.forEach(([s, text], i) => store.insertVersion(newVersion({ ual: ualOf(100 + i), quads: [quad(iri(s), iri('text'), literal(text))] })))
    }

    it('finds subjects of literals holding every word, best bm25 first, with the matching literal', () => {
      index()
      const hits = store.searchEntities('quartz harbor', { limit: 10 })
      expect(hits.items.map((h) => h.subject.value)).toEqual([`${E}q1`, `${E}q2`])
      expect(hits.items[0].literal.value).toBe('quartz harbor')
      const one = store.searchEntities('QUARTZ', { limit: 10 }).items
      expect(one.map((h) => h.subject.value)).toEqual([`${E}q3`, `${E}q1`, `${E}q2`])
      expect(one.map((h) => h.score)).toEqual([...one.map((h) => h.score)].sort((a, b) => a - b))
      expect(store.searchEntities('zurich', { limit: 10 }).items.map((h) => h.subject.value)).toEqual([`${E}z`])
    })

    it('pages with keys, treats operators and quotes as text, and finds nothing for no words', () => {
      index()
      const all = store.searchEntities('quartz', { limit: 10 }).items.map((h) => h.subject.value)
      const paged: string[] = []
      let page = store.searchEntities('quartz', { limit: 1 })
      for (;;) {
        paged.push(...page.items.map((h) => h.subject.value))
        if (!page.hasMore) break
        page = store.searchEntities('quartz', { limit: 1, after: page.items[0].key })
      }
      expect(paged).toEqual(all)
      expect(store.searchEntities('"hi" OR NEAR(', { limit: 10 }).items.map((h) => h.subject.value)).toEqual([`${E}p`])
      expect(store.searchEntities('  \t ', { limit: 10 })).toEqual({ items: [], hasMore: false })
    })

    it('searches current versions only', () => {
      const v1 = store.insertVersion(newVersion({ ual: ualOf(1), quads: [quad(iri('s'), iri('text'), literal('obsolete granite'))] }))
      store.insertVersion(newVersion({ ual: ualOf(1), version: 2, previousRoot: v1.root, quads: [quad(iri('s'), iri('text'), literal('fresh marble'))] }))
      expect(store.searchEntities('granite', { limit: 5 }).items).toEqual([])
      expect(store.searchEntities('marble', { limit: 5 }).items.map((h) => h.subject.value)).toEqual([`${E}s`])
    })
  })

  describe('batched version reads', () => {
    it('versionsByIds, listVersionsOf and listCurrentVersions', () => {
      const { a1, a2v1, a2v2 } = seed()
      const b = store.insertVersion(newVersion({ ual: ualOf(3, PUBLISHER_B), quads: [quad(iri('x'), iri('y'), literal('z'))] }))
      expect(store.versionsByIds([a2v2, a1, 12345, a1]).map((v) => v.id).sort()).toEqual([a1, a2v2].sort())
      expect(store.versionsByIds([])).toEqual([])
      const of = store.listVersionsOf([ualOf(2), ualOf(1), 'did:cairn:local/none'])
      expect(of.map((v) => [v.ual, v.version])).toEqual([[ualOf(1), 1], [ualOf(2), 1], [ualOf(2), 2]])
      expect(of.find((v) => v.id === a2v1)).toEqual(store.getVersion(ualOf(2), 1))
      expect(store.listVersionsOf([])).toEqual([])
      const first = store.listCurrentVersions({ limit: 2 })
      expect(first.items.map((v) => v.id)).toEqual([a1, a2v2])
      expect(first.next).toBe(ualOf(2))
      expect(store.listCurrentVersions({ limit: 2, after: first.next as string })).toEqual({ items: [b], next: null })
      expect(store.listCurrentVersions({ limit: 10, publisher: PUBLISHER_B }).items.map((v) => v.ual)).toEqual([ualOf(3, PUBLISHER_B)])
    })
  })
}
