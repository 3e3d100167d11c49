/** Real keys and real proofs for the proof tests: an asset with versions, anchored in a signed ledger batch. */
import { Keyring } from '@polkadot/keyring'
import type { KeyringPair } from '@polkadot/keyring/types'

import {
  batchLeaf, buildCitation, buildMerkleTree, claimMessage, deriveAssetId, inclusionProof, leafHash, ledgerEntryHash,
  ledgerEntryMessage, sortLines, toHex, fromHex, type AnchorProof, type AssetBundle, type BundleVersion, type Citation,
  type LedgerEntry
} from '../../src/proof/index.js'
import { skolemizeLine, versionIri } from '../../src/rdf/skolem.js'

export const ZERO = `0x${'00'.repeat(32)}`

export function alice (): KeyringPair {
  return new Keyring({ type: 'sr25519' }).addFromUri('//Alice')
}
export function bobEd (): KeyringPair {
  return new Keyring({ type: 'ed25519' }).addFromUri('//Bob')
}
export function nodeKey (): KeyringPair {
  return new Keyring({ type: 'sr25519' }).addFromUri('//CairnNode')
}

export function sign (pair: KeyringPair, message: Uint8Array): string {
  return toHex(pair.sign(message))
}

/** Anchor `roots` in one signed ledger entry; returns the proof for each root. */
export function anchorBatch (roots: string[], opts: { node?: KeyringPair, height?: number, prevHash?: string, timestamp?: string } = {}): { entry: LedgerEntry, proofs: AnchorProof[] } {
  const node = opts.node ?? nodeKey()
  const tree = buildMerkleTree(roots.map(r => batchLeaf(fromHex(r))))
  const entry: LedgerEntry = {
    ledger: node.address,
    height: opts.height ?? 0,
    prevHash: opts.prevHash ?? ZERO,
    batchRoot: toHex(tree.root),
    count: roots.length,
    timestamp: opts.timestamp ?? '2025-01-02T03:04:05.000Z'
  }
  const entryHash = ledgerEntryHash(entry)
  const signature = sign(node, ledgerEntryMessage(entry))
  const proofs = roots.map((root, i): AnchorProof => ({
    type: 'cairn-ledger/1', root, batchIndex: i, path: inclusionProof(tree, i).map(toHex), entry, entryHash, signature
  }))
  return { entry, proofs }
}

export const V1_LINES = [
  '<http://example.org/alice> <http://xmlns.com/foaf/0.1/name> "Alice" .',
  '<http://example.org/alice> <http://xmlns.com/foaf/0.1/knows> _:c14n0 .',
  '_:c14n0 <http://xmlns.com/foaf/0.1/name> "Bob" .',
  '_:c14n0 <http://xmlns.com/foaf/0.1/age> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .',
  '<http://example.org/alice> <http://example.org/motto> "_:c14n0 is not a blank node here" .'
]
export const V2_LINES = [...V1_LINES.slice(0, 3), '<http://example.org/alice> <http://example.org/mood> "😀" .']

/** A two-version asset published by Alice, each version anchored in its own ledger entry (a batch of 3 roots). */
export function makeBundle (publisher: KeyringPair = alice()): AssetBundle {
  const node = nodeKey()
  const out: BundleVersion[] = []
  let previousRoot: string | null = null
  let prevHash = ZERO
  const versions = [V1_LINES, V2_LINES].map(sortLines)
  const roots = versions.map(lines => toHex(buildMerkleTree(lines.map(leafHash)).root))
  const assetId = deriveAssetId(publisher.address, fromHex(roots[0]))
  const UAL = `did:cairn:testnet/${publisher.address}/${assetId}`
  for (let i = 0; i < versions.length; i++) {
    const lines = versions[i]
    const root = roots[i]
    const timestamp = `2025-01-0${i + 1}T00:00:00.000Z`
    const signature = sign(publisher, claimMessage({ ual: UAL, version: i + 1, root, previousRoot, timestamp }))
    const others = [toHex(leafHash(`other-${i}-a`)), toHex(leafHash(`other-${i}-b`))]
    const { entry, proofs } = anchorBatch([others[0], root, others[1]], { node, height: i, prevHash })
    prevHash = ledgerEntryHash(entry)
    out.push({ version: i + 1, root, previousRoot, timestamp, signature, sourceName: i === 0 ? 'alice.ttl' : null, lines, anchor: proofs[1] })
    previousRoot = root
  }
  return {
    format: 'cairn-bundle/1',
    ual: UAL,
    network: 'testnet',
    publisher: publisher.address,
    assetId,
    versions: out
  }
}

/** A citation of the line at `lineIndex` (in sorted order) of the bundle's version `version`. */
export function makeCitation (bundle: AssetBundle = makeBundle(), version = 1, lineIndex = 4): Citation {
  const v = bundle.versions[version - 1]
  const tree = buildMerkleTree(v.lines.map(leafHash))
  const canonical = v.lines[lineIndex]
  return buildCitation({
    ual: bundle.ual,
    version,
    triple: skolemizeLine(canonical, versionIri(bundle.ual, version)),
    canonical,
    leafIndex: lineIndex,
    leafHash: toHex(leafHash(canonical)),
    proof: inclusionProof(tree, lineIndex).map(toHex),
    root: v.root,
    previousRoot: v.previousRoot,
    timestamp: v.timestamp,
    publisher: bundle.publisher,
    signature: v.signature,
    anchor: v.anchor
  })
}

/** Flip the lowest bit of the last byte of a 0x hex string. */
export function flipHex (h: string): string {
  const b = fromHex(h)
  b[b.length - 1] ^= 1
  return toHex(b)
}
