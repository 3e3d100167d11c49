import { CairnError } from '../errors.js'
import type { AssetBundle, Receipt } from '../proof/index.js'
import { PROTOCOL_VERSION } from './constants.js'

/** Most UALs in one fetch request, so a reply stays within a frame for ordinary assets. */
export const MAX_FETCH_UALS = 64

export type Request =
  | { v: 1, type: 'push', bundle: AssetBundle }
  | { v: 1, type: 'fetch', uals: string[] }
  | { v: 1, type: 'sync', after: number, limit: number }

export interface SyncItem { seq: number, ual: string, version: number, root: string }

export type Response =
  | { v: 1, type: 'receipt', receipt: Receipt }
  | { v: 1, type: 'bundles', bundles: AssetBundle[], missing: string[] }
  | { v: 1, type: 'versions', items: SyncItem[], next: number | null }
  | { v: 1, type: 'error', code: string, message: string }

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encode (message: Request | Response): Uint8Array {
  return encoder.encode(JSON.stringify(message))
}

const bad = (why: string): CairnError => new CairnError('NET_PROTOCOL', `replicate: malformed message: ${why}`)

function parse (bytes: Uint8Array): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(decoder.decode(bytes))
  } catch {
    throw bad('not UTF-8 JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('not a JSON object')
  const msg = value as Record<string, unknown>
  if (msg.v !== PROTOCOL_VERSION) throw new CairnError('NET_PROTOCOL', `replicate: unsupported protocol version ${JSON.stringify(msg.v)}; this node speaks ${PROTOCOL_VERSION}`)
  return msg
}

/** Validate the shape of a request; bundle contents are verified by the asset service. */
export function decodeRequest (bytes: Uint8Array): Request {
  const msg = parse(bytes)
  switch (msg.type) {
    case 'push':
      if (typeof msg.bundle !== 'object' || msg.bundle === null) throw bad('push without a bundle')
      return msg as unknown as Request
    case 'fetch':
      if (!Array.isArray(msg.uals) || msg.uals.length === 0 || msg.uals.length > MAX_FETCH_UALS || !msg.uals.every((u) => typeof u === 'string')) {
        throw bad(`fetch needs 1…${MAX_FETCH_UALS} UAL strings`)
      }
      return msg as unknown as Request
    case 'sync':
      if (!Number.isSafeInteger(msg.after) || (msg.after as number) < 0 || !Number.isSafeInteger(msg.limit) || (msg.limit as number) < 1) {
        throw bad('sync needs integer after ≥ 0 and limit ≥ 1')
      }
      return msg as unknown as Request
    default:
      throw bad(`unknown request type ${JSON.stringify(msg.type)}`)
  }
}

export function decodeResponse (bytes: Uint8Array): Response {
  const msg = parse(bytes)
  const ok = (msg.type === 'receipt' && typeof msg.receipt === 'object') ||
    (msg.type === 'bundles' && Array.isArray(msg.bundles) && Array.isArray(msg.missing)) ||
    (msg.type === 'versions' && Array.isArray(msg.items) && (msg.next === null || Number.isSafeInteger(msg.next))) ||
    (msg.type === 'error' && typeof msg.code === 'string')
  if (!ok) throw bad(`unexpected response ${JSON.stringify(msg.type)}`)
  return msg as unknown as Response
}
