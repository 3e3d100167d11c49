import { CairnError, type CairnErrorCode } from '../errors.js'
import { assertAnchorProof, verifyAnchorProof, type AnchorProof } from './anchor-proof.js'
import { deriveAssetId } from './asset-id.js'
import { verifyClaim } from './claim.js'
import { isSortedUnique } from './code-points.js'
import { leafHash } from './hash.js'
import { fromHex, isHex, toHex } from './hex.js'
import { merkleRoot } from './merkle.js'
import { ualParts } from './ual-binding.js'
import { isHash, isIsoUtc, isPositiveInt, isRecord, isToken, malformed } from './validate.js'

export interface BundleVersion {
  version: number
  root: string
  previousRoot: string | null
  timestamp: string
  signature: string
  sourceName: string | null
  /** Canonical leaf lines, sorted in code point order, without duplicates. */
  lines: string[]
  anchor: AnchorProof
}

/** An asset with all its versions, verifiable offline with nothing but this module. */
export interface AssetBundle {
  format: 'cairn-bundle/1'
  ual: string
  network: string
  publisher: string
  assetId: string
  versions: BundleVersion[]
}

export interface BundleReport {
  ok: boolean
  ual: string
  versions: Array<{
    version: number
    ok: boolean
    checks: { root: boolean, signature: boolean, anchor: boolean, chain: boolean }
    code?: CairnErrorCode
    reason?: string
  }>
}

const WHERE = 'verifyBundle'

/** Throws PROOF_MALFORMED unless `b` has the documented bundle shape (every field of every version). */
export function assertBundle (b: unknown): asserts b is AssetBundle {
  if (!isRecord(b)) malformed(WHERE, 'bundle', 'an object')
  if (b.format !== 'cairn-bundle/1') malformed(WHERE, 'format', "'cairn-bundle/1'")
  if (!isToken(b.ual)) malformed(WHERE, 'ual', 'a non-empty string without whitespace')
  if (typeof b.network !== 'string') malformed(WHERE, 'network', 'a string')
  if (!isToken(b.publisher)) malformed(WHERE, 'publisher', 'an SS58 address')
  if (typeof b.assetId !== 'string' || !/^[0-9a-f]{40}$/.test(b.assetId)) malformed(WHERE, 'assetId', '40 lowercase hex characters')
  if (!Array.isArray(b.versions) || b.versions.length === 0) malformed(WHERE, 'versions', 'a non-empty array')
  b.versions.forEach((v: unknown, i: number) => {
    const at = `versions[${i}]`
    if (!isRecord(v)) malformed(WHERE, at, 'an object')
    if (!isPositiveInt(v.version)) malformed(WHERE, `${at}.version`, 'a positive integer')
    if (!isHash(v.root)) malformed(WHERE, `${at}.root`, '0x-prefixed lowercase hex of 32 bytes')
    if (v.previousRoot !== null && !isHash(v.previousRoot)) malformed(WHERE, `${at}.previousRoot`, 'null or 0x-prefixed lowercase hex of 32 bytes')
    if (!isIsoUtc(v.timestamp)) malformed(WHERE, `${at}.timestamp`, 'an ISO-8601 UTC timestamp')
    if (!isHex(v.signature)) malformed(WHERE, `${at}.signature`, '0x-prefixed lowercase hex')
    if (v.sourceName !== null && typeof v.sourceName !== 'string') malformed(WHERE, `${at}.sourceName`, 'null or a string')
    if (!Array.isArray(v.lines) || !v.lines.every((l: unknown) => typeof l === 'string')) malformed(WHERE, `${at}.lines`, 'an array of strings')
    assertAnchorProof(v.anchor, `${WHERE}: ${at}`)
  })
}

/**
 * Verify a bundle offline. Per version (in array order): `root` — lines are sorted and deduplicated and their
 * merkle root equals `root`; `signature` — the publisher signed the version claim; `anchor` — the anchor proof
 * verifies for `root`; `chain` — versions are numbered 1..n, v1 has no previousRoot and
 * assetId = deriveAssetId(publisher, v1.root) with ual = did:cairn:<network>/<publisher>/<assetId>, and each later
 * previousRoot is the prior version's root.
 * The first failing check gives `code` (PROOF_ROOT_MISMATCH, PROOF_BAD_SIGNATURE, PROOF_BAD_ANCHOR, PROOF_INVALID
 * for the chain). Throws PROOF_MALFORMED when the bundle does not have the documented shape.
 */
export function verifyBundle (bundle: AssetBundle): BundleReport {
  assertBundle(bundle)
  const { ual, publisher, versions } = bundle
  const report: BundleReport = { ok: true, ual, versions: [] }
  versions.forEach((v, i) => {
    const failures: Array<{ code: CairnErrorCode, reason: string }> = []
    let root = false
    if (v.lines.length === 0) {
      failures.push({ code: 'PROOF_ROOT_MISMATCH', reason: 'a version has at least one line' })
    } else if (!isSortedUnique(v.lines)) {
      failures.push({ code: 'PROOF_MALFORMED', reason: 'lines are not sorted in code point order without duplicates' })
    } else {
      try {
        root = toHex(merkleRoot(v.lines.map(leafHash))) === v.root
        if (!root) failures.push({ code: 'PROOF_ROOT_MISMATCH', reason: 'the merkle root of the lines is not the signed root' })
      } catch (err) {
        failures.push({ code: 'PROOF_MALFORMED', reason: err instanceof CairnError ? err.message : 'lines cannot be hashed' })
      }
    }

    const signature = verifyClaim({ ual, version: v.version, root: v.root, previousRoot: v.previousRoot, timestamp: v.timestamp }, v.signature, publisher)
    if (!signature) failures.push({ code: 'PROOF_BAD_SIGNATURE', reason: 'the publisher signature over the version claim is not valid' })

    const anchorCheck = verifyAnchorProof(v.anchor, v.root)
    if (!anchorCheck.ok) failures.push({ code: anchorCheck.code, reason: anchorCheck.reason })

    const chainReason = chainFailure(bundle, i)
    if (chainReason !== undefined) failures.push({ code: 'PROOF_INVALID', reason: chainReason })

    const ok = failures.length === 0
    if (!ok) report.ok = false
    report.versions.push({
      version: v.version,
      ok,
      checks: { root, signature, anchor: anchorCheck.ok, chain: chainReason === undefined },
      ...(ok ? {} : { code: failures[0].code, reason: failures[0].reason })
    })
  })
  return report
}

function chainFailure (bundle: AssetBundle, i: number): string | undefined {
  const v = bundle.versions[i]
  if (v.version !== i + 1) return `expected version ${i + 1} at position ${i}, found ${v.version}`
  if (i === 0) {
    if (v.previousRoot !== null) return 'version 1 must have no previousRoot'
    if (deriveAssetId(bundle.publisher, fromHex(v.root)) !== bundle.assetId) return 'assetId is not derived from the publisher and the first root'
    const parts = ualParts(bundle.ual)
    if (parts === undefined || parts.network !== bundle.network || parts.publisher !== bundle.publisher || parts.assetId !== bundle.assetId) {
      return 'the UAL does not name this network, publisher and asset id'
    }
    return undefined
  }
  if (v.previousRoot !== bundle.versions[i - 1].root) return `previousRoot is not the root of version ${i}`
  return undefined
}
