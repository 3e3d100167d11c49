/**
 * Per-request batching (DataLoader): every `load` made while one level of a query resolves is gathered into a
 * single store call, and repeated keys are read once. A page of 50 facts asks for its 50 sources in one
 * `versionsByIds` statement, whatever the number of distinct versions. Loaders live for one request only, so
 * nothing is cached across requests (a new version is seen by the next request).
 */
import DataLoader from 'dataloader'
import type { AssetService } from '../asset/index.js'
import { CairnError } from '../errors.js'
import type { Receipt } from '../proof/index.js'
import type { AssetStore, VersionRecord } from '../store/index.js'

/** The loaders of one request. */
export interface Loaders {
  /** Version records by row id (fact sources). */
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
  return {
    version: new DataLoader<number, VersionRecord>(async (ids) => {
      const byId = new Map(store.versionsByIds([...ids]).map((v) => [v.id, v]))
      return ids.map((id) => byId.get(id) ?? new CairnError('STORE_CORRUPT', `GraphQL: version row ${id} is referenced by a triple but missing; restore the store from a backup`))
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
