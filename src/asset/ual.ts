import { isHex } from '@polkadot/util'
import { CairnError } from '../errors.js'
import { UAL_PREFIX, deriveAssetId, fromHex, publicKeyOf, ualParts } from '../proof/index.js'
import { versionIri } from '../rdf/skolem.js'

/**
 * Universal Asset Locator: `did:cairn:<network>/<publisher-ss58>/<asset-id>`; one version is
 * `did:cairn:<network>/<publisher-ss58>/<asset-id>/v<N>`, which is also the IRI of that version's named graph.
 * The asset id is derived from the publisher and the first version's root ({@link deriveAssetId}), so a client
 * knows the UAL before it submits and signing needs no round trip.
 */
export interface Ual {
  network: string
  publisher: string
  assetId: string
  /** Present only in the version form. */
  version?: number
  /** The base UAL (no version). */
  ual: string
}

export { UAL_PREFIX }
const NETWORK = /^[a-z0-9][a-z0-9-]{0,31}$/
const ASSET_ID = /^[0-9a-f]{40}$/
const VERSION = /^v([1-9][0-9]{0,8})$/

export function formatUal (parts: { network: string, publisher: string, assetId: string, version?: number }): string {
  const base = `${UAL_PREFIX}${parts.network}/${parts.publisher}/${parts.assetId}`
  return parts.version === undefined ? base : versionIri(base, parts.version)
}

export function parseUal (text: string): Ual {
  const bad = (why: string): CairnError => new CairnError('ASSET_BAD_UAL',
    `parseUal: "${text.slice(0, 200)}" is not a UAL (${why}); expected did:cairn:<network>/<publisher-ss58>/<40-hex asset id>[/v<N>]`,
    { details: { ual: text.slice(0, 200) } })
  if (!text.startsWith(UAL_PREFIX)) throw bad(`must start with ${UAL_PREFIX}`)
  // One splitter for the node and the pure verifier (src/proof), so both read a UAL the same way.
  const lastSlash = text.lastIndexOf('/')
  const versionPart = /^v\d+$/.test(text.slice(lastSlash + 1)) ? text.slice(lastSlash + 1) : undefined
  const parts = ualParts(versionPart === undefined ? text : text.slice(0, lastSlash))
  if (parts === undefined) throw bad('wrong number of path segments')
  const { network, publisher, assetId } = parts
  if (!NETWORK.test(network)) throw bad('bad network name')
  if (!isAddress(publisher)) throw bad('publisher is not an SS58 address')
  if (!ASSET_ID.test(assetId)) throw bad('asset id must be 40 lowercase hex characters')
  let version: number | undefined
  if (versionPart !== undefined) {
    const m = VERSION.exec(versionPart)
    if (m === null) throw bad('version must look like v1, v2, …')
    version = Number(m[1])
  }
  const ual = formatUal({ network, publisher, assetId })
  return version === undefined ? { network, publisher, assetId, ual } : { network, publisher, assetId, version, ual }
}

/** The UAL the first version of an asset gets: known to the client before it submits. */
export function ualFor (network: string, publisher: string, firstRoot: string): string {
  return formatUal({ network, publisher, assetId: deriveAssetId(publisher, fromHex(firstRoot)) })
}

/**
 * True for an SS58 address of a 32-byte (sr25519 / ed25519) public key. decodeAddress alone also accepts a hex
 * public key and 33-byte (ECDSA) addresses; a UAL names its publisher by SS58 address only, so one key cannot mint
 * a second UAL space by spelling itself in hex.
 */
export function isAddress (address: string): boolean {
  if (typeof address !== 'string' || isHex(address)) return false
  try {
    // Cached decoding: a node sees few publishers but parses their UALs on every publish, import and read.
    return publicKeyOf(address).length === 32
  } catch {
    return false
  }
}

export function isNetworkName (name: string): boolean {
  return NETWORK.test(name)
}
