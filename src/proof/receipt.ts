import { utf8 } from './hash.js'
import { verifySigned } from './claim.js'
import { isHash, isIsoUtc, isPositiveInt, isRecord, isToken } from './validate.js'

/**
 * A replication receipt: a peer's signed statement that it verified and stored one asset version. Signed by the
 * peer's node key (SS58 `node`); `peer` is its libp2p peer id, authenticated by the connection that carried it.
 */
export interface Receipt {
  ual: string
  version: number
  root: string
  peer: string
  node: string
  time: string
  signature: string
}

/** utf8('cairn-receipt-v1\n' + ual + '\n' + version + '\n' + root + '\n' + peer + '\n' + time) */
export function receiptMessage (r: Omit<Receipt, 'signature' | 'node'>): Uint8Array {
  return utf8(`cairn-receipt-v1\n${r.ual}\n${r.version}\n${r.root}\n${r.peer}\n${r.time}`)
}

/** True when the receipt is well formed and signed by its `node` key. */
export function verifyReceipt (r: Receipt): boolean {
  if (!isRecord(r) || !isToken(r.ual) || !isPositiveInt(r.version) || !isHash(r.root) || !isToken(r.peer) ||
    !isToken(r.node) || !isIsoUtc(r.time) || typeof r.signature !== 'string') return false
  return verifySigned(receiptMessage(r), r.signature, r.node)
}
