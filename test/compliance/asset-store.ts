/**
 * The AssetStore contract as a suite factory (libp2p compliance tests, graphology specs): every implementation runs
 * it with its own `setup`. `setup` returns a fresh, empty store that is NOT started yet, and a teardown that
 * releases whatever the setup created (temp files).
 */
import type { Quad, Term } from '@rdfjs/types'
import { DataFactory } from 'n3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import type { CairnErrorCode } from '../../src/errors.js'
import type { AnchorProof } from '../../src/proof/index.js'
import type { AssetStore, NewVersion, StoredLedgerEntry } from '../../src/store/index.js'
import { expectCode } from '../helpers/errors.js'
export { expectCode }

const { namedNode, literal, blankNode, quad, variable } = DataFactory

export interface AssetStoreSetup {
  store: AssetStore
  teardown: () => Promise<void>
}

export const PUBLISHER_A = '5FRmdvipfYnTRqfAgAimk2uQPJqcjNJUPWovWFc5pD4yiGpG'
export const PUBLISHER_B = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'
const XSD = 'http://www.w3.org/2001/XMLSchema#'

/** A 32-byte 0x hash made of one repeated byte, or of a counter. */
export function hash (n: number): string {
  return `0x${n.toString(16).padStart(64, '0')}`
}

export function leaf (n: number): Uint8Array {
  const bytes = new Uint8Array(32)
  new DataView(bytes.buffer).setUint32(28, n)
  bytes[0] = 0xab
  return bytes
}

export function ualOf (n: number, publisher = PUBLISHER_A): string {
  return `did:cairn:local/${publisher}/${n.toString(16).padStart(40, '0')}`
}

let rootCounter = 1

/** A NewVersion with sensible defaults; `quads` default to one triple unique to the UAL and version. */
export function newVersion (parts: Partial<NewVersion> & { ual: string }): NewVersion {
  const version = parts.version ?? 1
  const quads = parts.quads ?? [quad(namedNode(`${parts.ual}#s`), namedNode('https://ex.org/p'), literal(`v${version}`))]
  return {
    network: 'local',
    publisher: parts.ual.split('/')[1],
    assetId: parts.ual.split('/')[2],
    version,
    root: hash(rootCounter++),
    previousRoot: null,
    signature: '0x' + '11'.repeat(64),
    timestamp: '2025-01-01T00:00:00.000Z',
    sourceName: null,
    leafHashes: quads.map((_q, i) => leaf(i)),
    ...parts,
    quads
  }
}


function expectTermsEqual (actual: Quad[], expected: Quad[]): void {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((q, i) => {
    for (const pos of ['subject', 'predicate', 'object'] as const) {
      const a: Term = q[pos]
      const e: Term = expected[i][pos]
      expect({ termType: a.termType, value: a.value, ...(a.termType === 'Literal' ? { language: a.language, datatype: a.datatype.value } : {}) },
        `quad ${i} ${pos}`).toEqual({ termType: e.termType, value: e.value, ...(e.termType === 'Literal' ? { language: e.language, datatype: e.datatype.value } : {}) })
      expect(a.equals(e), `quad ${i} ${pos}`).toBe(true)
    }
    expect(q.graph.termType).toBe('DefaultGraph')
  })
}

/** Terms that are easy to get wrong in a dictionary encoding. */
export const TRICKY_QUADS: Quad[] = [
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/name'), literal('plain string')),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/name'), literal('chat', 'fr')),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/name'), literal('chat', 'en-GB')),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/age'), literal('42', namedNode(`${XSD}integer`))),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/age'), literal('42', namedNode(`${XSD}string`))),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/age'), literal('42', namedNode(`${XSD}decimal`))),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/note'), literal('line one\nline two\r\n\ttabbed')),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/note'), literal('say "hi" and \\escape\\ \'quoted\'')),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/note'), literal('unicode: Zürich, 東京, emoji 🪨, rtl שלום, \u0000 nul')),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/note'), literal('')),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/link'), namedNode('https://ex.org/ünïcödé/path?q=1#frag')),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/link'), namedNode('urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66')),
  quad(namedNode('https://ex.org/s'), namedNode('https://ex.org/link'), literal('https://ex.org/s')),
  quad(blankNode('b0'), namedNode('https://ex.org/p'), blankNode('b1'))
]

