/**
 * Per-request batching. A list of facts reads the versions its page comes from in one `versionsByIds` statement
 * as soon as the page is read (`prefetch`), so its facts' `source`, `id` and `citation` resolve synchronously —
 * graphql-js completes a synchronous field several times faster than one behind a promise. Everything else goes
 * through DataLoaders: every `load` made while one level of a query resolves is gathered into a single store call,
 * and repeated keys are read once. Loaders live for one request only, so nothing is cached across requests (a new
 * version is seen by the next request).
 */
import DataLoader from 'dataloader'
import type { AssetService } from '../asset/index.js'
import { CairnError } from '../errors.js'
import type { Receipt } from '../proof/index.js'
import type { AssetStore, VersionRecord } from '../store/index.js'

/** The loaders of one request. */
export interface Loaders {
  /** Version records by row id (fact sources) read so far in this request: lets fact fields resolve synchronously. */
  known: Map<number, VersionRecord>
  /** Read, in one statement, the versions of a page of facts that are not known yet (the page's list calls it). */
  prefetch: (ids: Iterable<number>) => void
  /** Version records by row id, batched across the request (facts reached without a prefetch, e.g. `node`). */
  version: DataLoader<number, VersionRecord>
  /** Every version of an asset by UAL, oldest first (`AssetVersion.versions`). */
  versionsOf: DataLoader<string, VersionRecord[]>
  /** Replication receipts of a version (keyed by row id). */
  receipts: DataLoader<VersionRecord, Receipt[], number>
}

/** What the loaders read from. */
export interface LoadersComponents {
  store: Pick<AssetStore, 'versionsByIds' | 'listVersionsOf'>
  assets: Pick<AssetService, 'receipts'>
}

/** Fresh loaders for one request. */
export function createLoaders ({ store, assets }: LoadersComponents): Loaders {
  const known = new Map<number, VersionRecord>()
  /** Read the versions not known yet, in one statement (none when all are known). */
  const read = (ids: Iterable<number>): void => {
    const missing = [...new Set(ids)].filter((id) => !known.has(id))
    if (missing.length > 0) for (const v of store.versionsByIds(missing)) known.set(v.id, v)
  }
  return {
    known,
    prefetch: read,
    version: new DataLoader<number, VersionRecord>(async (ids) => {
      read(ids)
      return ids.map((id) => known.get(id) ?? new CairnError('STORE_CORRUPT', `GraphQL: version row ${id} is referenced by a triple but missing; restore the store from a backup`))
    }),
    versionsOf: new DataLoader<string, VersionRecord[]>(async (uals) => {
      const byUal = new Map<string, VersionRecord[]>(uals.map((ual) => [ual, []]))
      for (const v of store.listVersionsOf([...uals])) byUal.get(v.ual)?.push(v)
      return uals.map((ual) => byUal.get(ual) ?? [])
    }),
    // Receipts are read per version (AssetService.receipts); the loader still dedupes within a request.
    receipts: new DataLoader<VersionRecord, Receipt[], number>(async (versions) => versions.map((v) => assets.receipts(v)), { cacheKeyFn: (v) => v.id })
  }
}
