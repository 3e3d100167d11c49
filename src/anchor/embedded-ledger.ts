import {
  batchLeaf, buildMerkleTree, fromHex, inclusionProof, ledgerEntryHash, ledgerEntryMessage, toHex, verifyAnchorProof, verifySigned
} from '../proof/index.js'
import type { AnchorProof, Check, LedgerAnchorProof, LedgerEntry } from '../proof/index.js'
import type { Anchor, EmbeddedLedgerComponents, EmbeddedLedgerInit, LedgerAudit } from './index.js'

const ZERO_HASH = '0x' + '00'.repeat(32)

export class EmbeddedLedgerAnchor implements Anchor {
  readonly type = 'cairn-ledger/1'
  private readonly components: EmbeddedLedgerComponents
  private readonly now: () => Date

  constructor (init: EmbeddedLedgerInit, components: EmbeddedLedgerComponents) {
    this.components = components
    this.now = init.now ?? (() => new Date())
  }

  anchorBatch (roots: string[]): AnchorProof[] {
    if (roots.length === 0) return []
    const { store, signer } = this.components
    const tree = buildMerkleTree(roots.map((r) => batchLeaf(fromHex(r))))
    const head = store.getLedgerHead()
    const entry: LedgerEntry = {
      ledger: signer.address,
      height: head === undefined ? 0 : head.height + 1,
      prevHash: head === undefined ? ZERO_HASH : head.hash,
      batchRoot: toHex(tree.root),
      count: roots.length,
      timestamp: this.now().toISOString()
    }
    const entryHash = ledgerEntryHash(entry)
    const signature = toHex(signer.sign(ledgerEntryMessage(entry)))
    store.appendLedgerEntry({ ...entry, hash: entryHash, signature })
    return roots.map((root, i): LedgerAnchorProof => ({
      type: 'cairn-ledger/1',
      root,
      batchIndex: i,
      path: inclusionProof(tree, i).map(toHex),
      entry,
      entryHash,
      signature
    }))
  }

  verify (proof: AnchorProof, root: string): Check {
    return verifyAnchorProof(proof, root)
  }

  verifyChain (): LedgerAudit {
    const { store } = this.components
    const head = store.getLedgerHead()
    if (head === undefined) return { ok: true, entries: 0 }
    let prevHash = ZERO_HASH
    for (let height = 0; height <= head.height; height++) {
      const e = store.getLedgerEntry(height)
      const fail = (reason: string): LedgerAudit => ({ ok: false, entries: head.height + 1, badHeight: height, reason })
      if (e === undefined) return fail('entry missing')
      if (e.prevHash !== prevHash) return fail('prevHash does not link to the previous entry')
      const { hash, signature, ...entry } = e
      if (ledgerEntryHash(entry) !== hash) return fail('entry hash mismatch')
      if (!verifySigned(ledgerEntryMessage(entry), signature, entry.ledger)) return fail('bad signature')
      prevHash = hash
    }
    return { ok: true, entries: head.height + 1 }
  }
}
