/**
 * Relay global ids and keyset cursors. Both are opaque base64url strings; clients must not build them, only pass
 * back what the API gave them. A global id is base64url(`Type:key`) where the key is public (an IRI, a version
 * IRI), so an id stays meaningful on every node holding the same data; a cursor is base64url(JSON) of a store
 * keyset position, tagged with the kind of list it belongs to.
 */
import { CairnError } from '../errors.js'
import type { EntityHitKey, FactKey } from '../store/index.js'

/** The types that implement `Node`. */
export type NodeType = 'AssetVersion' | 'Entity' | 'Fact'
const NODE_TYPES: readonly string[] = ['AssetVersion', 'Entity', 'Fact']

/** base64url(`Type:key`). */
export function toGlobalId (type: NodeType, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url')
}

/** The type and key of a global id, or undefined when the id is not one of ours. */
export function fromGlobalId (id: string): { type: NodeType, key: string } | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return undefined
  const text = Buffer.from(id, 'base64url').toString('utf8')
  const colon = text.indexOf(':')
  const type = text.slice(0, colon)
  if (colon < 1 || !NODE_TYPES.includes(type)) return undefined
  return { type: type as NodeType, key: text.slice(colon + 1) }
}

/** Key of a fact's global id: its version IRI and leaf index (`did:cairn:…/v2#17`). */
export function factKey (versionIri: string, leafIndex: number): string {
  return `${versionIri}#${leafIndex}`
}

/** The parts of a fact's key, or undefined when it is not one. */
export function parseFactKey (key: string): { versionIri: string, leafIndex: number } | undefined {
  const hash = key.lastIndexOf('#')
  const index = key.slice(hash + 1)
  if (hash < 1 || !/^(0|[1-9]\d{0,8})$/.test(index)) return undefined
  return { versionIri: key.slice(0, hash), leafIndex: Number(index) }
}

const encode = (value: unknown[]): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')

/** Cursor of a fact in any fact list: the store's keyset position. */
export const factCursor = (k: FactKey): string => encode(['f', k.versionId, k.leafIndex, k.s, k.p, k.o])
/** Cursor of a search hit: its score and term id. */
export const searchCursor = (k: EntityHitKey): string => encode(['e', k.score, k.s])
/** Cursor of an asset in `assets`: its UAL (as `GET /assets?after=`). */
export const assetCursor = (ual: string): string => encode(['a', ual])

function decode (cursor: string, tag: string, arity: number): unknown[] {
  let value: unknown
  try {
    value = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined
  } catch {
    value = undefined
  }
  if (!Array.isArray(value) || value[0] !== tag || value.length !== arity + 1) throw badCursor(cursor)
  return value.slice(1)
}

function badCursor (cursor: string): CairnError {
  return new CairnError('API_BAD_REQUEST', `after: ${JSON.stringify(cursor.slice(0, 100))} is not a cursor of this list; pass the endCursor of the previous page`,
    { details: { field: 'after' } })
}

const isId = (n: unknown, min = 0): n is number => Number.isSafeInteger(n) && (n as number) >= min

/** The keyset position in a fact cursor; API_BAD_REQUEST when it is not one. */
export function parseFactCursor (cursor: string): FactKey {
  const [versionId, leafIndex, s, p, o] = decode(cursor, 'f', 5)
  if (!isId(versionId) || !isId(leafIndex, -1) || !isId(s) || !isId(p) || !isId(o)) throw badCursor(cursor)
  return { versionId, leafIndex, s, p, o }
}

/** The keyset position in a search cursor; API_BAD_REQUEST when it is not one. */
export function parseSearchCursor (cursor: string): EntityHitKey {
  const [score, s] = decode(cursor, 'e', 2)
  if (typeof score !== 'number' || !Number.isFinite(score) || !isId(s)) throw badCursor(cursor)
  return { score, s }
}

/** The UAL in an asset cursor; API_BAD_REQUEST when it is not one. */
export function parseAssetCursor (cursor: string): string {
  const [ual] = decode(cursor, 'a', 1)
  if (typeof ual !== 'string') throw badCursor(cursor)
  return ual
}
