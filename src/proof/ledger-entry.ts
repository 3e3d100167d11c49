import { keccak256, utf8 } from './hash.js'
import { toHex } from './hex.js'
import { isHash, isIsoUtc, isNonNegativeInt, isPositiveInt, isRecord, isToken, malformed } from './validate.js'

/** One entry of a node's embedded, hash-chained anchor ledger: it commits to a batch of asset-version roots. */
export interface LedgerEntry {
  /** SS58 address of the node key that signs the ledger. */
  ledger: string
  height: number
  /** 0x hash of the previous entry ({@link ledgerEntryHash}); 32 zero bytes at height 0. */
  prevHash: string
  /** 0x merkle root over {@link batchLeaf} of each anchored root. */
  batchRoot: string
  /** Number of roots in the batch. */
  count: number
  timestamp: string
}

export const ZERO_HASH = `0x${'00'.repeat(32)}`

const LEDGER_TAG = 'cairn-ledger-v1'

export function assertLedgerEntry (entry: unknown, where = 'ledger entry'): asserts entry is LedgerEntry {
  if (!isRecord(entry)) malformed(where, 'entry', 'an object')
  if (!isToken(entry.ledger)) malformed(where, 'entry.ledger', 'an SS58 address')
  if (!isNonNegativeInt(entry.height)) malformed(where, 'entry.height', 'a non-negative integer')
  if (!isHash(entry.prevHash)) malformed(where, 'entry.prevHash', '0x-prefixed lowercase hex of 32 bytes')
  if (!isHash(entry.batchRoot)) malformed(where, 'entry.batchRoot', '0x-prefixed lowercase hex of 32 bytes')
  if (!isPositiveInt(entry.count)) malformed(where, 'entry.count', 'a positive integer')
  if (!isIsoUtc(entry.timestamp)) malformed(where, 'entry.timestamp', 'an ISO-8601 UTC timestamp')
}

/**
 * The bytes the node signs and hashes: utf8 of `'cairn-ledger-v1\n' + ledger + '\n' + height + '\n' + prevHash +
 * '\n' + batchRoot + '\n' + count + '\n' + timestamp`. Throws PROOF_MALFORMED on a bad field.
 */
export function ledgerEntryMessage (entry: LedgerEntry): Uint8Array {
  assertLedgerEntry(entry, 'ledgerEntryMessage')
  return utf8(`${LEDGER_TAG}\n${entry.ledger}\n${entry.height}\n${entry.prevHash}\n${entry.batchRoot}\n${entry.count}\n${entry.timestamp}`)
}

/** 0x keccak256 of {@link ledgerEntryMessage}: the next entry's prevHash. */
export function ledgerEntryHash (entry: LedgerEntry): string {
  return toHex(keccak256(ledgerEntryMessage(entry)))
}

/** The batch-tree leaf of one asset-version root: keccak256(keccak256(root)), the same double hash as triples. */
export function batchLeaf (root: Uint8Array): Uint8Array {
  return keccak256(keccak256(root))
}
