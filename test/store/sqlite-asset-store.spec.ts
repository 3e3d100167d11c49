import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
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
