/**
 * The store of record: SQLite (better-sqlite3, WAL). Assets, versions, dictionary-encoded quads, leaf hashes,
 * the embedded anchor ledger and node metadata. SQL stays inside this module; everyone else sees {@link AssetStore}.
 *
 * Writes are synchronous and grouped by the caller with {@link AssetStore.transaction} (nested calls become
 * savepoints), so one commit can carry many publishes (group commit) while each publish stays all-or-nothing.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const store = createAssetStore({ path: 'data/cairn.sqlite' })
 * await store.start()
 * store.transaction(() => store.insertVersion(version))
 * ```
 */
import type { Literal, Quad } from '@rdfjs/types'
import type { AnchorProof, LedgerEntry, Receipt } from '../proof/index.js'
import type { Startable } from '../startable.js'
import { SqliteAssetStore } from './sqlite-asset-store.js'

export interface AssetRecord {
  ual: string
  network: string
  publisher: string
  assetId: string
  currentVersion: number
  createdAt: string
  updatedAt: string
}

export interface VersionRecord {
  /** Internal row id; stable for the life of the database, used for leaf/quad lookups. */
  id: number
  ual: string
  publisher: string
  version: number
  /** The named graph IRI of this version (`<ual>/v<version>`). */
  versionIri: string
  root: string
  previousRoot: string | null
  signature: string
  /** The timestamp inside the signed claim. */
  timestamp: string
  sourceName: string | null
  tripleCount: number
  /** Null while an asynchronous anchor is pending. */
  anchor: AnchorProof | null
  isCurrent: boolean
  storedAt: string
}

/**
 * A version a commit created, with its canonical leaf lines (blank nodes as `_:c14nN`): what followers of the store
 * (query engines) need to apply the commit without reading it back.
 */
export interface CreatedVersion { record: VersionRecord, lines: string[] }

export interface NewVersion {
  ual: string
  network: string
  publisher: string
  assetId: string
  version: number
  root: string
  previousRoot: string | null
  signature: string
  timestamp: string
  sourceName: string | null
  /** Leaf hashes in leaf order, 32 bytes each. */
  leafHashes: Uint8Array[]
  /** Skolemized triples in leaf order (index i ↔ leafHashes[i]); graph is ignored. */
  quads: Quad[]
  /** The anchor proof, when the version arrives already anchored (replication); else anchored at commit. */
  anchor?: AnchorProof
}

export interface StoredLedgerEntry extends LedgerEntry {
  hash: string
  signature: string
}

export interface Page<T> { items: T[], next: string | null }

export interface StoreStats { assets: number, versions: number, quads: number, terms: number, ledgerHeight: number }

/**
 * Keyset position of a stored triple: its dictionary term ids, its version's row id and its leaf index. The same
 * key orders every fact listing (each listing compares the suffix its index is sorted by), and because a triple row
 * is never rewritten, a key stays a valid position while other versions are inserted.
 */
export interface FactKey { s: number, p: number, o: number, versionId: number, leafIndex: number }

/** One triple of one stored version, with where it sits (version row id, leaf index) for proofs. */
export interface FactRecord {
  versionId: number
  /** Position of the triple's leaf in its version's merkle tree. */
  leafIndex: number
  subject: Quad['subject']
  predicate: Quad['predicate']
  object: Quad['object']
  key: FactKey
}

export interface FactQuery {
  /** Only triples with this predicate IRI. */
  predicate?: string
  /** Resume after this fact (the `key` of the last fact of the previous page). */
  after?: FactKey
  limit: number
}

/** Keyset position in an entity search: the entity's score, then its term id. */
export interface EntityHitKey { score: number, s: number }

/** An entity found by full-text search over literal values. */
export interface EntityHit {
  subject: Quad['subject']
  /** Its best-matching literal (an object of one of its triples). */
  literal: Literal
  /** FTS5 bm25 of that literal: lower is better. */
  score: number
  key: EntityHitKey
}

/** A page read by keyset: `hasMore` says whether another page follows. */
export interface KeysetPage<T> { items: T[], hasMore: boolean }

/** Citations of one asset version served in one answer, as the contribution ledger stores them. */
export interface ContributionRow {
  ual: string
  version: number
  publisher: string
  /** keccak256 request hash of the answer that carried the citation (docs/api.md#signed-responses). */
  requestHash: string
  /** rest, graphql, mcp or cli. */
  interface: string
  /** ISO-8601 UTC. */
  time: string
  /** How many of this version's triples the answer cited (≥ 1). */
  citations: number
}

export interface ContributionQuery { publisher?: string, from?: string, to?: string, limit: number }

export interface ContributionCounts {
  rows: Array<{ publisher: string, ual: string, citations: number }>
  /** Citations per publisher over every matching row (also those past `limit`). */
  publishers: Array<{ publisher: string, citations: number }>
  total: number
  truncated: boolean
}

