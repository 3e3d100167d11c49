import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEmbeddedLedgerAnchor } from '../../src/anchor/index.js'
import type { Anchor } from '../../src/anchor/index.js'
import { keysReady, signerFromSeed } from '../../src/asset/keys.js'
import type { Signer } from '../../src/asset/keys.js'
import { CairnError } from '../../src/errors.js'
import { ledgerEntryHash, ledgerEntryMessage, proofReady, toHex, verifyAnchorProof } from '../../src/proof/index.js'
import type { AnchorProof } from '../../src/proof/index.js'
import { createAssetStore } from '../../src/store/index.js'
import type { AssetStore, StoredLedgerEntry as StoredEntry } from '../../src/store/index.js'
import { tempDir } from '../helpers/node.js'

const ZERO_HASH = `0x${'00'.repeat(32)}`
const root = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`

describe('embedded ledger anchor (real SQLite store)', () => {
  let signer: Signer
  let dir: string
  let path: string
  let store: AssetStore
  let anchor: Anchor
  let clock: number

  beforeAll(async () => {
    await keysReady()
    await proofReady()
    signer = signerFromSeed(new Uint8Array(32).fill(1))
  })

  beforeEach(async () => {
    dir = tempDir('cairn-ledger-')
    path = join(dir, 'cairn.sqlite')
    store = createAssetStore({ path })
    await store.start()
    clock = Date.parse('2025-06-01T12:00:00.000Z')
    anchor = createEmbeddedLedgerAnchor({ now: () => new Date(clock += 1000) }, { store, signer })
  })

  afterEach(async () => {
    await store.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Batches of 1, 2 and 5 roots, each in its own store transaction (as the group committer does). */
  const anchorThree = (): AnchorProof[][] => [[1], [2, 3], [4, 5, 6, 7, 8]].map((ns) => store.transaction(() => anchor.anchorBatch(ns.map(root))))

  /** Change one column of one ledger row behind the store's back, through a second SQLite connection. */
  const tamper = (height: number, column: 'prev_hash' | 'batch_root' | 'signature' | 'hash' | 'timestamp' | 'count', value: string | number): void => {
    const db = new Database(path)
    expect(db.prepare(`UPDATE ledger SET ${column} = ? WHERE height = ?`).run(value, height).changes).toBe(1)
    db.close()
  }

  it('has type cairn-ledger/1 and an empty ledger verifies', () => {
    expect(anchor.type).toBe('cairn-ledger/1')
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 0 })
  })

  it('anchors batches of 1, 2 and 5 roots: one proof per root, in order, each verifying', () => {
    const batches = anchorThree()
    const sizes = [1, 2, 5]
    let n = 1
    batches.forEach((proofs, height) => {
      expect(proofs).toHaveLength(sizes[height])
      proofs.forEach((proof, i) => {
        const r = root(n++)
        expect(proof).toMatchObject({ type: 'cairn-ledger/1', root: r, batchIndex: i })
        expect(proof.entry).toMatchObject({ ledger: signer.address, height, count: sizes[height] })
        expect(verifyAnchorProof(proof, r)).toEqual({ ok: true })
        expect(anchor.verify(proof, r)).toEqual({ ok: true })
        // A proof is about its own root only.
        expect(verifyAnchorProof(proof, root(1000)).ok).toBe(false)
      })
      // One ledger entry per batch: every proof of the batch names it.
      expect(new Set(proofs.map((p) => p.entryHash)).size).toBe(1)
      expect(new Set(proofs.map((p) => p.signature)).size).toBe(1)
    })
    expect(batches[0][0].path).toEqual([])
  })

  it('chains heights: each entry links to the hash of the previous one, as stored', () => {
    const entries = anchorThree().map((proofs) => proofs[0])
    expect(entries.map((p) => p.entry.height)).toEqual([0, 1, 2])
    expect(entries[0].entry.prevHash).toBe(ZERO_HASH)
    expect(entries[1].entry.prevHash).toBe(entries[0].entryHash)
    expect(entries[2].entry.prevHash).toBe(entries[1].entryHash)
    for (const p of entries) {
      expect(ledgerEntryHash(p.entry)).toBe(p.entryHash)
      expect(store.getLedgerEntry(p.entry.height)).toEqual({ ...p.entry, hash: p.entryHash, signature: p.signature })
    }
    expect(store.getLedgerHead()?.height).toBe(2)
    // Timestamps come from the injected clock, one tick per batch.
    expect(entries.map((p) => p.entry.timestamp)).toEqual(['2025-06-01T12:00:01.000Z', '2025-06-01T12:00:02.000Z', '2025-06-01T12:00:03.000Z'])
  })

  it('verifyChain is ok after anchoring, also after a restart', async () => {
    anchorThree()
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 3 })
    await store.stop()
    await store.start()
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 3 })
    store.transaction(() => anchor.anchorBatch([root(99)]))
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 4 })
  })

  it('anchorBatch([]) returns [] and writes nothing', () => {
    expect(anchor.anchorBatch([])).toEqual([])
    expect(store.getLedgerHead()).toBeUndefined()
    expect(store.stats().ledgerHeight).toBe(-1)
    anchorThree()
    const head = store.getLedgerHead()
    expect(store.transaction(() => anchor.anchorBatch([]))).toEqual([])
    expect(store.getLedgerHead()).toEqual(head)
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 3 })
  })

  it('an entry rolled back with its store transaction leaves no gap in the chain', () => {
    store.transaction(() => anchor.anchorBatch([root(1)]))
    expect(() => store.transaction(() => {
      anchor.anchorBatch([root(2)])
      throw new Error('publish failed after anchoring')
    })).toThrow('publish failed')
    expect(store.getLedgerHead()?.height).toBe(0)
    const [proof] = store.transaction(() => anchor.anchorBatch([root(3)]))
    expect(proof.entry.height).toBe(1)
    expect(verifyAnchorProof(proof, root(3))).toEqual({ ok: true })
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 2 })
  })

  it('a root that is not 0x hex of 32 bytes is refused and writes nothing', () => {
    for (const bad of ['abc', root(1).slice(2), `0x${'AB'.repeat(32)}`]) {
      expect(() => anchor.anchorBatch([root(1), bad]), bad).toThrow(CairnError)
    }
    expect(store.getLedgerHead()).toBeUndefined()
  })

  describe('tampering with a stored row breaks verifyChain at that height', () => {
    it('prev_hash', () => {
      anchorThree()
      tamper(1, 'prev_hash', root(0xbad))
      expect(anchor.verifyChain()).toMatchObject({ ok: false, entries: 3, badHeight: 1, reason: 'prevHash does not link to the previous entry' })
    })

    it('batch_root', () => {
      anchorThree()
      tamper(2, 'batch_root', root(0xbad))
      expect(anchor.verifyChain()).toMatchObject({ ok: false, entries: 3, badHeight: 2, reason: 'entry hash mismatch' })
    })

    it('signature (bit flip)', () => {
      anchorThree()
      const sig = store.getLedgerEntry(0)?.signature as string
      tamper(0, 'signature', sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0'))
      expect(anchor.verifyChain()).toMatchObject({ ok: false, badHeight: 0, reason: 'bad signature' })
    })

    it('signature by another key over the same entry', () => {
      anchorThree()
      const { hash: _hash, signature: _sig, ...entry } = store.getLedgerEntry(1) as StoredEntry
      // A valid signature over the very message, by a key other than the ledger key the entry names.
      const mallory = signerFromSeed(new Uint8Array(32).fill(2))
      tamper(1, 'signature', toHex(mallory.sign(ledgerEntryMessage(entry))))
      expect(anchor.verifyChain()).toMatchObject({ ok: false, badHeight: 1, reason: 'bad signature' })
    })

    it('count or timestamp (hashed fields)', () => {
      anchorThree()
      tamper(2, 'count', 4)
      expect(anchor.verifyChain()).toMatchObject({ ok: false, badHeight: 2, reason: 'entry hash mismatch' })
      tamper(2, 'count', 5)
      tamper(1, 'timestamp', '2030-01-01T00:00:00.000Z')
      expect(anchor.verifyChain()).toMatchObject({ ok: false, badHeight: 1, reason: 'entry hash mismatch' })
    })

    it('a consistently rewritten entry still breaks the link from the next one', () => {
      anchorThree()
      // Rewrite entry 1 completely (new batch root, recomputed hash, valid signature): entry 2 no longer links to it.
      const { hash: _h, signature: _s, ...entry } = store.getLedgerEntry(1) as StoredEntry
      const forged = { ...entry, batchRoot: root(0xf00) }
      tamper(1, 'batch_root', forged.batchRoot)
      tamper(1, 'hash', ledgerEntryHash(forged))
      tamper(1, 'signature', toHex(signer.sign(ledgerEntryMessage(forged))))
      expect(anchor.verifyChain()).toMatchObject({ ok: false, badHeight: 2, reason: 'prevHash does not link to the previous entry' })
    })

    it('a missing row', () => {
      anchorThree()
      const db = new Database(path)
      db.prepare('DELETE FROM ledger WHERE height = 1').run()
      db.close()
      expect(anchor.verifyChain()).toMatchObject({ ok: false, entries: 3, badHeight: 1, reason: 'entry missing' })
    })
  })
})
