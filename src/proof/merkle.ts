import { CairnError } from '../errors.js'
import { keccak256 } from './hash.js'
import { bytesEqual, compareBytes } from './hex.js'

/**
 * keccak256(min(a, b) || max(a, b)) in unsigned byte order: OpenZeppelin `MerkleProof._hashPair`. Sorting the
 * pair means proofs need no left/right flags, so a Solidity contract can verify them with `MerkleProof.verify`.
 */
export function hashPair (a: Uint8Array, b: Uint8Array): Uint8Array {
  const [lo, hi] = compareBytes(a, b) <= 0 ? [a, b] : [b, a]
  const buf = new Uint8Array(lo.length + hi.length)
  buf.set(lo, 0)
  buf.set(hi, lo.length)
  return keccak256(buf)
}

export interface MerkleTree {
  /** levels[0] are the leaf hashes, the last level holds only the root. */
  readonly levels: Uint8Array[][]
  readonly root: Uint8Array
}

/**
 * Build the tree bottom-up, pairing neighbours; an odd last node is carried up unchanged (not duplicated, which
 * would let a tree of n and n+1 leaves share a root). One leaf: the root is that leaf hash.
 */
export function buildMerkleTree (leafHashes: Uint8Array[]): MerkleTree {
  if (!Array.isArray(leafHashes) || leafHashes.length === 0) {
    throw new CairnError('PROOF_MALFORMED', 'buildMerkleTree: at least one leaf is required')
  }
  for (let i = 0; i < leafHashes.length; i++) {
    const h = leafHashes[i]
    if (!(h instanceof Uint8Array) || h.length !== 32) {
      throw new CairnError('PROOF_MALFORMED', `buildMerkleTree: leaf ${i} is not a 32-byte hash`, { details: { index: i } })
    }
  }
  const levels: Uint8Array[][] = [leafHashes.slice()]
  let level = levels[0]
  while (level.length > 1) {
    const next: Uint8Array[] = new Array(Math.ceil(level.length / 2))
    for (let i = 0; i + 1 < level.length; i += 2) next[i >> 1] = hashPair(level[i], level[i + 1])
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1]
    levels.push(next)
    level = next
  }
  return { levels, root: level[0] }
}

export function merkleRoot (leafHashes: Uint8Array[]): Uint8Array {
  return buildMerkleTree(leafHashes).root
}

/**
 * Sibling hashes from the leaf up; a level where the node was carried up has no sibling and adds nothing. Works on
 * the tree's levels as bytes or as anything made of them node for node (e.g. their hex).
 */
export function inclusionProof<T = Uint8Array> (tree: { readonly levels: ReadonlyArray<readonly T[]> }, index: number): T[] {
  const leaves = tree.levels[0]
  if (!Number.isSafeInteger(index) || index < 0 || index >= leaves.length) {
    throw new CairnError('PROOF_MALFORMED', `inclusionProof: leaf index ${String(index)} out of range 0..${leaves.length - 1}`, { details: { index, leaves: leaves.length } })
  }
  const proof: T[] = []
  let i = index
  for (let l = 0; l < tree.levels.length - 1; l++) {
    const sibling = i ^ 1
    if (sibling < tree.levels[l].length) proof.push(tree.levels[l][sibling])
    i >>= 1
  }
  return proof
}

/** Number of siblings in the proof of leaf `index` of a tree of `count` leaves. */
export function proofLength (index: number, count: number): number {
  let len = 0
  for (let i = index, n = count; n > 1; i >>= 1, n = Math.ceil(n / 2)) {
    if ((i ^ 1) < n) len++
  }
  return len
}

/**
 * OpenZeppelin `MerkleProof.processProof` followed by a root comparison. All inputs must be 32 bytes (Solidity
 * bytes32); anything else is simply not a valid proof.
 */
export function verifyInclusion (leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array): boolean {
  if (!(leaf instanceof Uint8Array) || leaf.length !== 32 || !(root instanceof Uint8Array) || root.length !== 32 || !Array.isArray(proof)) return false
  let computed = leaf
  for (const p of proof) {
    if (!(p instanceof Uint8Array) || p.length !== 32) return false
    computed = hashPair(computed, p)
  }
  return bytesEqual(computed, root)
}
