import { verifySigned } from './claim.js'
import { fromHex, isHex } from './hex.js'
import { ZERO_HASH, assertLedgerEntry, batchLeaf, ledgerEntryHash, ledgerEntryMessage, type LedgerEntry } from './ledger-entry.js'
import { proofLength, verifyInclusion } from './merkle.js'
import { checkFromError, isHash, isNonNegativeInt, isRecord, isSignatureHex, malformed, type Check } from './validate.js'

/** Proof that an asset-version root is in a batch committed by a signed entry of a node's embedded ledger. */
export interface LedgerAnchorProof {
  type: 'cairn-ledger/1'
  /** The anchored asset-version root (0x). */
  root: string
  /** Position of the root in the batch (informational: sorted-pair proofs do not bind positions). */
  batchIndex: number
  /** Sibling hashes from batchLeaf(root) up to entry.batchRoot. */
  path: string[]
  entry: LedgerEntry
  entryHash: string
  /** Signature by entry.ledger over ledgerEntryMessage(entry). */
  signature: string
}

/** Every anchor kind; the `type` field discriminates (an EVM anchor, 'evm/1', is planned). */
export type AnchorProof = LedgerAnchorProof

const ANCHOR_TYPES = ['cairn-ledger/1'] as const

export function assertAnchorProof (proof: unknown, where = 'anchor'): asserts proof is AnchorProof {
  if (!isRecord(proof)) malformed(where, 'anchor', 'an object')
  if (!(ANCHOR_TYPES as readonly unknown[]).includes(proof.type)) malformed(where, 'anchor.type', `one of ${ANCHOR_TYPES.join(', ')}`)
  if (!isHash(proof.root)) malformed(where, 'anchor.root', '0x-prefixed lowercase hex of 32 bytes')
  if (!isNonNegativeInt(proof.batchIndex)) malformed(where, 'anchor.batchIndex', 'a non-negative integer')
  if (!Array.isArray(proof.path) || !proof.path.every(isHash)) malformed(where, 'anchor.path', 'an array of 0x-prefixed lowercase hex hashes of 32 bytes')
  assertLedgerEntry(proof.entry, where)
  if (!isHash(proof.entryHash)) malformed(where, 'anchor.entryHash', '0x-prefixed lowercase hex of 32 bytes')
  if (!isHex(proof.signature)) malformed(where, 'anchor.signature', '0x-prefixed lowercase hex')
}

/** A copy with a fixed key order at every level, so JSON.stringify of a citation or bundle is deterministic. */
export function canonicalAnchorProof (proof: AnchorProof): AnchorProof {
  assertAnchorProof(proof)
  const e = proof.entry
  return {
    type: proof.type,
    root: proof.root,
    batchIndex: proof.batchIndex,
    path: proof.path.slice(),
    entry: { ledger: e.ledger, height: e.height, prevHash: e.prevHash, batchRoot: e.batchRoot, count: e.count, timestamp: e.timestamp },
    entryHash: proof.entryHash,
    signature: proof.signature
  }
}

/**
 * Check that `proof` anchors `root`: the proof is about this root, the path leads from batchLeaf(root) to the
 * entry's batchRoot, entryHash is the entry's hash, and the entry is signed by its ledger key. Codes:
 * PROOF_MALFORMED (shape), PROOF_BAD_ANCHOR (anything that does not verify). Whether entry.ledger is a node you
 * trust, and whether the entry is still in that ledger's chain, are for the caller to decide.
 */
export function verifyAnchorProof (proof: AnchorProof, root: string): Check {
  try {
    assertAnchorProof(proof, 'verifyAnchorProof')
    if (!isHash(root)) malformed('verifyAnchorProof', 'root', '0x-prefixed lowercase hex of 32 bytes')
    const e = proof.entry
    if (proof.root !== root) return bad('the anchor proof is for another root')
    if (proof.batchIndex >= e.count) return bad(`batchIndex ${proof.batchIndex} is outside a batch of ${e.count}`)
    // A path of the wrong length cannot come from a batch tree of `count` leaves, even if it happens to hash right.
    if (proof.path.length !== proofLength(proof.batchIndex, e.count)) return bad('path length does not match the batch size')
    if (!verifyInclusion(batchLeaf(fromHex(root)), proof.path.map(fromHex), fromHex(e.batchRoot))) return bad('path does not lead to the batch root')
    if (e.height === 0 && e.prevHash !== ZERO_HASH) return bad('the first ledger entry must have a zero prevHash')
    if (proof.entryHash !== ledgerEntryHash(e)) return bad('entryHash is not the hash of the entry')
    if (!verifySigned(ledgerEntryMessage(e), proof.signature, e.ledger)) return bad('the entry signature is not valid for the ledger key')
    return { ok: true }
  } catch (err) {
    return checkFromError(err)
  }
}

function bad (reason: string): Check {
  return { ok: false, code: 'PROOF_BAD_ANCHOR', reason }
}