export function assetStoreSuite (setup: () => Promise<AssetStoreSetup>): void {
  let store: AssetStore
  let teardown: () => Promise<void>

  beforeEach(async () => {
    ({ store, teardown } = await setup())
  })
  afterEach(async () => {
    await store.stop()
    await teardown()
  })

  describe('lifecycle', () => {
    it('stop before start is a no-op', async () => {
      expect(store.isStarted()).toBe(false)
      await store.stop()
      expect(store.isStarted()).toBe(false)
    })

    it('start twice is a no-op and keeps the data', async () => {
      await store.start()
      store.setMeta('k', 'v')
      await store.start()
      expect(store.isStarted()).toBe(true)
      expect(store.getMeta('k')).toBe('v')
    })

    it('stop twice is a no-op', async () => {
      await store.start()
      await store.stop()
      await store.stop()
      expect(store.isStarted()).toBe(false)
    })

    it('use before start (and after stop) is STORE_IO', async () => {
      expectCode(() => store.getMeta('k'), 'STORE_IO')
      expectCode(() => store.transaction(() => 1), 'STORE_IO')
      await store.start()
      await store.stop()
      expectCode(() => store.getAsset(ualOf(1)), 'STORE_IO')
    })
  })

  describe('with a started store', () => {
    beforeEach(async () => { await store.start() })

    it('starts empty', () => {
      expect(store.stats()).toEqual({ assets: 0, versions: 0, quads: 0, terms: 0, ledgerHeight: -1 })
      expect(store.listAssets({ limit: 10 })).toEqual({ items: [], next: null })
      expect(store.getLedgerHead()).toBeUndefined()
      expect(store.getAsset(ualOf(1))).toBeUndefined()
      expect(store.getVersion(ualOf(1))).toBeUndefined()
      expect(store.listVersions(ualOf(1))).toEqual([])
    })

    it('inserts version 1 then 2: current flag flips, history is ordered, asset bumps', () => {
      const ual = ualOf(1)
      const v1 = store.insertVersion(newVersion({ ual, sourceName: 'https://ex.org/g1' }))
      expect(v1).toMatchObject({ ual, publisher: PUBLISHER_A, version: 1, versionIri: `${ual}/v1`, previousRoot: null, tripleCount: 1, anchor: null, isCurrent: true, sourceName: 'https://ex.org/g1' })
      expect(typeof v1.id).toBe('number')
      expect(Number.isNaN(Date.parse(v1.storedAt))).toBe(false)
      expect(store.getAsset(ual)).toMatchObject({ ual, network: 'local', publisher: PUBLISHER_A, assetId: ual.split('/')[2], currentVersion: 1 })

      const v2 = store.insertVersion(newVersion({ ual, version: 2, previousRoot: v1.root, timestamp: '2025-01-02T00:00:00.000Z' }))
      expect(v2).toMatchObject({ version: 2, previousRoot: v1.root, isCurrent: true, timestamp: '2025-01-02T00:00:00.000Z', sourceName: null })
      expect(store.getAsset(ual)?.currentVersion).toBe(2)
      expect(store.getVersion(ual)?.version).toBe(2)
      expect(store.getVersion(ual, 1)).toMatchObject({ id: v1.id, root: v1.root, isCurrent: false })
      expect(store.getVersion(ual, 3)).toBeUndefined()
      expect(store.listVersions(ual).map((v) => [v.version, v.isCurrent])).toEqual([[1, false], [2, true]])
      expect(store.findVersionByRoot(PUBLISHER_A, v2.root)?.id).toBe(v2.id)
      expect(store.findVersionByRoot(PUBLISHER_B, v2.root)).toBeUndefined()
      expect(store.findVersionByRoot(PUBLISHER_A, hash(0xdead))).toBeUndefined()
      expect(store.stats()).toMatchObject({ assets: 1, versions: 2, quads: 2 })
    })

    it('round-trips IRIs, blank nodes, language and typed literals, and literals with newlines, quotes and unicode, in leaf order', () => {
      const ual = ualOf(2)
      const leafHashes = TRICKY_QUADS.map((_q, i) => leaf(1000 + i))
      const v = store.insertVersion(newVersion({ ual, quads: TRICKY_QUADS, leafHashes }))
      expect(v.tripleCount).toBe(TRICKY_QUADS.length)
      expectTermsEqual(store.getQuads(v.id), TRICKY_QUADS)
      expect(store.getLeafHashes(v.id)).toEqual(leafHashes)
      expectTermsEqual(store.getQuads(v.id, { offset: 3, limit: 4 }), TRICKY_QUADS.slice(3, 7))
      expectTermsEqual(store.getQuads(v.id, { offset: TRICKY_QUADS.length - 1 }), TRICKY_QUADS.slice(-1))
      expect(store.getQuads(v.id, { offset: TRICKY_QUADS.length })).toEqual([])
    })

    it('reads terms shared between versions and assets correctly (dictionary encoding)', () => {
      const a = store.insertVersion(newVersion({ ual: ualOf(3), quads: TRICKY_QUADS.slice(0, 5), leafHashes: TRICKY_QUADS.slice(0, 5).map((_q, i) => leaf(i)) }))
      const reversed = TRICKY_QUADS.slice(0, 5).reverse()
      const b = store.insertVersion(newVersion({ ual: ualOf(4, PUBLISHER_B), quads: reversed, leafHashes: reversed.map((_q, i) => leaf(i)) }))
      expectTermsEqual(store.getQuads(a.id), TRICKY_QUADS.slice(0, 5))
      expectTermsEqual(store.getQuads(b.id), reversed)
    })

    it('refuses a version that is not the next one with ASSET_VERSION_CONFLICT, writing nothing', () => {
      const ual = ualOf(5)
      expectCode(() => store.insertVersion(newVersion({ ual, version: 2 })), 'ASSET_VERSION_CONFLICT')
      expect(store.stats()).toMatchObject({ assets: 0, versions: 0, terms: 0 })
      store.insertVersion(newVersion({ ual }))
      const before = store.stats()
      const dup = expectCode(() => store.insertVersion(newVersion({ ual, version: 1 })), 'ASSET_VERSION_CONFLICT')
      expect(dup.details).toEqual({ ual, version: 1, current: 1 })
      expectCode(() => store.insertVersion(newVersion({ ual, version: 3 })), 'ASSET_VERSION_CONFLICT')
      expect(store.stats()).toEqual(before)
      expect(store.getVersion(ual)?.version).toBe(1)
    })

    it('refuses quads and leaf hashes of different lengths', () => {
      const v = newVersion({ ual: ualOf(6) })
      expectCode(() => store.insertVersion({ ...v, leafHashes: [] }), 'INTERNAL')
      expect(store.stats().versions).toBe(0)
    })

    it('stores and reads an anchor proof', () => {
      const v = store.insertVersion(newVersion({ ual: ualOf(7) }))
      const anchor: AnchorProof = {
        type: 'cairn-ledger/1',
        root: v.root,
        batchIndex: 0,
        path: [],
        entry: { ledger: PUBLISHER_A, height: 0, prevHash: hash(0), batchRoot: hash(9), count: 1, timestamp: '2025-01-01T00:00:00.000Z' },
        entryHash: hash(10),
        signature: '0x' + '22'.repeat(64)
      }
      store.setAnchor(v.id, anchor)
      expect(store.getVersion(v.ual)?.anchor).toEqual(anchor)
      expect(store.listVersions(v.ual)[0].anchor).toEqual(anchor)
    })

    describe('transactions', () => {
      it('commits all writes of a transaction, and rolls all back when it throws', () => {
        store.transaction(() => {
          store.insertVersion(newVersion({ ual: ualOf(10) }))
          store.setMeta('in-tx', 'yes')
        })
        expect(store.getAsset(ualOf(10))).toBeDefined()
        const before = store.stats()
        expect(() => store.transaction(() => {
          store.insertVersion(newVersion({ ual: ualOf(11) }))
          store.setMeta('in-tx', 'overwritten')
          throw new Error('abort')
        })).toThrow('abort')
        expect(store.getAsset(ualOf(11))).toBeUndefined()
        expect(store.getMeta('in-tx')).toBe('yes')
        expect(store.stats()).toEqual(before)
      })

      it('returns the value of fn', () => {
        expect(store.transaction(() => 42)).toBe(42)
      })

      it('a failing inner transaction rolls back only its own writes', () => {
        store.transaction(() => {
          store.insertVersion(newVersion({ ual: ualOf(20) }))
          expect(() => store.transaction(() => {
            store.insertVersion(newVersion({ ual: ualOf(21) }))
            throw new Error('inner')
          })).toThrow('inner')
          store.insertVersion(newVersion({ ual: ualOf(22) }))
        })
        expect(store.getAsset(ualOf(20))).toBeDefined()
        expect(store.getAsset(ualOf(21))).toBeUndefined()
        expect(store.getAsset(ualOf(22))).toBeDefined()
      })

      it('a failing outer transaction also rolls back its committed inner transactions', () => {
        expect(() => store.transaction(() => {
          store.transaction(() => store.insertVersion(newVersion({ ual: ualOf(30) })))
          throw new Error('outer')
        })).toThrow('outer')
        expect(store.getAsset(ualOf(30))).toBeUndefined()
        expect(store.stats().terms).toBe(0)
      })

      it('the term cache never returns ids of terms whose insert was rolled back', () => {
        const fresh = [
          quad(namedNode('https://ex.org/rolled/s'), namedNode('https://ex.org/rolled/p'), literal('rolled back', 'en')),
          quad(namedNode('https://ex.org/rolled/s'), namedNode('https://ex.org/rolled/p'), variable('not storable'))
        ]
        // The second quad fails after the first quad's terms were inserted (and cached).
        expectCode(() => store.insertVersion(newVersion({ ual: ualOf(40), quads: fresh, leafHashes: [leaf(0), leaf(1)] })), 'INTERNAL')
        expect(store.stats()).toMatchObject({ assets: 0, terms: 0 })
        // Other terms now take the rolled-back ids; then the same terms as before are inserted again.
        const other = store.insertVersion(newVersion({ ual: ualOf(41), quads: [quad(namedNode('https://ex.org/x'), namedNode('https://ex.org/y'), literal('z'))], leafHashes: [leaf(0)] }))
        const again = store.insertVersion(newVersion({ ual: ualOf(42), quads: [fresh[0]], leafHashes: [leaf(0)] }))
        expectTermsEqual(store.getQuads(again.id), [fresh[0]])
        expectTermsEqual(store.getQuads(other.id), [quad(namedNode('https://ex.org/x'), namedNode('https://ex.org/y'), literal('z'))])
        expect(store.findLeafIndex(again.id, fresh[0])).toBe(0)
      })

      it('the same holds when the failing version is a savepoint inside a larger transaction', () => {
        const terms = quad(namedNode('https://ex.org/sp/s'), namedNode('https://ex.org/sp/p'), literal('savepoint', namedNode(`${XSD}token`)))
        const again = store.transaction(() => {
          store.insertVersion(newVersion({ ual: ualOf(50) }))
          expectCode(() => store.insertVersion(newVersion({ ual: ualOf(51), quads: [terms, quad(terms.subject, terms.predicate, variable('v'))], leafHashes: [leaf(0), leaf(1)] })), 'INTERNAL')
          store.insertVersion(newVersion({ ual: ualOf(52), quads: [quad(namedNode('https://ex.org/other'), namedNode('https://ex.org/p'), literal('takes the freed ids'))], leafHashes: [leaf(0)] }))
          return store.insertVersion(newVersion({ ual: ualOf(53), quads: [terms], leafHashes: [leaf(0)] }))
        })
        expectTermsEqual(store.getQuads(again.id), [terms])
        expect(store.getAsset(ualOf(51))).toBeUndefined()
      })

      it('terms read inside a rolled-back transaction are not served for the ids reused later', () => {
        expect(() => store.transaction(() => {
          const v = store.insertVersion(newVersion({ ual: ualOf(60), quads: [quad(namedNode('https://ex.org/ghost'), namedNode('https://ex.org/p'), literal('ghost'))], leafHashes: [leaf(0)] }))
          expect(store.getQuads(v.id)[0].object.value).toBe('ghost') // caches id → term
          throw new Error('roll back')
        })).toThrow('roll back')
        const real = quad(namedNode('https://ex.org/real'), namedNode('https://ex.org/q'), literal('real'))
        const v = store.insertVersion(newVersion({ ual: ualOf(61), quads: [real], leafHashes: [leaf(0)] }))
        expectTermsEqual(store.getQuads(v.id), [real])
      })
    })

    it('findLeafIndex finds a triple of this version only, by exact terms', () => {
      const ual = ualOf(70)
      const v1 = store.insertVersion(newVersion({ ual, quads: TRICKY_QUADS, leafHashes: TRICKY_QUADS.map((_q, i) => leaf(i)) }))
      TRICKY_QUADS.forEach((q, i) => expect(store.findLeafIndex(v1.id, q), `quad ${i}`).toBe(i))
      const s = namedNode('https://ex.org/s')
      // Same lexical form, other datatype or language: not the same term.
      expect(store.findLeafIndex(v1.id, quad(s, namedNode('https://ex.org/name'), literal('chat', 'de')))).toBeUndefined()
      expect(store.findLeafIndex(v1.id, quad(s, namedNode('https://ex.org/name'), literal('chat')))).toBeUndefined()
      expect(store.findLeafIndex(v1.id, quad(s, namedNode('https://ex.org/age'), literal('42', namedNode(`${XSD}long`))))).toBeUndefined()
      expect(store.findLeafIndex(v1.id, quad(s, namedNode('https://ex.org/link'), namedNode('https://ex.org/never-stored')))).toBeUndefined()
      // Terms that exist, combined into a triple that does not.
      expect(store.findLeafIndex(v1.id, quad(s, namedNode('https://ex.org/age'), literal('plain string')))).toBeUndefined()
      const v2 = store.insertVersion(newVersion({ ual, version: 2, previousRoot: v1.root, quads: [TRICKY_QUADS[5]], leafHashes: [leaf(0)] }))
      expect(store.findLeafIndex(v2.id, TRICKY_QUADS[5])).toBe(0)
      expect(store.findLeafIndex(v2.id, TRICKY_QUADS[0])).toBeUndefined()
      expect(store.findLeafIndex(v1.id, TRICKY_QUADS[5])).toBe(5)
    })

    it('lists assets oldest first with a cursor, optionally by publisher', () => {
      const uals = [1, 2, 3, 4, 5].map((n) => ualOf(100 + n, n % 2 === 0 ? PUBLISHER_B : PUBLISHER_A))
      for (const ual of uals) store.insertVersion(newVersion({ ual }))
      store.insertVersion(newVersion({ ual: uals[0], version: 2 })) // an update does not reorder

      const seen: string[] = []
      let after: string | undefined
      let pages = 0
      for (;;) {
        const page = store.listAssets({ limit: 2, ...(after === undefined ? {} : { after }) })
        pages++
        expect(page.items.length).toBeLessThanOrEqual(2)
        seen.push(...page.items.map((a) => a.ual))
        if (page.next === null) break
        expect(page.next).toBe(page.items[page.items.length - 1].ual)
        after = page.next
      }
      expect(seen).toEqual(uals)
      expect(pages).toBe(3)
      expect(store.listAssets({ limit: 5 })).toMatchObject({ next: null })
      expect(store.listAssets({ limit: 4 }).next).toBe(uals[3])
      expect(store.listAssets({ limit: 10 }).items[0].currentVersion).toBe(2)

      const a = store.listAssets({ publisher: PUBLISHER_A, limit: 2 })
      expect(a.items.map((x) => x.ual)).toEqual([uals[0], uals[2]])
      expect(a.next).toBe(uals[2])
      expect(store.listAssets({ publisher: PUBLISHER_A, limit: 2, after: a.next as string })).toEqual({ items: [store.getAsset(uals[4])], next: null })
      expect(store.listAssets({ publisher: PUBLISHER_B, limit: 10 }).items.map((x) => x.ual)).toEqual([uals[1], uals[3]])
      expect(store.listAssets({ publisher: '5Unknown', limit: 10 })).toEqual({ items: [], next: null })
    })

    it('appends ledger entries and reads the head and any height', () => {
      const entry = (height: number, prevHash: string): StoredLedgerEntry => ({
        ledger: PUBLISHER_A, height, prevHash, batchRoot: hash(100 + height), count: height + 1,
        timestamp: `2025-01-01T00:00:0${height}.000Z`, hash: hash(200 + height), signature: '0x' + '33'.repeat(64)
      })
      const e0 = entry(0, hash(0))
      const e1 = entry(1, e0.hash)
      store.appendLedgerEntry(e0)
      expect(store.getLedgerHead()).toEqual(e0)
      store.appendLedgerEntry(e1)
      expect(store.getLedgerHead()).toEqual(e1)
      expect(store.getLedgerEntry(0)).toEqual(e0)
      expect(store.getLedgerEntry(1)).toEqual(e1)
      expect(store.getLedgerEntry(2)).toBeUndefined()
      expect(store.stats().ledgerHeight).toBe(1)
      // Append-only: a second entry at a height is refused.
      expectCode(() => store.transaction(() => { store.appendLedgerEntry({ ...entry(1, e0.hash), hash: hash(999) }) }), 'STORE_IO')
      expect(store.getLedgerEntry(1)).toEqual(e1)
    })

    it('keeps node metadata', () => {
      expect(store.getMeta('node')).toBeUndefined()
      store.setMeta('node', 'a')
      expect(store.getMeta('node')).toBe('a')
      store.setMeta('node', 'b')
      expect(store.getMeta('node')).toBe('b')
      store.setMeta('empty', '')
      expect(store.getMeta('empty')).toBe('')
    })
  })
}
