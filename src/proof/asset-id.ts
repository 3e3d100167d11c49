import { CairnError } from '../errors.js'
import { keccak256, utf8 } from './hash.js'
import { toHex } from './hex.js'

const ASSET_ID_DOMAIN = 'cairn:asset-id:v1:'

/**
 * The asset id: hex (no `0x`) of the first 20 bytes of keccak256(utf8('cairn:asset-id:v1:' + publisher + ':') ||
 * firstRoot). Binding the publisher and the first root makes the id unforgeable by another publisher and
 * derivable offline from a bundle. `publisher` is hashed as the exact string given, so it must be canonical (one
 * SS58 prefix per network).
 */
export function deriveAssetId (publisher: string, firstRoot: Uint8Array): string {
  if (typeof publisher !== 'string' || publisher.length === 0) {
    throw new CairnError('PROOF_MALFORMED', 'deriveAssetId: publisher must be a non-empty string')
  }
  if (!(firstRoot instanceof Uint8Array) || firstRoot.length !== 32) {
    throw new CairnError('PROOF_MALFORMED', 'deriveAssetId: firstRoot must be 32 bytes')
  }
  const prefix = utf8(`${ASSET_ID_DOMAIN}${publisher}:`)
  const buf = new Uint8Array(prefix.length + 32)
  buf.set(prefix, 0)
  buf.set(firstRoot, prefix.length)
  return toHex(keccak256(buf).subarray(0, 20)).slice(2)
}
