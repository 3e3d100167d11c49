import { keccakAsU8a } from '@polkadot/util-crypto'
import { beforeAll, describe, expect, it } from 'vitest'

import {
  buildMerkleTree, hashPair, inclusionProof, keccak256, leafHash, merkleRoot, proofReady, toHex, verifyInclusion
} from '../../src/proof/index.js'
import { proofLength } from '../../src/proof/merkle.js'
import { expectCode } from '../helpers/errors.js'

// OpenZeppelin MerkleProof (contracts/utils/cryptography/MerkleProof.sol + Hashes.sol), transcribed literally:
//   processProof: computedHash = leaf; for each proof[i]: computedHash = _hashPair(computedHash, proof[i])
//   _hashPair / commutativeKeccak256(a, b) = a < b ? efficientKeccak256(a, b) : efficientKeccak256(b, a)
//   efficientKeccak256: mstore(0x00, a) mstore(0x20, b) keccak256(0x00, 0x40)
// bytes32 `<` is uint256 comparison; keccak is the pure JS one (onlyJs) so nothing is shared with src/proof.
function ozEfficientKeccak256 (a: Uint8Array, b: Uint8Array): Uint8Array {
  const mem = new Uint8Array(64)
  mem.set(a, 0x00)
  mem.set(b, 0x20)
  return keccakAsU8a(mem, 256, true)
}
const uint256 = (x: Uint8Array): bigint => BigInt(toHex(x))
function ozHashPair (a: Uint8Array, b: Uint8Array): Uint8Array {
  return uint256(a) < uint256(b) ? ozEfficientKeccak256(a, b) : ozEfficientKeccak256(b, a)
}
function ozProcessProof (proof: Uint8Array[], leaf: Uint8Array): Uint8Array {
  let computedHash = leaf
  for (let i = 0; i < proof.length; i++) computedHash = ozHashPair(computedHash, proof[i])
  return computedHash
}

const lines = (n: number): string[] => Array.from({ length: n }, (_, i) => `<urn:s${i}> <urn:p> "${i}" .`)

describe('merkle', () => {
  beforeAll(async () => { await proofReady() })

  it('1 leaf: the root is the leaf hash and the proof is empty', () => {
    const leaf = leafHash('<urn:a> <urn:p> <urn:b> .')
    const tree = buildMerkleTree([leaf])
    expect(tree.root).toEqual(leaf)
    expect(inclusionProof(tree, 0)).toEqual([])
    expect(verifyInclusion(leaf, [], tree.root)).toBe(true)
  })

  it('2 leaves: root = hashPair, order of leaves does not matter', () => {
    const [a, b] = lines(2).map(leafHash)
    expect(merkleRoot([a, b])).toEqual(hashPair(a, b))
    expect(merkleRoot([b, a])).toEqual(merkleRoot([a, b]))
  })

  it('3 leaves: the odd node is carried up unchanged, not duplicated', () => {
    const [a, b, c] = lines(3).map(leafHash)
    const tree = buildMerkleTree([a, b, c])
    expect(tree.levels.map(l => l.length)).toEqual([3, 2, 1])
    expect(tree.levels[1][1]).toBe(c)
    expect(tree.root).toEqual(hashPair(hashPair(a, b), c))
    expect(tree.root).not.toEqual(hashPair(hashPair(a, b), hashPair(c, c)))
    expect(inclusionProof(tree, 2)).toEqual([hashPair(a, b)]) // the carried level contributes nothing
  })

  it('5 leaves: a node carried up twice has a one-element proof', () => {
    const h = lines(5).map(leafHash)
    const tree = buildMerkleTree(h)
    expect(tree.levels.map(l => l.length)).toEqual([5, 3, 2, 1])
    expect(tree.root).toEqual(hashPair(hashPair(hashPair(h[0], h[1]), hashPair(h[2], h[3])), h[4]))
    expect(inclusionProof(tree, 4)).toEqual([hashPair(hashPair(h[0], h[1]), hashPair(h[2], h[3]))])
  })

  for (const n of [1, 2, 3, 4, 5, 7, 8]) {
    it(`${n} leaves: every proof verifies, matches OpenZeppelin processProof, and a flipped byte fails`, () => {
      const h = lines(n).map(leafHash)
      const tree = buildMerkleTree(h)
      expect(tree.levels[tree.levels.length - 1]).toEqual([tree.root])
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(tree, i)
        expect(proof.length).toBe(proofLength(i, n))
        expect(verifyInclusion(h[i], proof, tree.root)).toBe(true)
        expect(ozProcessProof(proof, h[i])).toEqual(tree.root)
        // Flip one byte of the leaf, of each proof element, and of the root.
        const badLeaf = h[i].slice(); badLeaf[0] ^= 0xff
        expect(verifyInclusion(badLeaf, proof, tree.root)).toBe(false)
        for (let j = 0; j < proof.length; j++) {
          const bad = proof.map(p => p.slice()); bad[j][31] ^= 1
          expect(verifyInclusion(h[i], bad, tree.root)).toBe(false)
        }
        const badRoot = tree.root.slice(); badRoot[15] ^= 0x10
        expect(verifyInclusion(h[i], proof, badRoot)).toBe(false)
        // Another leaf's proof does not verify this leaf (n > 1).
        if (n > 1) expect(verifyInclusion(h[i], inclusionProof(tree, (i + 1) % n), tree.root)).toBe(false)
        // The same walk over the levels' hex (what the asset service keeps) gives the proof's hex.
        expect(inclusionProof({ levels: tree.levels.map((level) => level.map(toHex)) }, i)).toEqual(proof.map(toHex))
      }
    })
  }

  it('hashPair equals OpenZeppelin _hashPair, including when the first byte decides', () => {
    const x = new Uint8Array(32).fill(0x80)
    const y = new Uint8Array(32).fill(0x7f)
    expect(hashPair(x, y)).toEqual(ozHashPair(x, y))
    expect(hashPair(y, x)).toEqual(ozHashPair(x, y))
    expect(hashPair(x, x)).toEqual(ozHashPair(x, x))
    const concat = new Uint8Array(64); concat.set(y, 0); concat.set(x, 32)
    expect(hashPair(x, y)).toEqual(keccak256(concat))
  })

  it('refuses zero leaves, non-32-byte leaves and out-of-range indexes', () => {
    expectCode(() => buildMerkleTree([]), 'PROOF_MALFORMED')
    expectCode(() => buildMerkleTree([new Uint8Array(31)]), 'PROOF_MALFORMED')
    const tree = buildMerkleTree(lines(3).map(leafHash))
    for (const i of [-1, 3, 1.5, Number.NaN]) expectCode(() => inclusionProof(tree, i), 'PROOF_MALFORMED')
  })

  it('verifyInclusion is false (not a throw) on wrong-sized inputs', () => {
    const leaf = leafHash('x')
    expect(verifyInclusion(leaf, [new Uint8Array(31)], leaf)).toBe(false)
    expect(verifyInclusion(new Uint8Array(31), [], new Uint8Array(31))).toBe(false)
  })

  it('the tree copies its leaf array', () => {
    const h = lines(4).map(leafHash)
    const tree = buildMerkleTree(h)
    h.pop()
    expect(tree.levels[0]).toHaveLength(4)
  })
})
