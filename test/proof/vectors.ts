/**
 * Generator of docs/test-vectors/*.json: deterministic inputs (fixed lines, RFC 8032 ed25519 seeds, fixed
 * timestamps) so an outsider can re-implement Cairn proofs and compare byte for byte. vectors.spec.ts regenerates
 * and compares with the committed files; after an intentional change run `npx tsx test/proof/vectors.ts`.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { Keyring } from '@polkadot/keyring'

import {
  batchLeaf, buildCitation, buildMerkleTree, claimMessage, deriveAssetId, fromHex, inclusionProof, keccak256, leafHash,
  ledgerEntryHash, ledgerEntryMessage, proofReady, sortLines, toHex, type LedgerEntry, type VersionClaim
} from '../../src/proof/index.js'
import { skolemizeLine, versionIri } from '../../src/rdf/skolem.js'

export const VECTOR_DIR = join(import.meta.dirname, '..', '..', 'docs', 'test-vectors')

// RFC 8032 §7.1 TEST 1 and TEST 2 secret keys: their public keys are published there, a free cross-check.
const PUBLISHER_SEED = '0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'
const LEDGER_SEED = '0x4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'

const enc = new TextEncoder()

function edPair (seed: string): ReturnType<Keyring['addFromSeed']> {
  return new Keyring({ type: 'ed25519', ss58Format: 42 }).addFromSeed(fromHex(seed))
}

const MERKLE_SETS: Array<{ name: string, input: string[] }> = [
  { name: 'one line', input: ['<http://example.org/s> <http://example.org/p> "o" .'] },
  { name: 'two lines', input: ['<http://example.org/s> <http://example.org/p> "b" .', '<http://example.org/s> <http://example.org/p> "a" .'] },
  {
    name: 'three lines (odd node carried up)',
    input: ['<http://example.org/a> <http://example.org/p> "1" .', '<http://example.org/b> <http://example.org/p> "2" .', '<http://example.org/c> <http://example.org/p> "3" .']
  },
  {
    name: 'five lines with blank nodes, a duplicate and code point order (U+1F600 sorts after U+FFFD)',
    input: [
      '_:c14n0 <http://xmlns.com/foaf/0.1/name> "Bob" .',
      '<http://example.org/alice> <http://xmlns.com/foaf/0.1/knows> _:c14n0 .',
      '<http://example.org/alice> <http://example.org/note> "\u{1F600}" .',
      '<http://example.org/alice> <http://example.org/note> "\uFFFD" .',
      '<http://example.org/alice> <http://xmlns.com/foaf/0.1/name> "Alicé"@fr .',
      '_:c14n0 <http://xmlns.com/foaf/0.1/name> "Bob" .'
    ]
  }
]

function merkleSet (name: string, input: string[]): Record<string, unknown> {
  const lines = sortLines(input)
  const tree = buildMerkleTree(lines.map(leafHash))
  return {
    name,
    input,
    lines,
    leaves: lines.map(line => ({ line, utf8: toHex(enc.encode(line)), innerHash: toHex(keccak256(enc.encode(line))), leafHash: toHex(leafHash(line)) })),
    levels: tree.levels.map(level => level.map(toHex)),
    root: toHex(tree.root),
    proofs: lines.map((_, i) => ({ index: i, proof: inclusionProof(tree, i).map(toHex) }))
  }
}

export async function generateVectors (): Promise<Record<'merkle' | 'claim' | 'ledger' | 'citation', unknown>> {
  await proofReady()
  const merkle = {
    description: 'Merkle trees over canonical N-Triples lines. lines = input deduplicated and sorted by Unicode code point (= UTF-8 byte order). leafHash = keccak256(keccak256(utf8(line))). Inner node = keccak256(min(a,b) || max(a,b)) comparing the 32 bytes unsigned (OpenZeppelin MerkleProof._hashPair). Pairs are formed left to right per level; an odd last node is carried up unchanged. proof = sibling hashes bottom-up (carried levels add none); verify with OpenZeppelin processProof. All hex is 0x-prefixed lowercase.',
    sets: MERKLE_SETS.map(s => merkleSet(s.name, s.input))
  }

  // Claims: a two-version asset by the RFC 8032 TEST 1 key.
  const publisher = edPair(PUBLISHER_SEED)
  const v1Lines = sortLines(MERKLE_SETS[3].input)
  const v1Root = toHex(buildMerkleTree(v1Lines.map(leafHash)).root)
  const v2Lines = sortLines([...v1Lines.slice(1), '<http://example.org/alice> <http://example.org/mood> "happy" .'])
  const v2Root = toHex(buildMerkleTree(v2Lines.map(leafHash)).root)
  const assetId = deriveAssetId(publisher.address, fromHex(v1Root))
  const ual = `did:cairn:testnet/${publisher.address}/${assetId}`
  const claims: VersionClaim[] = [
    { ual, version: 1, root: v1Root, previousRoot: null, timestamp: '2025-01-01T00:00:00.000Z' },
    { ual, version: 2, root: v2Root, previousRoot: v1Root, timestamp: '2025-02-01T12:30:00.000Z' }
  ]
  const signed = claims.map(c => {
    const message = claimMessage(c)
    return { claim: c, message: new TextDecoder().decode(message), messageHex: toHex(message), signature: toHex(publisher.sign(message)) }
  })
  const claim = {
    description: "Version claims. message = utf8('cairn-claim-v1\\n' + ual + '\\n' + version + '\\n' + root + '\\n' + (previousRoot ?? '') + '\\n' + timestamp). signature = ed25519 (RFC 8032, deterministic) or sr25519 over the message bytes, by the publisher's SS58 address; verifiers also accept a signature over '<Bytes>' + message + '</Bytes>' (browser wallets). assetId = hex (no 0x) of the first 20 bytes of keccak256(utf8('cairn:asset-id:v1:' + publisher + ':') || firstRoot bytes). UAL = 'did:cairn:' + network + '/' + publisher + '/' + assetId; a verifier checks that the UAL names the signing publisher.",
    key: { type: 'ed25519', seed: PUBLISHER_SEED, publicKey: toHex(publisher.publicKey), ss58Format: 42, address: publisher.address },
    assetId: { publisher: publisher.address, firstRoot: v1Root, preimageHex: toHex(new Uint8Array([...enc.encode(`cairn:asset-id:v1:${publisher.address}:`), ...fromHex(v1Root)])), assetId },
    claims: signed,
    versions: [{ version: 1, lines: v1Lines }, { version: 2, lines: v2Lines }]
  }

  // Ledger: height 0 anchors three roots (v1 among them), height 1 anchors v2 alone.
  const node = edPair(LEDGER_SEED)
  const batch0 = [toHex(keccak256(enc.encode('another asset'))), v1Root, toHex(keccak256(enc.encode('yet another asset')))]
  const tree0 = buildMerkleTree(batch0.map(r => batchLeaf(fromHex(r))))
  const entry0: LedgerEntry = { ledger: node.address, height: 0, prevHash: toHex(new Uint8Array(32)), batchRoot: toHex(tree0.root), count: 3, timestamp: '2025-01-01T00:00:05.000Z' }
  const entry1: LedgerEntry = { ledger: node.address, height: 1, prevHash: ledgerEntryHash(entry0), batchRoot: toHex(batchLeaf(fromHex(v2Root))), count: 1, timestamp: '2025-02-01T12:30:05.000Z' }
  const entries = [entry0, entry1].map(entry => {
    const message = ledgerEntryMessage(entry)
    return { entry, message: new TextDecoder().decode(message), messageHex: toHex(message), entryHash: ledgerEntryHash(entry), signature: toHex(node.sign(message)) }
  })
  const anchors = [
    { type: 'cairn-ledger/1' as const, root: v1Root, batchIndex: 1, path: inclusionProof(tree0, 1).map(toHex), entry: entry0, entryHash: entries[0].entryHash, signature: entries[0].signature },
    { type: 'cairn-ledger/1' as const, root: v2Root, batchIndex: 0, path: [], entry: entry1, entryHash: entries[1].entryHash, signature: entries[1].signature }
  ]
  const ledger = {
    description: "Embedded ledger anchors. message = utf8('cairn-ledger-v1\\n' + ledger + '\\n' + height + '\\n' + prevHash + '\\n' + batchRoot + '\\n' + count + '\\n' + timestamp); entryHash = keccak256(message); prevHash = previous entryHash, 32 zero bytes at height 0. batchRoot = merkle root (same tree as merkle.json) over batchLeaf(root) = keccak256(keccak256(root bytes)) of each anchored root. signature = ed25519 by the ledger key over the message. An anchor proof holds: path from batchLeaf(root) to batchRoot, the entry, entryHash and signature.",
    key: { type: 'ed25519', seed: LEDGER_SEED, publicKey: toHex(node.publicKey), ss58Format: 42, address: node.address },
    batch0: { roots: batch0, batchLeaves: batch0.map(r => toHex(batchLeaf(fromHex(r)))), batchRoot: toHex(tree0.root) },
    entries,
    anchors
  }

  // A citation of the blank-node line of version 1, as REST, GraphQL and MCP return it.
  const lineIndex = v1Lines.findIndex(l => l.startsWith('_:c14n0'))
  const canonical = v1Lines[lineIndex]
  const tree1 = buildMerkleTree(v1Lines.map(leafHash))
  const citation = {
    description: "A citation: triple = canonical line with _:label replaced by <versionIri/.well-known/genid/label>, versionIri = ual + '/v' + version. Check: deskolemize(triple) == canonical; leafHash(canonical) == leafHash; proof leads to root; claim signature (claim.json); anchor proof (ledger.json) for root. JSON key order is fixed.",
    citation: buildCitation({
      ual,
      version: 1,
      triple: skolemizeLine(canonical, versionIri(ual, 1)),
      canonical,
      leafIndex: lineIndex,
      leafHash: toHex(leafHash(canonical)),
      proof: inclusionProof(tree1, lineIndex).map(toHex),
      root: v1Root,
      previousRoot: null,
      timestamp: claims[0].timestamp,
      publisher: publisher.address,
      signature: signed[0].signature,
      anchor: anchors[0]
    })
  }
  return { merkle, claim, ledger, citation }
}

export function vectorText (v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`
}

async function main (): Promise<void> {
  const vectors = await generateVectors()
  for (const [name, v] of Object.entries(vectors)) writeFileSync(join(VECTOR_DIR, `${name}.json`), vectorText(v))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
