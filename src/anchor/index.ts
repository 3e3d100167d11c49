/**
 * Anchoring: committing asset roots to an append-only, tamper-evident record. The default is an embedded ledger in
 * the SQLite store (hash-chained entries, one per batch of roots, each signed by the node key). An EVM adapter
 * (NeuroWeb/Base/Gnosis) will implement the same interface in a later issue.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * const anchor = createEmbeddedLedgerAnchor({}, { store, signer: nodeSigner })
 * store.transaction(() => anchor.anchorBatch([root1, root2]))
 * ```
 */
import type { Signer } from '../asset/keys.js'
import type { AnchorProof, Check } from '../proof/index.js'
import type { AssetStore } from '../store/index.js'
import { EmbeddedLedgerAnchor } from './embedded-ledger.js'

export interface Anchor {
  /** Proof `type` this anchor produces, e.g. 'cairn-ledger/1'. */
  readonly type: string
  /**
   * Anchor a batch of roots and return one proof per root, in order. The embedded ledger runs inside the caller's
   * store transaction, so a publish and its anchor commit together. (A chain anchor will return pending and settle
   * later through `AssetStore.setAnchor`; see docs/architecture.md.)
   */
  anchorBatch (roots: string[]): AnchorProof[]
  /** Check a proof offline (no store access needed). */
  verify (proof: AnchorProof, root: string): Check
  /** Walk the whole ledger: hashes, links and signatures. */
  verifyChain (): LedgerAudit
}

export interface LedgerAudit {
  ok: boolean
  entries: number
  /** First bad height, when not ok. */
  badHeight?: number
  reason?: string
}

export interface EmbeddedLedgerInit {
  /** Clock, for tests. */
  now?: () => Date
}

export interface EmbeddedLedgerComponents {
  store: AssetStore
  /** The node key; it signs every ledger entry. */
  signer: Signer
}

export function createEmbeddedLedgerAnchor (init: EmbeddedLedgerInit, components: EmbeddedLedgerComponents): Anchor {
  return new EmbeddedLedgerAnchor(init, components)
}
