import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { Database as Db, Statement } from 'better-sqlite3'
import { DataFactory } from 'n3'
import type { Literal, Quad, Term } from '@rdfjs/types'
import { CairnError } from '../errors.js'
import { fromHex, toHex } from '../proof/index.js'
import type { AnchorProof, Receipt } from '../proof/index.js'
import { tripleToLine } from '../rdf/ntriples.js'
import { versionIri } from '../rdf/skolem.js'
import { migrate } from './migrate.js'
import type {
  AssetRecord, AssetStore, AssetStoreInit, ContributionCounts, ContributionQuery, ContributionRow, EntityHit, EntityHitKey, FactKey, FactQuery, FactRecord, KeysetPage, NewVersion, Page,
  StoredLedgerEntry, StoreStats, VersionRecord
} from './index.js'

const KIND_IRI = 0
const KIND_BLANK = 1
const KIND_LITERAL = 2
/** Term ids cached in memory; the cache is dropped whole when full or when a transaction rolls back. */
const TERM_CACHE_MAX = 200_000
/** Bytes per leaf hash: a version's leaf hashes are stored back to back in one blob. */
const HASH_BYTES = 32
/** Quad rows per INSERT statement: one call per version for most versions instead of one per quad. */
const QUAD_ROWS = 64

interface VersionRow {
  id: number, ual: string, publisher: string, version: number, root: Buffer, previous_root: Buffer | null, signature: string,
  signed_at: string, source_name: string | null, triple_count: number, anchor: string | null, is_current: number, stored_at: string
}
interface AssetRow { id: number, ual: string, network: string, publisher: string, asset_id: string, current_version: number, created_at: string, updated_at: string }
interface TermRow { id: number, kind: number, value: string, datatype: string, lang: string }
interface LedgerRow { height: number, prev_hash: string, batch_root: string, count: number, timestamp: string, signer: string, hash: string, signature: string }

const VERSION_COLUMNS = `v.id, a.ual, a.publisher, v.version, v.root, v.previous_root, v.signature, v.signed_at, v.source_name,
  v.triple_count, v.anchor, v.is_current, v.stored_at`

/** A fact row: position, term ids, then the subject, predicate and object terms (predicates are always IRIs). */
const FACT_SELECT = `SELECT q.version_id, q.idx, q.s, q.p, q.o, ts.kind, ts.value, tp.value, tob.kind, tob.value, tob.datatype, tob.lang
  FROM quads q CROSS JOIN versions v ON v.id = q.version_id
  JOIN terms ts ON ts.id = q.s JOIN terms tp ON tp.id = q.p JOIN terms tob ON tob.id = q.o`
type FactRow = [number, number, number, number, number, number, string, string, number, string, string, string]
/** Keyset start: term and version ids are ≥ 1 and leaf indexes ≥ 0, so this sorts before every fact. */
const FACT_KEY_START: FactKey = { s: 0, p: 0, o: 0, versionId: 0, leafIndex: -1 }
/** Words of a search beyond this are ignored (each one is a separate FTS5 phrase to intersect). */
const MAX_SEARCH_WORDS = 16

export class SqliteAssetStore implements AssetStore {
  private readonly init: AssetStoreInit
  private db: Db | undefined
  private stmts: ReturnType<SqliteAssetStore['prepare']> | undefined
  private readonly termIds = new Map<string, number>()
  private readonly termCache = new Map<number, Term>()
  /** INSERT INTO quads statements by row count (1…QUAD_ROWS), prepared when first needed. */
  private readonly quadInserts = new Map<number, Statement>()

  constructor (init: AssetStoreInit) {
    this.init = init
  }

  start (): void {
    if (this.db !== undefined) return
    if (this.init.path !== ':memory:') mkdirSync(dirname(this.init.path), { recursive: true })
    let db: Db
    try {
      db = new Database(this.init.path, this.init.readonly === true ? { readonly: true, fileMustExist: true } : {})
      if (this.init.readonly === true) {
        db.pragma('busy_timeout = 5000')
        this.db = db
        this.stmts = this.prepare(db)
        return
      }
      db.pragma('journal_mode = WAL')
      // NORMAL in WAL mode: a commit survives a process crash; only an OS crash may lose the last commits.
      db.pragma('synchronous = NORMAL')
      db.pragma('foreign_keys = ON')
      db.pragma(`cache_size = -${(this.init.cacheMiB ?? 64) * 1024}`)
      // Each publish of a group commit is a savepoint, which journals the original of every page it changes. Past
      // 64 KiB SQLite spills that journal to a temp file: writing it took ~30% of insertVersion's CPU. In memory it
      // lasts until the savepoint is released. The cost: temp tables and sorts (an entity search's hits) use RAM too.
      db.pragma('temp_store = MEMORY')
      db.pragma('busy_timeout = 5000')
    } catch (err) {
      throw new CairnError('STORE_IO', `Store.start: cannot open ${this.init.path}: ${(err as Error).message}`, { cause: err })
    }
    try {
      migrate(db)
    } catch (err) {
      db.close()
      throw err
    }
    this.db = db
    this.stmts = this.prepare(db)
  }

