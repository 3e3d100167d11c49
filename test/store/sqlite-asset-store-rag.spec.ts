import type { Database, Statement } from 'better-sqlite3'
import { DataFactory } from 'n3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SqliteAssetStore } from '../../src/store/sqlite-asset-store.js'
import { PUBLISHER_A, PUBLISHER_B, newVersion, ualOf } from '../compliance/asset-store.js'

const { namedNode, literal, quad } = DataFactory
const NAME = 'https://schema.org/name'
const LABEL = 'http://www.w3.org/2000/01/rdf-schema#label'
const ex = (s: string): ReturnType<typeof namedNode> => namedNode(`https://example.org/${s}`)

describe('SqliteAssetStore: reads and writes for retrieval (src/rag)', () => {
  let store: SqliteAssetStore

  beforeEach(() => {
    store = new SqliteAssetStore({ path: ':memory:' })
    store.start()
    const v1 = store.insertVersion(newVersion({
      ual: ualOf(1),
      quads: [quad(ex('acme'), namedNode(NAME), literal('ACME Rockets')), quad(ex('acme'), namedNode(LABEL), literal('ACME')),
        quad(ex('ada'), namedNode(NAME), literal('Ada Lovelace, rocket engineer')), quad(ex('ada'), ex('p'), ex('acme'))]
    }))
    // Version 2 of asset 2 drops "Old Rockets": only current versions are read.
    const old = store.insertVersion(newVersion({ ual: ualOf(2), quads: [quad(ex('old'), namedNode(NAME), literal('Old Rockets'))] }))
    store.insertVersion(newVersion({ ual: ualOf(2), version: 2, previousRoot: old.root, quads: [quad(ex('old'), namedNode(NAME), literal('Renamed'))] }))
    expect(v1.isCurrent).toBe(true)
  })
  afterEach(() => { store.stop() })

  it('literalWordCounts: how many stored literals hold each word (FTS5 tokens, past versions too), absent words left out', () => {
    const counts = store.literalWordCounts(['rockets', 'rocket', 'acme', 'ada', 'zebra', 'renamed'])
    // "Old Rockets" (no longer current) still counts: the dictionary keeps every literal ever stored.
    expect(Object.fromEntries(counts)).toEqual({ rockets: 2, rocket: 1, acme: 2, ada: 1, renamed: 1 })
    expect(store.literalWordCounts([]).size).toBe(0)
  })

  it('subjectsByLiteralWords: every word must occur, current versions only, bounded', () => {
    const hits = (text: string, literals = 10, limit = 10): string[] =>
      store.subjectsByLiteralWords(text, { literals, limit }).map((h) => `${h.subject.value} ${h.literal.value}`).sort()
    expect(hits('rockets')).toEqual(['https://example.org/acme ACME Rockets'])
    expect(hits('acme rockets')).toEqual(['https://example.org/acme ACME Rockets'])
    expect(hits('"rocket" engineer')).toEqual(['https://example.org/ada Ada Lovelace, rocket engineer'])
    expect(hits('old')).toEqual([])
    expect(hits('acme', 1, 10)).toHaveLength(1)
    expect(hits('acme', 10, 1)).toHaveLength(1)
    expect(hits('  ')).toEqual([])
    // FTS5 syntax in user text is matched as words, never parsed.
    expect(() => hits('acme OR NOT (rockets* NEAR')).not.toThrow()
  })

  it('literalsOf: literal objects of these subjects with these predicates, in one read', () => {
    const labels = store.literalsOf([ex('acme').value, ex('ada').value, ex('old').value, ex('nobody').value], [NAME, LABEL])
    expect([...labels.keys()].sort()).toEqual([ex('acme').value, ex('ada').value, ex('old').value])
    expect(Object.fromEntries(labels.get(ex('acme').value) ?? [])).toEqual({ [NAME]: 'ACME Rockets', [LABEL]: 'ACME' })
    expect(labels.get(ex('old').value)?.get(NAME)).toBe('Renamed')
    expect(store.literalsOf([], [NAME]).size).toBe(0)
  })

  it('records contributions and counts them per publisher and asset in a [from, to) window', () => {
    const row = (publisher: string, n: number, time: string): Parameters<typeof store.recordContributions>[0][number] =>
      ({ ual: ualOf(n, publisher), version: 1, publisher, requestHash: '0x01', interface: 'rest', time, citations: 1 })
    store.recordContributions([row(PUBLISHER_A, 1, '2026-01-01T00:00:00.000Z'), row(PUBLISHER_A, 1, '2026-01-02T00:00:00.000Z'),
      row(PUBLISHER_A, 2, '2026-01-02T00:00:00.000Z'), row(PUBLISHER_B, 3, '2026-01-03T00:00:00.000Z')])
    store.recordContributions([])
    const all = store.countContributions({ limit: 10 })
    expect(all.total).toBe(4)
    expect(all.truncated).toBe(false)
    expect(all.rows[0]).toEqual({ publisher: PUBLISHER_A, ual: ualOf(1, PUBLISHER_A), citations: 2 })
    expect(all.publishers).toEqual([{ publisher: PUBLISHER_A, citations: 3 }, { publisher: PUBLISHER_B, citations: 1 }].sort((a, b) => (a.publisher < b.publisher ? -1 : 1)))
    expect(store.countContributions({ limit: 10, from: '2026-01-02T00:00:00.000Z', to: '2026-01-03T00:00:00.000Z' }).total).toBe(2)
    expect(store.countContributions({ limit: 10, publisher: PUBLISHER_B }).rows).toEqual([{ publisher: PUBLISHER_B, ual: ualOf(3, PUBLISHER_B), citations: 1 }])
    const cut = store.countContributions({ limit: 1 })
    expect(cut).toMatchObject({ total: 4, truncated: true })
    expect(cut.rows).toHaveLength(1)
  })

  it('query plans: FTS first then quads by object; contribution windows by index', () => {
    const internals = store as unknown as { db: Database, stmts: Record<string, Statement> }
    const plan = (name: string, params: Record<string, unknown>): string => internals.db.prepare(`EXPLAIN QUERY PLAN ${internals.stmts[name].source}`)
      .all(params).map((r) => (r as { detail: string }).detail).join('\n')
    const search = plan('subjectsByLiteralWords', { match: 'x', literals: 1, limit: 1 })
    expect(search).toMatch(/SCAN literal_fts VIRTUAL TABLE/)
    expect(search).toMatch(/SEARCH q USING COVERING INDEX quads_osp \(o=\?\)/)
    expect(plan('contributionCounts', { publisher: 'x', from: 'a', to: 'b', limit: 1 })).toMatch(/contributions_(publisher_)?time/)
  })
})
