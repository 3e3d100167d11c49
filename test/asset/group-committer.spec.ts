import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEmbeddedLedgerAnchor } from '../../src/anchor/index.js'
import type { Anchor } from '../../src/anchor/index.js'
import { GroupCommitter } from '../../src/asset/group-committer.js'
import type { CommittedVersion } from '../../src/asset/group-committer.js'
import { keysReady, signerFromSeed } from '../../src/asset/keys.js'
import { CairnError } from '../../src/errors.js'
import { proofReady, verifyAnchorProof } from '../../src/proof/index.js'
import { createAssetStore } from '../../src/store/index.js'
import { tripleToLine } from '../../src/rdf/index.js'
import type { AssetStore, NewVersion } from '../../src/store/index.js'
import { newVersion, ualOf } from '../compliance/asset-store.js'
import { tempDir } from '../helpers/node.js'

describe('GroupCommitter (real SQLite store and embedded ledger)', () => {
  let dir: string
  let store: AssetStore
  let anchor: Anchor

  beforeAll(async () => { await Promise.all([keysReady(), proofReady()]) })

  beforeEach(async () => {
    dir = tempDir('cairn-group-')
    store = createAssetStore({ path: join(dir, 'cairn.sqlite') })
    await store.start()
    anchor = createEmbeddedLedgerAnchor({}, { store, signer: signerFromSeed(new Uint8Array(32).fill(1)) })
  })

  afterEach(async () => {
    await store.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Store a version and report it as a publish job does: created, with its canonical lines. */
  const created = (v: NewVersion): CommittedVersion =>
    ({ record: store.insertVersion(v), lines: v.quads.map((q) => tripleToLine(q.subject, q.predicate, q.object)), status: 'created' })
  /** A job that publishes version 1 of asset n. */
  const publish = (n: number) => (): CommittedVersion[] => [created(newVersion({ ual: ualOf(n) }))]

  it('concurrent commits share one transaction and one ledger entry; every record gets its anchor', async () => {
    const committer = new GroupCommitter(store, anchor, 100)
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => committer.commit(publish(n))))
    expect(store.stats()).toMatchObject({ assets: 5, ledgerHeight: 0 })
    const entry = store.getLedgerEntry(0)
    expect(entry?.count).toBe(5)
    results.forEach(([{ record, status }], i) => {
      expect(status).toBe('created')
      expect(record.ual).toBe(ualOf(i + 1))
      expect(record.anchor?.entryHash).toBe(entry?.hash)
      expect(record.anchor?.batchIndex).toBe(i)
      expect(verifyAnchorProof(record.anchor!, record.root)).toEqual({ ok: true })
      // The anchor is stored with the version, not only returned.
      expect(store.getVersion(record.ual)?.anchor).toEqual(record.anchor)
    })
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 1 })
  })

  it('commits arriving after a flush go into the next group and the next ledger entry', async () => {
    const committer = new GroupCommitter(store, anchor, 100)
    await Promise.all([committer.commit(publish(1)), committer.commit(publish(2))])
    await Promise.all([committer.commit(publish(3))])
    expect([0, 1].map((h) => store.getLedgerEntry(h)?.count)).toEqual([2, 1])
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 2 })
  })

  it('a full group flushes at once: maxGroupSize 2 splits 5 commits into groups of 2, 2 and 1', async () => {
    const committer = new GroupCommitter(store, anchor, 2)
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => committer.commit(publish(n))))
    expect([0, 1, 2].map((h) => store.getLedgerEntry(h)?.count)).toEqual([2, 2, 1])
    expect(results.map(([r]) => r.record.anchor?.entry.height)).toEqual([0, 0, 1, 1, 2])
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 3 })
  })

  it('a failing job rejects alone, its writes rolled back; the others commit and are anchored', async () => {
    const committer = new GroupCommitter(store, anchor, 100)
    const settled = await Promise.allSettled([
      committer.commit(publish(1)),
      committer.commit(() => {
        // Writes a version, then fails: the savepoint must take the version back.
        store.insertVersion(newVersion({ ual: ualOf(2) }))
        throw new CairnError('ASSET_VERSION_CONFLICT', 'test: conflict after a write')
      }),
      committer.commit(() => [created(newVersion({ ual: ualOf(3), version: 2 }))]),
      committer.commit(publish(4))
    ])
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
    expect(((settled[1] as PromiseRejectedResult).reason as CairnError).message).toBe('test: conflict after a write')
    expect(((settled[2] as PromiseRejectedResult).reason as CairnError).key).toBe('ASSET_VERSION_CONFLICT')
    expect(store.getAsset(ualOf(2))).toBeUndefined()
    expect(store.getAsset(ualOf(3))).toBeUndefined()
    expect(store.stats()).toMatchObject({ assets: 2, versions: 2, ledgerHeight: 0 })
    expect(store.getLedgerEntry(0)?.count).toBe(2)
    for (const n of [1, 4]) {
      const v = store.getVersion(ualOf(n))
      expect(verifyAnchorProof(v!.anchor!, v!.root)).toEqual({ ok: true })
    }
  })

  it("a job returning 'existing' records is not anchored again", async () => {
    const committer = new GroupCommitter(store, anchor, 100)
    const [[first]] = await Promise.all([committer.commit(publish(1))])
    const head = store.getLedgerHead()
    const existing = (): CommittedVersion[] => [{ record: store.getVersion(ualOf(1))!, status: 'existing' }]

    // Only existing records: no ledger entry at all.
    const [again] = await committer.commit(existing)
    expect(again.status).toBe('existing')
    expect(again.record.anchor).toEqual(first.record.anchor)
    expect(store.getLedgerHead()).toEqual(head)

    // Mixed with a new publish: the entry anchors only the created record.
    const [[mixedExisting], [created]] = await Promise.all([committer.commit(existing), committer.commit(publish(2))])
    expect(mixedExisting.record.anchor).toEqual(first.record.anchor)
    expect(store.getLedgerEntry(1)?.count).toBe(1)
    expect(created.record.anchor?.entry.height).toBe(1)
    expect(store.getVersion(ualOf(1))?.anchor).toEqual(first.record.anchor)
    expect(anchor.verifyChain()).toEqual({ ok: true, entries: 2 })
  })

  it('a job writing nothing resolves with no records and no ledger entry', async () => {
    const committer = new GroupCommitter(store, anchor, 100)
    expect(await committer.commit(() => [])).toEqual([])
    expect(store.getLedgerHead()).toBeUndefined()
  })

  it('a job of several versions is all-or-nothing and shares the group entry', async () => {
    const committer = new GroupCommitter(store, anchor, 100)
    const records = await committer.commit(() => [1, 2, 3].map((n) => created(newVersion({ ual: ualOf(10 + n) }))))
    expect(records).toHaveLength(3)
    expect(new Set(records.map((r) => r.record.anchor?.entryHash)).size).toBe(1)
    await expect(committer.commit(() => [
      created(newVersion({ ual: ualOf(20) })),
      created(newVersion({ ual: ualOf(11) })) // version 1 again: conflict
    ])).rejects.toMatchObject({ key: 'ASSET_VERSION_CONFLICT' })
    expect(store.getAsset(ualOf(20))).toBeUndefined()
    expect(store.stats().ledgerHeight).toBe(0)
  })
})
