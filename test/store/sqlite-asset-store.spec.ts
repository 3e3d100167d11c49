import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DataFactory } from 'n3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { createAssetStore } from '../../src/store/index.js'
import type { AssetStore } from '../../src/store/index.js'
import { MIGRATIONS_DIR, migrate } from '../../src/store/migrate.js'
import { SqliteAssetStore } from '../../src/store/sqlite-asset-store.js'
import { TRICKY_QUADS, assetStoreSuite, expectCode, leaf, newVersion, ualOf } from '../compliance/asset-store.js'
import { tempDir } from '../helpers/node.js'

describe('SqliteAssetStore on a file (AssetStore compliance)', () => {
  assetStoreSuite(async () => {
    const dir = tempDir('cairn-store-')
    return {
      store: new SqliteAssetStore({ path: join(dir, 'nested', 'cairn.sqlite') }),
      teardown: async () => { rmSync(dir, { recursive: true, force: true }) }
    }
  })
})

describe("SqliteAssetStore on ':memory:' (AssetStore compliance)", () => {
  assetStoreSuite(async () => ({ store: createAssetStore({ path: ':memory:' }), teardown: async () => {} }))
})

describe('SqliteAssetStore: files and migrations', () => {
  let dir: string
  let path: string
  let store: AssetStore | undefined

  beforeEach(() => {
    dir = tempDir('cairn-store-')
    path = join(dir, 'cairn.sqlite')
  })
  afterEach(async () => {
    await store?.stop()
    store = undefined
    rmSync(dir, { recursive: true, force: true })
  })

  const open = async (): Promise<AssetStore> => {
    store = createAssetStore({ path, cacheMiB: 8 })
    await store.start()
    return store
  }

  /** The database file at `path` as the shipped migrations up to `version` leave it (to test later migrations on). */
  const databaseAtSchema = (version: number): Database.Database => {
    const shipped = join(dir, `migrations-${version}`)
    mkdirSync(shipped)
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f) && Number(f.slice(0, 3)) <= version)) {
      copyFileSync(join(MIGRATIONS_DIR.pathname, f), join(shipped, f))
    }
    const db = new Database(path)
    expect(migrate(db, shipped).to).toBe(version)
    return db
  }

  it('keeps everything across stop/start, on the same object and on a new one', async () => {
    const s = await open()
    const v1 = s.insertVersion(newVersion({ ual: ualOf(1), quads: TRICKY_QUADS, leafHashes: TRICKY_QUADS.map((_q, i) => leaf(i)) }))
    const v2 = s.insertVersion(newVersion({ ual: ualOf(1), version: 2, previousRoot: v1.root }))
    // insertVersion answers with the record it wrote, exactly as reading it back gives it.
    expect(v2).toEqual(s.getVersion(ualOf(1), 2))
    expect(v1).toEqual({ ...s.getVersion(ualOf(1), 1), isCurrent: true })
    s.appendLedgerEntry({ ledger: 'x', height: 0, prevHash: '0x' + '00'.repeat(32), batchRoot: '0x' + '01'.repeat(32), count: 1, timestamp: '2025-01-01T00:00:00.000Z', hash: '0x' + '02'.repeat(32), signature: '0x' + '03'.repeat(64) })
    s.setMeta('k', 'v')
    const stats = s.stats()
    await s.stop()
    await s.start()
    expect(s.stats()).toEqual(stats)
    await s.stop()

    const t = await open()
    expect(t.stats()).toEqual(stats)
    expect(t.getMeta('k')).toBe('v')
    expect(t.getLedgerHead()?.height).toBe(0)
    expect(t.listVersions(ualOf(1)).map((v) => [v.version, v.isCurrent])).toEqual([[1, false], [2, true]])
    const quads = t.getQuads(v1.id)
    expect(quads).toHaveLength(TRICKY_QUADS.length)
    quads.forEach((q, i) => expect(q.equals(TRICKY_QUADS[i]), `quad ${i}`).toBe(true))
    expect(t.getLeafHashes(v1.id)).toEqual(TRICKY_QUADS.map((_q, i) => leaf(i)))
  })

  it('stores versions of more quads than one INSERT carries, in leaf order, with one FTS row per literal', async () => {
    const s = await open()
    // 150 distinct quads (chunks of 64, 64 and 22 rows); their terms repeat, so cached and new terms mix.
    const quads = Array.from({ length: 150 }, (_v, i) => DataFactory.quad(DataFactory.namedNode(`https://ex.org/s${i % 7}`),
      DataFactory.namedNode(`https://ex.org/p${i % 3}`), DataFactory.literal(`word${i % 40} text`)))
    const leafHashes = quads.map((_q, i) => leaf(5000 + i))
    const v = s.insertVersion(newVersion({ ual: ualOf(1), quads, leafHashes }))
    const back = s.getQuads(v.id)
    expect(back).toHaveLength(150)
    back.forEach((q, i) => expect(q.equals(quads[i]), `quad ${i}`).toBe(true))
    expect(s.getLeafHashes(v.id)).toEqual(leafHashes)
    expect(s.findLeafIndex(v.id, quads[149])).toBe(149)
    await s.stop()
    // A new store object knows no term ids: the terms it meets again are found, not added (nor indexed) twice.
    const t = await open()
    const before = t.stats().terms
    t.insertVersion(newVersion({ ual: ualOf(2), quads: quads.slice(0, 40), leafHashes: leafHashes.slice(0, 40) }))
    expect(t.stats().terms).toBe(before + 1)
    await t.stop()
    const db = new Database(path, { readonly: true })
    const count = (sql: string): number => db.prepare(sql).pluck().get() as number
    expect(count('SELECT count(*) FROM literal_fts')).toBe(40)
    expect(count('SELECT count(*) FROM terms WHERE kind = 2')).toBe(40)
    db.close()
  })

  it('refuses a leaf hash that is not 32 bytes with INTERNAL, writing nothing', async () => {
    const s = await open()
    const v = newVersion({ ual: ualOf(1), quads: TRICKY_QUADS.slice(0, 2), leafHashes: [leaf(0), leaf(1).subarray(1)] })
    expectCode(() => s.insertVersion(v), 'INTERNAL')
    expect(s.stats()).toMatchObject({ assets: 0, versions: 0, terms: 0 })
  })

  it('005 moves the leaf hashes of a schema-4 database to one blob per version, every hash in leaf order', async () => {
    // The database as Cairn wrote it before 005: the shipped migrations 001…004, then its rows (leaves one per row).
    const db = databaseAtSchema(4)
    const ual = ualOf(1)
    const time = '2025-01-01T00:00:00.000Z'
    const counts = [3, 1, 300]
    db.transaction(() => {
      db.prepare("INSERT INTO assets VALUES (1, ?, 'local', ?, ?, 3, ?, ?)").run(ual, ual.split('/')[1], ual.split('/')[2], time, time)
      counts.forEach((n, i) => {
        db.prepare('INSERT INTO terms (id, kind, value) VALUES (?, 0, ?)').run(i + 1, `${ual}/v${i + 1}`)
        db.prepare(`INSERT INTO versions (id, asset, version, graph, root, signature, signed_at, triple_count, is_current, stored_at)
          VALUES (?, 1, ?, ?, ?, '0x', ?, ?, ?, ?)`).run(i + 1, i + 1, i + 1, Buffer.from(leaf(900 + i)), time, n, i === 2 ? 1 : 0, time)
        for (let idx = 0; idx < n; idx++) db.prepare('INSERT INTO leaves VALUES (?, ?, ?)').run(i + 1, idx, Buffer.from(leaf(1000 * i + idx)))
      })
    })()
    db.close()

    const s = await open()
    counts.forEach((n, i) => expect(s.getLeafHashes(i + 1), `version ${i + 1}`).toEqual(Array.from({ length: n }, (_v, idx) => leaf(1000 * i + idx))))
    expect(s.getLeafHashes(99)).toEqual([])
    // New versions land in the new table next to the moved ones.
    const v4 = s.insertVersion(newVersion({ ual, version: 4, previousRoot: s.getVersion(ual)?.root ?? null, quads: TRICKY_QUADS, leafHashes: TRICKY_QUADS.map((_q, i) => leaf(i)) }))
    expect(s.getLeafHashes(v4.id)).toEqual(TRICKY_QUADS.map((_q, i) => leaf(i)))
    await s.stop()
    const after = new Database(path, { readonly: true })
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name = 'leaves'").all()).toEqual([])
    expect(after.prepare('SELECT version_id, length(hashes) FROM leaf_hashes ORDER BY version_id').raw().all())
      .toEqual([[1, 96], [2, 32], [3, 9600], [4, 32 * TRICKY_QUADS.length]])
    after.close()
  })

  it('006 keeps contribution rows written one per citation counting one each, next to counted rows', async () => {
    const db = databaseAtSchema(5)
    const insert = db.prepare("INSERT INTO contributions (ual, version, publisher, request_hash, interface, time) VALUES (?, 1, 'P', '0x01', 'rest', '2026-01-01T00:00:00.000Z')")
    insert.run(ualOf(1))
    insert.run(ualOf(1))
    db.close()

    const s = await open()
    s.recordContributions([{ ual: ualOf(1), version: 1, publisher: 'P', requestHash: '0x02', interface: 'graphql', time: '2026-01-02T00:00:00.000Z', citations: 50 }])
    expect(s.countContributions({ limit: 10 })).toEqual({ rows: [{ publisher: 'P', ual: ualOf(1), citations: 52 }], publishers: [{ publisher: 'P', citations: 52 }], total: 52, truncated: false })
  })

  it('creates the parent directory and uses WAL', async () => {
    path = join(dir, 'a', 'b', 'cairn.sqlite')
    await open()
    await store?.stop()
    const db = new Database(path, { readonly: true })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
  })

  it('records the applied schema in schema_version', async () => {
    await open()
    await store?.stop()
    const db = new Database(path, { readonly: true })
    const rows = db.prepare('SELECT version, name, applied_at FROM schema_version ORDER BY version').all() as Array<{ version: number, name: string, applied_at: string }>
    db.close()
    const shipped = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f)).sort()
    expect(rows.map((r) => r.name)).toEqual(shipped)
    expect(rows[0]).toMatchObject({ version: 1, name: '001-initial.sql' })
    expect(Number.isNaN(Date.parse(rows[0].applied_at))).toBe(false)
  })

  it('refuses a database with a newer schema with STORE_MIGRATION and stays stopped', async () => {
    await open()
    await store?.stop()
    const db = new Database(path)
    db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (999, ?, ?)').run('999-future.sql', new Date().toISOString())
    db.close()
    const s = createAssetStore({ path })
    let err: unknown
    try { s.start() } catch (e) { err = e }
    expect(err).toBeInstanceOf(CairnError)
    expect((err as CairnError).key).toBe('STORE_MIGRATION')
    expect((err as CairnError).message).toContain('upgrade Cairn')
    expect(s.isStarted()).toBe(false)
    expectCode(() => s.getMeta('k'), 'STORE_IO')
  })

  it('cannot open a path that is a directory: STORE_IO', () => {
    mkdirSync(path)
    const s = createAssetStore({ path })
    expectCode(() => s.start(), 'STORE_IO')
    expect(s.isStarted()).toBe(false)
  })

  describe('migrate(db, dir)', () => {
    let migrations: string
    let db: Database.Database

    beforeEach(() => {
      migrations = join(dir, 'migrations')
      mkdirSync(migrations)
      copyFileSync(join(MIGRATIONS_DIR.pathname, '001-initial.sql'), join(migrations, '001-initial.sql'))
      db = new Database(path)
    })
    afterEach(() => { db.close() })

    const tables = (): string[] => (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").pluck().all() as string[])
    const versions = (): number[] => db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all() as number[]

    it('applies pending migrations once, in order, and ignores files that are not migrations', () => {
      writeFileSync(join(migrations, '002-extra.sql'), 'CREATE TABLE extra (x INTEGER);')
      writeFileSync(join(migrations, 'README.md'), 'not SQL')
      writeFileSync(join(migrations, '3-bad-name.sql'), 'THIS IS NOT SQL')
      expect(migrate(db, migrations)).toEqual({ from: 0, to: 2, applied: ['001-initial.sql', '002-extra.sql'] })
      expect(versions()).toEqual([1, 2])
      expect(tables()).toContain('extra')
      expect(migrate(db, migrations)).toEqual({ from: 2, to: 2, applied: [] })
    })

    it('a failing migration leaves the database unchanged and throws STORE_MIGRATION', () => {
      migrate(db, migrations)
      db.prepare("INSERT INTO meta (key, value) VALUES ('before', 'yes')").run()
      const before = tables()
      writeFileSync(join(migrations, '002-broken.sql'), `CREATE TABLE half_done (x INTEGER);
INSERT INTO half_done VALUES (1);
ALTER TABLE meta ADD COLUMN extra TEXT;
INSERT INTO no_such_table VALUES (1);`)
      let err: unknown
      try { migrate(db, migrations) } catch (e) { err = e }
      expect(err).toBeInstanceOf(CairnError)
      expect((err as CairnError).key).toBe('STORE_MIGRATION')
      expect((err as CairnError).message).toContain('002-broken.sql')
      expect(tables()).toEqual(before)
      expect(versions()).toEqual([1])
      expect(db.prepare('SELECT * FROM meta').all()).toEqual([{ key: 'before', value: 'yes' }])
      // Once fixed, the migration applies.
      writeFileSync(join(migrations, '002-broken.sql'), 'CREATE TABLE half_done (x INTEGER);')
      expect(migrate(db, migrations).applied).toEqual(['002-broken.sql'])
    })

    it('a failing first migration leaves no tables but schema_version', () => {
      writeFileSync(join(migrations, '001-initial.sql'), 'CREATE TABLE t (x); SELECT * FROM missing;')
      expect(() => migrate(db, migrations)).toThrow(CairnError)
      expect(tables()).toEqual(['schema_version'])
      expect(versions()).toEqual([])
    })

    it('refuses a newer database with STORE_MIGRATION', () => {
      migrate(db, migrations)
      db.prepare("INSERT INTO schema_version VALUES (2, '002-later.sql', 'now')").run()
      let err: unknown
      try { migrate(db, migrations) } catch (e) { err = e }
      expect((err as CairnError).key).toBe('STORE_MIGRATION')
      expect((err as CairnError).message).toContain('schema 2 is newer than this Cairn (1)')
    })
  })
})
