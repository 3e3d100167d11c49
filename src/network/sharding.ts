import { createHash } from 'node:crypto'

/** sha256 of a string's UTF-8 bytes: the key space of sharding (as kad-dht orders peers). */
export function shardKey (value: string): Uint8Array {
  return createHash('sha256').update(value, 'utf8').digest()
}

/** Peer ids are few and asked about for every asset (a sync page checks 500): keep their keys. */
const peerKeys = new Map<string, Uint8Array>()
const PEER_KEY_CACHE = 4096

function peerKey (id: string): Uint8Array {
  let key = peerKeys.get(id)
  if (key === undefined) {
    if (peerKeys.size >= PEER_KEY_CACHE) peerKeys.clear()
    key = shardKey(id)
    peerKeys.set(id, key)
  }
  return key
}

/** XOR distance comparison of two keys to a target (big-endian bytes). */
function compareDistance (a: Uint8Array, b: Uint8Array, target: Uint8Array): number {
  for (let i = 0; i < target.length; i++) {
    const da = a[i] ^ target[i]
    const db = b[i] ^ target[i]
    if (da !== db) return da - db
  }
  return 0
}

/**
 * The R peers (by peer id string, self included) closest to sha256(UAL) in XOR distance of sha256(peer id):
 * the asset's holders. Deterministic for a given peer set, so every node computes the same holders.
 */
export function closestPeers (ual: string, peers: string[], r: number): string[] {
  const target = shardKey(ual)
  const keyed = [...new Set(peers)].map((id) => ({ id, key: peerKey(id) }))
  keyed.sort((x, y) => compareDistance(x.key, y.key, target))
  return keyed.slice(0, r).map((p) => p.id)
}
