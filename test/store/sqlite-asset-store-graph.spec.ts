import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Database, Statement } from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAssetStore } from '../../src/store/index.js'
import { SqliteAssetStore } from '../../src/store/sqlite-asset-store.js'
import { assetStoreGraphSuite } from '../compliance/asset-store-graph.js'
import { tempDir } from '../helpers/node.js'

describe('SqliteAssetStore on a file (graph reads)', () => {
  assetStoreGraphSuite(async () => {
    const dir = tempDir('cairn-store-')
    return { store: new SqliteAssetStore({ path: join(dir, 'cairn.sqlite') }), teardown: async () => { rmSync(dir, { recursive: true, force: true }) } }
  })
})

describe("SqliteAssetStore on ':memory:' (graph reads)", () => {
  assetStoreGraphSuite(async () => ({ store: createAssetStore({ path: ':memory:' }), teardown: async () => {} }))
})

describe('SqliteAssetStore graph reads: query plans', () => {
  const store = new SqliteAssetStore({ path: ':memory:' })
  // White box: the statements and the handle are private; their plans are what keeps a page O(page size).
  const internals = store as unknown as { db: Database, stmts: Record<string, Statement> }
  const plan = (name: string): string => internals.db.prepare(`EXPLAIN QUERY PLAN ${internals.stmts[name].source}`)
    .all({ s: 1, p: 1, o: 1, v: 1, i: 0, pred: 1, limit: 1, match: 'x', score: 0 })
    .map((r) => (r as { detail: string }).detail).join('\n')

  beforeAll(() => { store.start() })
  afterAll(() => { store.stop() })

  it('reads each fact page as a range of one index, in index order (no sort, versions by primary key)', () => {
    const expected: Record<string, RegExp> = {
      factsBySubject: /SEARCH q USING COVERING INDEX quads_spo \(s=\? AND \(p,o,version_id,idx\)>/,
      factsBySubjectPredicate: /SEARCH q USING COVERING INDEX quads_spo \(s=\? AND p=\? AND \(o,version_id,idx\)>/,
      factsByObject: /SEARCH q USING INDEX quads_osp \(o=\? AND \(s,version_id,idx\)>/,
      factsByObjectPredicate: /SEARCH q USING INDEX quads_pos \(p=\? AND o=\? AND \(version_id,idx\)>/,
      factsOfVersion: /SEARCH q USING PRIMARY KEY \(version_id=\? AND idx>\?\)/
    }
    for (const [name, index] of Object.entries(expected)) {
      const text = plan(name)
      expect(text, name).toMatch(index)
      expect(text.split('\n')[0], name).toMatch(/^SEARCH q /)
      expect(text, name).not.toContain('TEMP B-TREE')
      expect(text, name).toMatch(/SEARCH v USING INTEGER PRIMARY KEY/)
    }
  })

  it('searches through the FTS index, then quads by object', () => {
    const text = plan('searchEntities')
    expect(text).toMatch(/SCAN literal_fts VIRTUAL TABLE INDEX/)
    expect(text).toMatch(/SEARCH q USING COVERING INDEX quads_osp \(o=\?\)/)
  })
})
