/**
 * Cairn proofs: merkle trees over canonical N-Triples lines, signed version claims, embedded-ledger anchors,
 * citations and offline bundles. Pure and browser-safe (Uint8Array and strings only, no Node built-ins), so a
 * browser or a third party can verify what a node says without trusting it.
 *
 * - Leaf = keccak256(keccak256(utf8(line))), lines deduplicated and sorted in Unicode code point order.
 * - Inner node = keccak256 of the byte-sorted pair: proofs verify with OpenZeppelin `MerkleProof.verify`.
 * - Hex is always `0x`-prefixed lowercase (the asset id alone has no prefix).
 * - Signatures are sr25519 or ed25519 by SS58 addresses (@polkadot/util-crypto `signatureVerify`).
 *
 * Call {@link proofReady} once at start-up for the WASM keccak; results are identical without it, only slower.
 * Test vectors for re-implementers: docs/test-vectors/.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * import { proofReady, sortLines, leafHash, buildMerkleTree, inclusionProof, verifyInclusion, toHex } from './proof/index.js'
 *
 * await proofReady()
 * const lines = sortLines(['<urn:a> <urn:p> "x" .', '_:c14n0 <urn:p> <urn:a> .'])
 * const tree = buildMerkleTree(lines.map(leafHash))
 * const proof = inclusionProof(tree, 1)
 * verifyInclusion(leafHash(lines[1]), proof, tree.root) // true
 * toHex(tree.root) // '0x…' — what the publisher signs in a VersionClaim
 * ```
 */

export { proofReady, keccak256, leafHash } from './hash.js'
export { toHex, fromHex } from './hex.js'
export { compareCodePoints, sortLines } from './code-points.js'
export { hashPair, buildMerkleTree, merkleRoot, inclusionProof, verifyInclusion, type MerkleTree } from './merkle.js'
export { deriveAssetId } from './asset-id.js'
export { claimMessage, publicKeyOf, useFastEd25519Verify, verifyClaim, verifySigned, type Ed25519Verify, type VersionClaim } from './claim.js'
export { ledgerEntryMessage, ledgerEntryHash, batchLeaf, type LedgerEntry } from './ledger-entry.js'
export { verifyAnchorProof, type LedgerAnchorProof, type AnchorProof } from './anchor-proof.js'
export { buildCitation, citationBuilder, citationJson, verifyCitation, type Citation, type CitationLeaf, type CitationVersion, type ServedCitation } from './citation.js'
export { assertBundle, verifyBundle, type AssetBundle, type BundleVersion, type BundleReport } from './bundle.js'
export type { Check } from './validate.js'
export { UAL_PREFIX, ualParts, type UalParts } from './ual-binding.js'
export { receiptMessage, verifyReceipt, type Receipt } from './receipt.js'
export { bodyHash, formatResponseSignature, parseResponseSignature, requestHash, responseMessage, verifyResponse, type ResponseCheck, type ResponseSignature } from './response.js'
