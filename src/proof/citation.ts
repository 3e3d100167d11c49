import { deskolemizeLine, versionIri } from '../rdf/skolem.js'
import { assertAnchorProof, canonicalAnchorProof, verifyAnchorProof, type AnchorProof } from './anchor-proof.js'
import { deriveAssetId } from './asset-id.js'
import { assertClaim, verifyClaim } from './claim.js'
import { leafHash } from './hash.js'
import { fromHex, isHex, toHex } from './hex.js'
import { verifyInclusion } from './merkle.js'
import { ualParts } from './ual-binding.js'
import { checkFromError, isHash, isNonNegativeInt, isRecord, isToken, malformed, type Check } from './validate.js'

/** Everything needed to check, offline, that one triple was published in one asset version. */
export interface Citation {
  ual: string
  version: number
  /** Skolemized N-Triples line, as stored and queried. */
  triple: string
  /** The merkle leaf line, with `_:c14nN` labels. */
  canonical: string
  leafIndex: number
  leafHash: string
  proof: string[]
  root: string
  previousRoot: string | null
  timestamp: string
  publisher: string
  signature: string
  anchor: AnchorProof
}

/**
 * A citation as served: exactly {@link Citation} (same builder, same key order), except that `proof` is left out when
 * the request says so (`withProofs: false`, GraphQL `withProof: false`) — such a citation cannot be verified offline
 * (fetch the proof with `GET /assets/{ual}/proof` to check it).
 */
export type ServedCitation = Omit<Citation, 'proof'> & { proof?: string[] }

/** The members of a citation that are the same for every triple of one asset version. */
export type CitationVersion = Pick<Citation, 'ual' | 'version' | 'root' | 'previousRoot' | 'timestamp' | 'publisher' | 'signature' | 'anchor'>
/** The members of a citation that belong to its triple. */
export type CitationLeaf = Pick<Citation, 'triple' | 'canonical' | 'leafIndex' | 'leafHash' | 'proof'>

function assertCitationVersion (c: unknown, where: string): asserts c is CitationVersion {
  if (!isRecord(c)) malformed(where, 'citation', 'an object')
  assertClaim(c, where)
  if (!isToken(c.publisher)) malformed(where, 'publisher', 'an SS58 address')
  if (!isHex(c.signature)) malformed(where, 'signature', '0x-prefixed lowercase hex')
  assertAnchorProof(c.anchor, where)
}

function assertCitationLeaf (c: unknown, where: string, hashOk: (h: unknown) => boolean = isHash): asserts c is CitationLeaf {
  if (!isRecord(c)) malformed(where, 'citation', 'an object')
  if (typeof c.triple !== 'string' || c.triple.length === 0) malformed(where, 'triple', 'a non-empty string')
  if (typeof c.canonical !== 'string' || c.canonical.length === 0) malformed(where, 'canonical', 'a non-empty string')
  if (!isNonNegativeInt(c.leafIndex)) malformed(where, 'leafIndex', 'a non-negative integer')
  if (!hashOk(c.leafHash)) malformed(where, 'leafHash', '0x-prefixed lowercase hex of 32 bytes')
  if (!Array.isArray(c.proof) || !c.proof.every(hashOk)) malformed(where, 'proof', 'an array of 0x-prefixed lowercase hex hashes of 32 bytes')
}

/** Hashes a builder has checked, per version: its tree's upper nodes are in the proof of every triple. */
const MAX_CHECKED_HASHES = 4096

/** isHash remembering, up to a bound, the strings it passed (a Set lookup is ~10× cheaper than the pattern test). */
function checkedHashes (): (h: unknown) => boolean {
  const checked = new Set<string>()
  return (h) => {
    if (typeof h === 'string' && checked.has(h)) return true
    if (!isHash(h)) return false
    if (checked.size < MAX_CHECKED_HASHES) checked.add(h)
    return true
  }
}

/**
 * The one citation builder (REST, GraphQL and MCP all use it, so their citations are byte-identical): a new object
 * with exactly the {@link Citation} keys in declaration order, nested anchor included. Unknown keys are dropped;
 * a missing or malformed field throws PROOF_MALFORMED. It does not verify — see {@link verifyCitation}.
 */
export function buildCitation (parts: Citation): Citation {
  return citationBuilder(parts)(parts)
}

/**
 * {@link buildCitation} for many triples of one asset version: the version's members (claim, publisher, signature
 * and the anchor proof, which is most of a citation's checks) are checked and copied once here, each triple's
 * members on each call. The citations have the same members as buildCitation makes, each with its own `proof`;
 * they share one deep-frozen copy of the anchor proof (it is the same for the whole version, and citing every triple
 * of a version must not copy it every time), whose JSON text {@link citationJson} then writes once.
 */
export function citationBuilder (version: CitationVersion): (leaf: CitationLeaf) => Citation {
  assertCitationVersion(version, 'buildCitation')
  const anchor = frozenAnchor(canonicalAnchorProof(version.anchor))
  const v = {
    ual: version.ual,
    version: version.version,
    root: version.root,
    previousRoot: version.previousRoot,
    timestamp: version.timestamp,
    publisher: version.publisher,
    signature: version.signature
  }
  const hashOk = checkedHashes()
  return (leaf) => {
    assertCitationLeaf(leaf, 'buildCitation', hashOk)
    return {
      ual: v.ual,
      version: v.version,
      triple: leaf.triple,
      canonical: leaf.canonical,
      leafIndex: leaf.leafIndex,
      leafHash: leaf.leafHash,
      proof: leaf.proof.slice(),
      root: v.root,
      previousRoot: v.previousRoot,
      timestamp: v.timestamp,
      publisher: v.publisher,
      signature: v.signature,
      anchor
    }
  }
}