export interface AssetStore extends Startable {
  /** Run fn in a transaction; nested calls are savepoints, so an inner failure rolls back only its own writes. */
  transaction<T> (fn: () => T): T
  /** Insert a version (creating the asset at version 1) and make it current. ASSET_VERSION_CONFLICT if not next. */
  insertVersion (version: NewVersion): VersionRecord
  setAnchor (versionId: number, anchor: AnchorProof): void
  getAsset (ual: string): AssetRecord | undefined
  /** A version of this publisher with this root, for idempotent re-publishing. */
  findVersionByRoot (publisher: string, root: string): VersionRecord | undefined
  /** The given version, or the current one. */
  getVersion (ual: string, version?: number): VersionRecord | undefined
  listVersions (ual: string): VersionRecord[]
  listAssets (options: { publisher?: string, after?: string, limit: number }): Page<AssetRecord>
  /** Skolemized triples of a version in leaf order (default graph). */
  getQuads (versionId: number, options?: { offset?: number, limit?: number }): Quad[]
  getLeafHashes (versionId: number): Uint8Array[]
  /** The leaf index of a triple within a version, if present. */
  findLeafIndex (versionId: number, triple: Pick<Quad, 'subject' | 'predicate' | 'object'>): number | undefined
  appendLedgerEntry (entry: StoredLedgerEntry): void
  getLedgerHead (): StoredLedgerEntry | undefined
  getLedgerEntry (height: number): StoredLedgerEntry | undefined
  /** Highest version row id: row ids grow in commit order, so this is the store's commit sequence number. */
  lastVersionId (): number
  /** Versions with afterId < id <= uptoId, in commit order (for engines that mirror the store). */
  listVersionsSince (afterId: number, uptoId: number): VersionRecord[]
  /**
   * Triples of the versions with afterId < id <= uptoId as N-Triples lines (skolemized), one callback per version
   * in commit order; streamed from SQLite so a full export never materializes the store.
   */
  exportLines (afterId: number, uptoId: number, onVersion: (versionId: number, lines: string[]) => void): void
  /** Up to `limit` versions with id > afterId, in commit order (peers page through each other's logs). */
  listVersionsPage (afterId: number, limit: number): VersionRecord[]
  /** Record a peer's receipt for a version (idempotent per peer). */
  addReceipt (versionId: number, receipt: Receipt): void
  listReceipts (versionId: number): Receipt[]
  // Graph reads (GraphQL, later RAG and MCP): one SQL statement per call, terms decoded in the same statement.
  /**
   * Triples of current versions with this subject IRI, in (predicate, object, version, leaf) order (the `(s,p,o)`
   * index order; with `predicate`, (object, version, leaf)).
   */
  factsBySubject (iri: string, query: FactQuery): KeysetPage<FactRecord>
  /** Triples of current versions with this IRI as object: (subject, version, leaf) order; with `predicate`, (version, leaf). */
  factsByObject (iri: string, query: FactQuery): KeysetPage<FactRecord>
  /** Triples of one version (current or not) in leaf order; `predicate` is ignored. */
  factsOfVersion (versionId: number, query: FactQuery): KeysetPage<FactRecord>
  /**
   * Subjects (of current versions) of triples whose object is a literal matching `text` (every whitespace-separated
   * word, FTS5 `literal_fts`), best first: each entity scores its best literal's bm25; ties by term id.
   */
  searchEntities (text: string, query: { after?: EntityHitKey, limit: number }): KeysetPage<EntityHit>
  /** The versions with these row ids (missing ids are left out), in no particular order. */
  versionsByIds (ids: number[]): VersionRecord[]
  /** Every version of each of these assets, by asset then version. */
  listVersionsOf (uals: string[]): VersionRecord[]
  /** The current version of each asset, oldest asset first (`after` = the last UAL of the previous page, as in listAssets). */
  listCurrentVersions (options: { publisher?: string, after?: string, limit: number }): Page<VersionRecord>
  // Keyword entity linking (src/rag): bounded, unranked reads of the FTS5 index.
  /**
   * How many stored literals (of any version: the dictionary keeps every term) contain each word (FTS5 document
   * frequency, words as the index tokenizes them: lowercase, diacritics removed); words in no literal are left out.
   */
  literalWordCounts (words: string[]): Map<string, number>
  /**
   * (subject, literal) pairs of current versions whose literal contains every word of `text`: at most `literals`
   * matching literals in index order (no ranking, so the cost stays bounded for frequent words) and `limit` pairs.
   */
  subjectsByLiteralWords (text: string, options: { literals: number, limit: number }): Array<{ subject: Quad['subject'], literal: Literal }>
  /**
   * Literal objects of these IRIs (as subjects of current versions) with these predicates, in one read: for labels.
   * Each IRI maps to its values per predicate; IRIs with none are left out.
   */
  literalsOf (iris: string[], predicates: string[]): Map<string, Map<string, string>>
  // Contribution ledger (src/rag): every citation served, for rewarding the publishers whose knowledge was used.
  /** Append rows of served citations, all in one transaction. */
  recordContributions (rows: ContributionRow[]): void
  /**
   * Citations served per (publisher, asset) with `from <= time < to` (ISO strings), most cited first within a
   * publisher; at most `limit` rows (`truncated` when more exist). Totals count every matching citation.
   */
  countContributions (query: ContributionQuery): ContributionCounts
  getMeta (key: string): string | undefined
  setMeta (key: string, value: string): void
  stats (): StoreStats
}

export interface AssetStoreInit {
  /** Path of the SQLite file; ':memory:' for a throwaway store. */
  path: string
  /** SQLite page cache in MiB (default 64). */
  cacheMiB?: number
  /** Open read-only (query engines reading beside the writer; WAL allows it). */
  readonly?: boolean
}

export function createAssetStore (init: AssetStoreInit): AssetStore {
  return new SqliteAssetStore(init)
}