  stop (): void {
    if (this.db === undefined) return
    this.db.close()
    this.db = undefined
    this.stmts = undefined
    this.quadInserts.clear()
    this.clearCaches()
  }

  isStarted (): boolean {
    return this.db !== undefined
  }

  private prepare (db: Db) {
    return {
      termFind: db.prepare('SELECT id FROM terms WHERE value = ? AND kind = ? AND datatype = ? AND lang = ?').pluck(),
      // One statement for a new term; changes nothing when the term exists (then termFind). Not RETURNING id: SQLite
      // runs that with a statement journal, which measured slower than SELECT-then-INSERT.
      termInsert: db.prepare('INSERT INTO terms (kind, value, datatype, lang) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      termGet: db.prepare('SELECT id, kind, value, datatype, lang FROM terms WHERE id = ?'),
      ftsInsert: db.prepare('INSERT INTO literal_fts (rowid, value) VALUES (?, ?)'),
      assetGet: db.prepare('SELECT * FROM assets WHERE ual = ?'),
      assetInsert: db.prepare(`INSERT INTO assets (ual, network, publisher, asset_id, current_version, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      assetBump: db.prepare('UPDATE assets SET current_version = ?, updated_at = ? WHERE id = ?'),
      versionsUncurrent: db.prepare('UPDATE versions SET is_current = 0 WHERE asset = ? AND is_current = 1'),
      versionInsert: db.prepare(`INSERT INTO versions (asset, version, graph, root, previous_root, signature, signed_at, source_name,
        triple_count, anchor, is_current, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`),
      versionGet: db.prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN assets a ON a.id = v.asset WHERE a.ual = ? AND v.version = ?`),
      versionCurrent: db.prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN assets a ON a.id = v.asset
        WHERE a.ual = ? AND v.version = a.current_version`),
      versionList: db.prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN assets a ON a.id = v.asset WHERE a.ual = ? ORDER BY v.version`),
      versionByRoot: db.prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN assets a ON a.id = v.asset
        WHERE v.root = ? AND a.publisher = ? ORDER BY v.id LIMIT 1`),
      setAnchor: db.prepare('UPDATE versions SET anchor = ? WHERE id = ?'),
      leafInsert: db.prepare('INSERT INTO leaf_hashes (version_id, hashes) VALUES (?, ?)'),
      leafList: db.prepare('SELECT hashes FROM leaf_hashes WHERE version_id = ?').pluck(),
      // A version's leaf indexes are exactly 0…n-1, so `idx >= offset` is OFFSET without stepping over the skipped rows
      // (a citation reads one triple by its leaf index).
      quadList: db.prepare('SELECT s, p, o FROM quads WHERE version_id = ? AND idx >= ? ORDER BY idx LIMIT ?').raw(),
      quadFind: db.prepare('SELECT idx FROM quads WHERE s = ? AND p = ? AND o = ? AND version_id = ?').pluck(),
      ledgerInsert: db.prepare(`INSERT INTO ledger (height, prev_hash, batch_root, count, timestamp, signer, hash, signature)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      ledgerHead: db.prepare('SELECT * FROM ledger ORDER BY height DESC LIMIT 1'),
      ledgerGet: db.prepare('SELECT * FROM ledger WHERE height = ?'),
      metaGet: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      metaSet: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      // Named parameters: better-sqlite3 treats numbered ones (?1) as named and refuses positional values for them.
      assetsPage: db.prepare('SELECT * FROM assets WHERE (@publisher IS NULL OR publisher = @publisher) AND id > @after ORDER BY id LIMIT @limit'),
      assetIdByUal: db.prepare('SELECT id FROM assets WHERE ual = ?').pluck(),
      lastVersionId: db.prepare('SELECT coalesce(max(id), 0) FROM versions').pluck(),
      versionsPage: db.prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN assets a ON a.id = v.asset WHERE v.id > ? ORDER BY v.id LIMIT ?`),
      receiptInsert: db.prepare(`INSERT INTO receipts (version_id, peer, node, time, signature) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (version_id, peer) DO NOTHING`),
      receiptList: db.prepare(`SELECT a.ual, v.version, v.root, r.peer, r.node, r.time, r.signature FROM receipts r
        JOIN versions v ON v.id = r.version_id JOIN assets a ON a.id = v.asset WHERE r.version_id = ? ORDER BY r.time, r.peer`),
      // Graph reads: keyset pages in index order (quads_spo, quads_osp, quads_pos, primary key), terms joined in.
      // CROSS JOIN keeps quads as the outer loop, so the planner never starts from the versions table.
      factsBySubject: db.prepare(`${FACT_SELECT} WHERE q.s = @s AND (q.p, q.o, q.version_id, q.idx) > (@p, @o, @v, @i) AND v.is_current = 1
        ORDER BY q.p, q.o, q.version_id, q.idx LIMIT @limit`).raw(),
      factsBySubjectPredicate: db.prepare(`${FACT_SELECT} WHERE q.s = @s AND q.p = @pred AND (q.o, q.version_id, q.idx) > (@o, @v, @i)
        AND v.is_current = 1 ORDER BY q.o, q.version_id, q.idx LIMIT @limit`).raw(),
      factsByObject: db.prepare(`${FACT_SELECT} WHERE q.o = @o AND (q.s, q.version_id, q.idx) > (@s, @v, @i) AND v.is_current = 1
        ORDER BY q.s, q.version_id, q.idx LIMIT @limit`).raw(),
      factsByObjectPredicate: db.prepare(`${FACT_SELECT} WHERE q.p = @pred AND q.o = @o AND (q.version_id, q.idx) > (@v, @i)
        AND v.is_current = 1 ORDER BY q.version_id, q.idx LIMIT @limit`).raw(),
      factsOfVersion: db.prepare(`${FACT_SELECT} WHERE q.version_id = @v AND q.idx > @i ORDER BY q.idx LIMIT @limit`).raw(),
      // An entity scores its best literal (SQLite takes the bare column h.term from the row that gives min()).
      // MATERIALIZED: bm25() only works in the query that scans the FTS table, so that query must not be flattened.
      searchEntities: db.prepare(`WITH h AS MATERIALIZED (SELECT rowid AS term, bm25(literal_fts) AS score FROM literal_fts WHERE literal_fts MATCH @match)
        SELECT e.s, e.score, ts.kind, ts.value, tl.value, tl.datatype, tl.lang FROM (
          SELECT q.s AS s, min(h.score) AS score, h.term AS lit
          FROM h JOIN quads q ON q.o = h.term CROSS JOIN versions v ON v.id = q.version_id
          WHERE v.is_current = 1 GROUP BY q.s
        ) e JOIN terms ts ON ts.id = e.s JOIN terms tl ON tl.id = e.lit
        WHERE (e.score, e.s) > (@score, @s) ORDER BY e.score, e.s LIMIT @limit`).raw(),
      versionsByIds: db.prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN assets a ON a.id = v.asset
        WHERE v.id IN (SELECT value FROM json_each(?))`),
      versionsOfAssets: db.prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN assets a ON a.id = v.asset
        WHERE a.ual IN (SELECT value FROM json_each(?)) ORDER BY a.id, v.version`),
      currentVersionsPage: db.prepare(`SELECT ${VERSION_COLUMNS} FROM assets a JOIN versions v ON v.asset = a.id AND v.version = a.current_version
        WHERE (@publisher IS NULL OR a.publisher = @publisher) AND a.id > @after ORDER BY a.id LIMIT @limit`),
      versionsSince: db.prepare(`SELECT ${VERSION_COLUMNS} FROM versions v JOIN assets a ON a.id = v.asset WHERE v.id > ? AND v.id <= ? ORDER BY v.id`),
      literalWordCounts: db.prepare("SELECT term, doc FROM literal_fts_vocab WHERE term IN (SELECT value FROM json_each(?))").raw(),
      // LIMIT inside the CTE keeps it from being flattened and bounds the FTS5 read; no bm25, so no ranking pass.
      subjectsByLiteralWords: db.prepare(`WITH h AS (SELECT rowid AS term FROM literal_fts WHERE literal_fts MATCH @match LIMIT @literals)
        SELECT ts.kind, ts.value, tl.value, tl.datatype, tl.lang FROM h JOIN quads q ON q.o = h.term CROSS JOIN versions v ON v.id = q.version_id
        JOIN terms ts ON ts.id = q.s JOIN terms tl ON tl.id = h.term WHERE v.is_current = 1 LIMIT @limit`).raw(),
      literalsOf: db.prepare(`SELECT ts.value, tp.value, tob.value FROM json_each(@iris) ji
        JOIN terms ts ON ts.value = ji.value AND ts.kind = 0 AND ts.datatype = '' AND ts.lang = ''
        JOIN json_each(@predicates) jp JOIN terms tp ON tp.value = jp.value AND tp.kind = 0 AND tp.datatype = '' AND tp.lang = ''
        JOIN quads q ON q.s = ts.id AND q.p = tp.id CROSS JOIN versions v ON v.id = q.version_id JOIN terms tob ON tob.id = q.o
        WHERE v.is_current = 1 AND tob.kind = 2 ORDER BY q.version_id, q.idx`).raw(),
      contributionInsert: db.prepare(`INSERT INTO contributions (ual, version, publisher, request_hash, interface, time, citations)
        VALUES (@ual, @version, @publisher, @requestHash, @interface, @time, @citations)`),
      // Per (publisher, asset) counts in a window; `time` is ISO-8601 UTC text, so text order is time order.
      contributionCounts: db.prepare(`SELECT publisher, ual, sum(citations) AS citations FROM contributions
        WHERE (@publisher IS NULL OR publisher = @publisher) AND (@from IS NULL OR time >= @from) AND (@to IS NULL OR time < @to)
        GROUP BY publisher, ual ORDER BY publisher, citations DESC, ual LIMIT @limit`).raw(),
      contributionTotals: db.prepare(`SELECT publisher, sum(citations) AS citations FROM contributions
        WHERE (@publisher IS NULL OR publisher = @publisher) AND (@from IS NULL OR time >= @from) AND (@to IS NULL OR time < @to)
        GROUP BY publisher ORDER BY publisher`).raw(),
      exportQuads: db.prepare(`SELECT q.version_id, s.kind, s.value, p.value, o.kind, o.value, o.datatype, o.lang
        FROM quads q JOIN terms s ON s.id = q.s JOIN terms p ON p.id = q.p JOIN terms o ON o.id = q.o
        WHERE q.version_id > ? AND q.version_id <= ? ORDER BY q.version_id, q.idx`).raw()
    }
  }

  private get s (): NonNullable<SqliteAssetStore['stmts']> {
    if (this.stmts === undefined) throw new CairnError('STORE_IO', 'Store: not started; call start() first')
    return this.stmts
  }

  private get database (): Db {
    if (this.db === undefined) throw new CairnError('STORE_IO', 'Store: not started; call start() first')
    return this.db
  }

  transaction<T> (fn: () => T): T {
    try {
      return this.database.transaction(fn)()
    } catch (err) {
      // Ids cached inside the rolled-back (sub)transaction may no longer exist.
      this.clearCaches()
      throw wrapSqliteError(err)
    }
  }

  private clearCaches (): void {
    this.termIds.clear()
    this.termCache.clear()
  }

  private termId (term: Term): number {
    const [kind, value, datatype, lang] = encodeTerm(term)
    const key = `${kind}\u0000${value}\u0000${datatype}\u0000${lang}`
    const cached = this.termIds.get(key)
    if (cached !== undefined) return cached
    const inserted = this.s.termInsert.run(kind, value, datatype, lang)
    let id: number
    if (inserted.changes === 0) id = this.s.termFind.get(value, kind, datatype, lang) as number
    else {
      id = Number(inserted.lastInsertRowid)
      if (kind === KIND_LITERAL) this.s.ftsInsert.run(id, value)
    }
    if (this.termIds.size >= TERM_CACHE_MAX) this.termIds.clear()
    this.termIds.set(key, id)
    return id
  }

  private term (id: number): Term {
    const cached = this.termCache.get(id)
    if (cached !== undefined) return cached
    const row = this.s.termGet.get(id) as TermRow | undefined
    if (row === undefined) throw new CairnError('STORE_CORRUPT', `Store: term ${id} is missing; restore from a backup or re-replicate`)
    const term = decodeTerm(row)
    if (this.termCache.size >= TERM_CACHE_MAX) this.termCache.clear()
    this.termCache.set(id, term)
    return term
  }

  private quadInsert (count: number): Statement {
    let stmt = this.quadInserts.get(count)
    if (stmt === undefined) {
      stmt = this.database.prepare(`INSERT INTO quads (version_id, idx, s, p, o) VALUES ${Array(count).fill('(?, ?, ?, ?, ?)').join(', ')}`)
      this.quadInserts.set(count, stmt)
    }
    return stmt
  }

  insertVersion (v: NewVersion): VersionRecord {
    if (v.quads.length !== v.leafHashes.length) {
      throw new CairnError('INTERNAL', `Store.insertVersion: ${v.quads.length} quads but ${v.leafHashes.length} leaf hashes`)
    }
    if (v.leafHashes.some((h) => h.length !== HASH_BYTES)) throw new CairnError('INTERNAL', `Store.insertVersion: a leaf hash is not ${HASH_BYTES} bytes`)
    return this.transaction(() => {
      const s = this.s
      const now = new Date().toISOString()
      const asset = s.assetGet.get(v.ual) as AssetRow | undefined
      let assetRowId: number
      if (asset === undefined) {
        if (v.version !== 1) throw conflict(v.ual, v.version, 0)
        assetRowId = Number(s.assetInsert.run(v.ual, v.network, v.publisher, v.assetId, 1, now, now).lastInsertRowid)
      } else {
        if (v.version !== asset.current_version + 1) throw conflict(v.ual, v.version, asset.current_version)
        assetRowId = asset.id
        s.versionsUncurrent.run(assetRowId)
        s.assetBump.run(v.version, now, assetRowId)
      }
      const graphIri = versionIri(v.ual, v.version)
      const graph = this.termId(DataFactory.namedNode(graphIri))
      const root = fromHex(v.root)
      const previousRoot = v.previousRoot === null ? null : fromHex(v.previousRoot)
      const versionId = Number(s.versionInsert.run(assetRowId, v.version, graph, root, previousRoot, v.signature, v.timestamp,
        v.sourceName, v.quads.length, v.anchor === undefined ? null : JSON.stringify(v.anchor), now).lastInsertRowid)
      s.leafInsert.run(versionId, Buffer.concat(v.leafHashes))
      const n = v.quads.length
      const rows = new Array<number>(n * 5)
      for (let i = 0; i < n; i++) {
        const q = v.quads[i]
        rows[i * 5] = versionId
        rows[i * 5 + 1] = i
        rows[i * 5 + 2] = this.termId(q.subject)
        rows[i * 5 + 3] = this.termId(q.predicate)
        rows[i * 5 + 4] = this.termId(q.object)
      }
      for (let at = 0; at < n; at += QUAD_ROWS) {
        const count = Math.min(QUAD_ROWS, n - at)
        this.quadInsert(count).run(rows.slice(at * 5, (at + count) * 5))
      }
      // The row as toVersion would read it back (hex normalized the same way), without reading it.
      return {
        id: versionId, ual: v.ual, publisher: v.publisher, version: v.version, versionIri: graphIri, root: toHex(root),
        previousRoot: previousRoot === null ? null : toHex(previousRoot), signature: v.signature, timestamp: v.timestamp,
        sourceName: v.sourceName, tripleCount: v.quads.length, anchor: v.anchor ?? null, isCurrent: true, storedAt: now
      }
    })
  }

  setAnchor (versionId: number, anchor: AnchorProof): void {
    this.s.setAnchor.run(JSON.stringify(anchor), versionId)
  }

  getAsset (ual: string): AssetRecord | undefined {
    const row = this.s.assetGet.get(ual) as AssetRow | undefined
    return row === undefined ? undefined : toAsset(row)
  }

  findVersionByRoot (publisher: string, root: string): VersionRecord | undefined {
    const row = this.s.versionByRoot.get(fromHex(root), publisher) as VersionRow | undefined
    return row === undefined ? undefined : toVersion(row)
  }

  getVersion (ual: string, version?: number): VersionRecord | undefined {
    const row = (version === undefined ? this.s.versionCurrent.get(ual) : this.s.versionGet.get(ual, version)) as VersionRow | undefined
    return row === undefined ? undefined : toVersion(row)
  }

  listVersions (ual: string): VersionRecord[] {
    return (this.s.versionList.all(ual) as VersionRow[]).map(toVersion)
  }

  listAssets (options: { publisher?: string, after?: string, limit: number }): Page<AssetRecord> {
    const afterId = options.after === undefined ? 0 : (this.s.assetIdByUal.get(options.after) as number | undefined) ?? 0
    const rows = this.s.assetsPage.all({ publisher: options.publisher ?? null, after: afterId, limit: options.limit + 1 }) as AssetRow[]
    const more = rows.length > options.limit
    const items = rows.slice(0, options.limit).map(toAsset)
    return { items, next: more ? items[items.length - 1].ual : null }
  }

  getQuads (versionId: number, options: { offset?: number, limit?: number } = {}): Quad[] {
    const rows = this.s.quadList.all(versionId, options.offset ?? 0, options.limit ?? -1) as Array<[number, number, number]>
    return rows.map(([s, p, o]) => DataFactory.quad(this.term(s) as Quad['subject'], this.term(p) as Quad['predicate'], this.term(o) as Quad['object']))
  }

  getLeafHashes (versionId: number): Uint8Array[] {
    const b = this.s.leafList.get(versionId) as Buffer | undefined
    if (b === undefined) return []
    return Array.from({ length: b.byteLength / HASH_BYTES }, (_v, i) => new Uint8Array(b.buffer, b.byteOffset + i * HASH_BYTES, HASH_BYTES))
  }

  findLeafIndex (versionId: number, triple: Pick<Quad, 'subject' | 'predicate' | 'object'>): number | undefined {
    const ids = [triple.subject, triple.predicate, triple.object].map((t) => {
      const [kind, value, datatype, lang] = encodeTerm(t)
      return this.s.termFind.get(value, kind, datatype, lang) as number | undefined
    })
    if (ids.some((id) => id === undefined)) return undefined
    return this.s.quadFind.get(ids[0], ids[1], ids[2], versionId) as number | undefined
  }

  appendLedgerEntry (e: StoredLedgerEntry): void {
    this.s.ledgerInsert.run(e.height, e.prevHash, e.batchRoot, e.count, e.timestamp, e.ledger, e.hash, e.signature)
  }

  getLedgerHead (): StoredLedgerEntry | undefined {
    const row = this.s.ledgerHead.get() as LedgerRow | undefined
    return row === undefined ? undefined : toLedger(row)
  }

  getLedgerEntry (height: number): StoredLedgerEntry | undefined {
    const row = this.s.ledgerGet.get(height) as LedgerRow | undefined
    return row === undefined ? undefined : toLedger(row)
  }

  listVersionsPage (afterId: number, limit: number): VersionRecord[] {
    return (this.s.versionsPage.all(afterId, limit) as VersionRow[]).map(toVersion)
  }

  addReceipt (versionId: number, r: Receipt): void {
    this.s.receiptInsert.run(versionId, r.peer, r.node, r.time, r.signature)
  }

  listReceipts (versionId: number): Receipt[] {
    return (this.s.receiptList.all(versionId) as Array<Omit<Receipt, 'root'> & { root: Buffer }>).map((r) => ({ ...r, root: toHex(r.root) }))
  }

  lastVersionId (): number {
    return this.s.lastVersionId.get() as number
  }

  listVersionsSince (afterId: number, uptoId: number): VersionRecord[] {
    return (this.s.versionsSince.all(afterId, uptoId) as VersionRow[]).map(toVersion)
  }

  exportLines (afterId: number, uptoId: number, onVersion: (versionId: number, lines: string[]) => void): void {
    let current = -1
    let lines: string[] = []
    for (const row of this.s.exportQuads.iterate(afterId, uptoId) as Iterable<[number, number, string, string, number, string, string, string]>) {
      const [versionId, sKind, s, p, oKind, o, datatype, lang] = row
      if (versionId !== current) {
        if (current !== -1) onVersion(current, lines)
        current = versionId
        lines = []
      }
      lines.push(tripleToLine(decodeTerm({ id: 0, kind: sKind, value: s, datatype: '', lang: '' }), DataFactory.namedNode(p),
        decodeTerm({ id: 0, kind: oKind, value: o, datatype, lang })))
    }
    if (current !== -1) onVersion(current, lines)
  }

  factsBySubject (iri: string, query: FactQuery): KeysetPage<FactRecord> {
    const s = this.iriId(iri)
    if (s === undefined) return { items: [], hasMore: false }
    if (query.predicate === undefined) return this.factPage(this.s.factsBySubject, { s }, query)
    const pred = this.iriId(query.predicate)
    return pred === undefined ? { items: [], hasMore: false } : this.factPage(this.s.factsBySubjectPredicate, { s, pred }, query)
  }

  factsByObject (iri: string, query: FactQuery): KeysetPage<FactRecord> {
    const o = this.iriId(iri)
    if (o === undefined) return { items: [], hasMore: false }
    if (query.predicate === undefined) return this.factPage(this.s.factsByObject, { o }, query)
    const pred = this.iriId(query.predicate)
    return pred === undefined ? { items: [], hasMore: false } : this.factPage(this.s.factsByObjectPredicate, { o, pred }, query)
  }

  factsOfVersion (versionId: number, query: FactQuery): KeysetPage<FactRecord> {
    return this.factPage(this.s.factsOfVersion, { v: versionId }, { limit: query.limit, ...(query.after === undefined ? {} : { after: query.after }) })
  }

  private iriId (iri: string): number | undefined {
    return this.s.termFind.get(iri, KIND_IRI, '', '') as number | undefined
  }

  /** Run one fact statement from the cursor: fixed bindings win over the cursor's (a listing's own subject/object). */
  private factPage (stmt: Statement, fixed: Record<string, number>, query: FactQuery): KeysetPage<FactRecord> {
    const after = query.after ?? FACT_KEY_START
    const rows = stmt.all({ s: after.s, p: after.p, o: after.o, v: after.versionId, i: after.leafIndex, ...fixed, limit: query.limit + 1 }) as FactRow[]
    const items = rows.slice(0, query.limit).map(([versionId, leafIndex, s, p, o, sKind, sValue, pValue, oKind, oValue, datatype, lang]) => ({
      versionId,
      leafIndex,
      subject: decodeTerm({ id: s, kind: sKind, value: sValue, datatype: '', lang: '' }) as Quad['subject'],
      predicate: DataFactory.namedNode(pValue),
      object: decodeTerm({ id: o, kind: oKind, value: oValue, datatype, lang }) as Quad['object'],
      key: { s, p, o, versionId, leafIndex }
    }))
    return { items, hasMore: rows.length > query.limit }
  }

  searchEntities (text: string, query: { after?: EntityHitKey, limit: number }): KeysetPage<EntityHit> {
    // Each word becomes a quoted FTS5 phrase: operators and punctuation in user text are matched, never parsed.
    const words = text.split(/\s+/).filter((w) => w !== '').slice(0, MAX_SEARCH_WORDS)
    if (words.length === 0) return { items: [], hasMore: false }
    const match = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' ')
    const after = query.after ?? { score: -Number.MAX_VALUE, s: 0 }
    const rows = this.s.searchEntities.all({ match, score: after.score, s: after.s, limit: query.limit + 1 }) as
      Array<[number, number, number, string, string, string, string]>
    const items = rows.slice(0, query.limit).map(([s, score, kind, value, literal, datatype, lang]) => ({
      subject: decodeTerm({ id: s, kind, value, datatype: '', lang: '' }) as Quad['subject'],
      literal: decodeTerm({ id: 0, kind: KIND_LITERAL, value: literal, datatype, lang }) as Literal,
      score,
      key: { score, s }
    }))
    return { items, hasMore: rows.length > query.limit }
  }

  versionsByIds (ids: number[]): VersionRecord[] {
    if (ids.length === 0) return []
    return (this.s.versionsByIds.all(JSON.stringify(ids)) as VersionRow[]).map(toVersion)
  }

  listVersionsOf (uals: string[]): VersionRecord[] {
    if (uals.length === 0) return []
    return (this.s.versionsOfAssets.all(JSON.stringify(uals)) as VersionRow[]).map(toVersion)
  }

  listCurrentVersions (options: { publisher?: string, after?: string, limit: number }): Page<VersionRecord> {
    const afterId = options.after === undefined ? 0 : (this.s.assetIdByUal.get(options.after) as number | undefined) ?? 0
    const rows = this.s.currentVersionsPage.all({ publisher: options.publisher ?? null, after: afterId, limit: options.limit + 1 }) as VersionRow[]
    const items = rows.slice(0, options.limit).map(toVersion)
    return { items, next: rows.length > options.limit ? items[items.length - 1].ual : null }
  }

  literalWordCounts (words: string[]): Map<string, number> {
    if (words.length === 0) return new Map()
    return new Map(this.s.literalWordCounts.all(JSON.stringify(words)) as Array<[string, number]>)
  }

  subjectsByLiteralWords (text: string, options: { literals: number, limit: number }): Array<{ subject: Quad['subject'], literal: Literal }> {
    const words = text.split(/\s+/).filter((w) => w !== '').slice(0, MAX_SEARCH_WORDS)
    if (words.length === 0) return []
    const match = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' ')
    const rows = this.s.subjectsByLiteralWords.all({ match, literals: options.literals, limit: options.limit }) as Array<[number, string, string, string, string]>
    return rows.map(([kind, value, literal, datatype, lang]) => ({
      subject: decodeTerm({ id: 0, kind, value, datatype: '', lang: '' }) as Quad['subject'],
      literal: decodeTerm({ id: 0, kind: KIND_LITERAL, value: literal, datatype, lang }) as Literal
    }))
  }

  literalsOf (iris: string[], predicates: string[]): Map<string, Map<string, string>> {
    const out = new Map<string, Map<string, string>>()
    if (iris.length === 0 || predicates.length === 0) return out
    for (const [iri, predicate, value] of this.s.literalsOf.all({ iris: JSON.stringify(iris), predicates: JSON.stringify(predicates) }) as Array<[string, string, string]>) {
      let byPredicate = out.get(iri)
      if (byPredicate === undefined) out.set(iri, byPredicate = new Map())
      if (!byPredicate.has(predicate)) byPredicate.set(predicate, value)
    }
    return out
  }

  recordContributions (rows: ContributionRow[]): void {
    if (rows.length === 0) return
    const insert = this.s.contributionInsert
    this.transaction(() => { for (const row of rows) insert.run(row) })
  }

  countContributions (query: ContributionQuery): ContributionCounts {
    const window = { publisher: query.publisher ?? null, from: query.from ?? null, to: query.to ?? null }
    const rows = this.s.contributionCounts.all({ ...window, limit: query.limit + 1 }) as Array<[string, string, number]>
    const publishers = (this.s.contributionTotals.all(window) as Array<[string, number]>).map(([publisher, citations]) => ({ publisher, citations }))
    return {
      rows: rows.slice(0, query.limit).map(([publisher, ual, citations]) => ({ publisher, ual, citations })),
      publishers,
      total: publishers.reduce((n, p) => n + p.citations, 0),
      truncated: rows.length > query.limit
    }
  }

  getMeta (key: string): string | undefined {
    return this.s.metaGet.get(key) as string | undefined
  }

  setMeta (key: string, value: string): void {
    this.s.metaSet.run(key, value)
  }

  stats (): StoreStats {
    const count = (sql: string): number => this.database.prepare(sql).pluck().get() as number
    return {
      assets: count('SELECT count(*) FROM assets'),
      versions: count('SELECT count(*) FROM versions'),
      quads: count('SELECT count(*) FROM quads'),
      terms: count('SELECT count(*) FROM terms'),
      ledgerHeight: count('SELECT coalesce(max(height), -1) FROM ledger')
    }
  }
}

function encodeTerm (term: Term): [number, string, string, string] {
  switch (term.termType) {
    case 'NamedNode': return [KIND_IRI, term.value, '', '']
    case 'BlankNode': return [KIND_BLANK, term.value, '', '']
    case 'Literal': return [KIND_LITERAL, term.value, term.datatype.value, term.language]
    default: throw new CairnError('INTERNAL', `Store: cannot store a ${term.termType} term`)
  }
}

function decodeTerm (row: TermRow): Term {
  if (row.kind === KIND_IRI) return DataFactory.namedNode(row.value)
  if (row.kind === KIND_BLANK) return DataFactory.blankNode(row.value)
  if (row.lang !== '') return DataFactory.literal(row.value, row.lang)
  return DataFactory.literal(row.value, DataFactory.namedNode(row.datatype))
}

function toAsset (row: AssetRow): AssetRecord {
  return {
    ual: row.ual,
    network: row.network,
    publisher: row.publisher,
    assetId: row.asset_id,
    currentVersion: row.current_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

function toVersion (row: VersionRow): VersionRecord {
  return {
    id: row.id,
    ual: row.ual,
    publisher: row.publisher,
    version: row.version,
    versionIri: versionIri(row.ual, row.version),
    root: toHex(row.root),
    previousRoot: row.previous_root === null ? null : toHex(row.previous_root),
    signature: row.signature,
    timestamp: row.signed_at,
    sourceName: row.source_name,
    tripleCount: row.triple_count,
    anchor: row.anchor === null ? null : JSON.parse(row.anchor) as AnchorProof,
    isCurrent: row.is_current === 1,
    storedAt: row.stored_at
  }
}

function toLedger (row: LedgerRow): StoredLedgerEntry {
  return {
    ledger: row.signer,
    height: row.height,
    prevHash: row.prev_hash,
    batchRoot: row.batch_root,
    count: row.count,
    timestamp: row.timestamp,
    hash: row.hash,
    signature: row.signature
  }
}

function conflict (ual: string, version: number, current: number): CairnError {
  return new CairnError('ASSET_VERSION_CONFLICT', `Store.insertVersion: ${ual} is at version ${current}; version ${version} must be ${current + 1}`,
    { details: { ual, version, current } })
}

function wrapSqliteError (err: unknown): unknown {
  if (err instanceof CairnError) return err
  if (err instanceof Error && (err as { code?: string }).code?.startsWith('SQLITE_') === true) {
    return new CairnError('STORE_IO', `Store: ${err.message}`, { cause: err })
  }
  return err
}