/**
 * The JSON text of the members after `proof` (root … anchor, closing brace included), per frozen anchor proof from
 * {@link citationBuilder}, with the members it was written for: a citation that still has them (the same strings)
 * reuses it. Frozen objects cannot change, so the text cannot go stale.
 */
const versionTails = new WeakMap<AnchorProof, { of: Omit<CitationVersion, 'ual' | 'version' | 'anchor'>, text: string }>()

function frozenAnchor (anchor: AnchorProof): AnchorProof {
  Object.freeze(anchor.path)
  Object.freeze(anchor.entry)
  return Object.freeze(anchor)
}

function tailJson (c: ServedCitation): string {
  const tail = versionTails.get(c.anchor)
  if (tail !== undefined && tail.of.root === c.root && tail.of.previousRoot === c.previousRoot && tail.of.timestamp === c.timestamp &&
    tail.of.publisher === c.publisher && tail.of.signature === c.signature) return tail.text
  const text = `,"root":${JSON.stringify(c.root)},"previousRoot":${JSON.stringify(c.previousRoot)},"timestamp":${JSON.stringify(c.timestamp)}` +
    `,"publisher":${JSON.stringify(c.publisher)},"signature":${JSON.stringify(c.signature)},"anchor":${JSON.stringify(c.anchor)}}`
  if (Object.isFrozen(c.anchor) && Object.isFrozen(c.anchor.path) && Object.isFrozen(c.anchor.entry)) {
    versionTails.set(c.anchor, { of: { root: c.root, previousRoot: c.previousRoot, timestamp: c.timestamp, publisher: c.publisher, signature: c.signature }, text })
  }
  return text
}

/**
 * A citation's JSON text: the bytes `JSON.stringify` gives for a citation from the builder (what REST's `res.json`
 * sends), with no `proof` member when it is left out. The members that are the same for a whole version are written
 * once per version (see {@link citationBuilder}), so a page of one version's citations costs a fraction of
 * stringifying each.
 */
export function citationJson (c: ServedCitation): string {
  return `{"ual":${JSON.stringify(c.ual)},"version":${JSON.stringify(c.version)},"triple":${JSON.stringify(c.triple)}` +
    `,"canonical":${JSON.stringify(c.canonical)},"leafIndex":${JSON.stringify(c.leafIndex)},"leafHash":${JSON.stringify(c.leafHash)}` +
    (c.proof === undefined ? '' : `,"proof":${JSON.stringify(c.proof)}`) + tailJson(c)
}

/**
 * Verify a citation end to end. All checks run and are reported in `checks`; the code is the first failure in
 * this order: `triple` (deskolemizes to `canonical`) and `leafHash` (hash of `canonical`) → PROOF_INVALID;
 * `inclusion` (proof leads to root) → PROOF_ROOT_MISMATCH; `publisher` (the UAL names this publisher and, for
 * version 1, its asset id is deriveAssetId(publisher, root)) and `signature` (publisher signed the version claim) →
 * PROOF_BAD_SIGNATURE; `anchor` → PROOF_BAD_ANCHOR. Shape errors → PROOF_MALFORMED without `checks`.
 * `leafIndex` is informational: sorted-pair proofs do not bind a position.
 */
export function verifyCitation (c: Citation): Check & { checks?: Record<string, boolean> } {
  try {
    assertCitationVersion(c, 'verifyCitation')
    assertCitationLeaf(c, 'verifyCitation')
  } catch (err) {
    return checkFromError(err)
  }
  const anchor = verifyAnchorProof(c.anchor, c.root)
  const checks = {
    triple: deskolemizeLine(c.triple, versionIri(c.ual, c.version)) === c.canonical,
    leafHash: safe(() => toHex(leafHash(c.canonical)) === c.leafHash),
    inclusion: verifyInclusion(fromHex(c.leafHash), c.proof.map(fromHex), fromHex(c.root)),
    publisher: publisherBound(c),
    signature: verifyClaim({ ual: c.ual, version: c.version, root: c.root, previousRoot: c.previousRoot, timestamp: c.timestamp }, c.signature, c.publisher),
    anchor: anchor.ok
  }
  if (!checks.triple) return { ok: false, code: 'PROOF_INVALID', reason: 'the triple does not deskolemize to the canonical leaf line', checks }
  if (!checks.leafHash) return { ok: false, code: 'PROOF_INVALID', reason: 'leafHash is not the hash of the canonical line', checks }
  if (!checks.inclusion) return { ok: false, code: 'PROOF_ROOT_MISMATCH', reason: 'the inclusion proof does not lead to the root', checks }
  if (!checks.publisher) return { ok: false, code: 'PROOF_BAD_SIGNATURE', reason: 'the UAL does not name this publisher (or, for version 1, this asset id)', checks }
  if (!checks.signature) return { ok: false, code: 'PROOF_BAD_SIGNATURE', reason: 'the publisher signature over the version claim is not valid', checks }
  if (!anchor.ok) return { ...anchor, checks }
  return { ok: true, checks }
}

function publisherBound (c: Citation): boolean {
  const parts = ualParts(c.ual)
  if (parts === undefined || parts.publisher !== c.publisher) return false
  // Version 1's root is in the citation, so the asset id can be re-derived; later versions rely on the chain.
  return c.version !== 1 || parts.assetId === deriveAssetId(c.publisher, fromHex(c.root))
}

function safe (f: () => boolean): boolean {
  try {
    return f()
  } catch {
    return false
  }
}
