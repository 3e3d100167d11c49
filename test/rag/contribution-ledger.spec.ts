import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { contributionsCsv, createContributionLedger } from '../../src/rag/index.js'
import type { ContributionLedger } from '../../src/rag/index.js'
import { createAssetStore } from '../../src/store/index.js'
import type { AssetStore } from '../../src/store/index.js'

const A = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'
const B = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty'
const ual = (p: string, n: number): string => `did:cairn:local/${p}/${String(n).padStart(40, '0')}`

describe('SqliteContributionLedger (real SQLite)', () => {
  let store: AssetStore
  let ledger: ContributionLedger
  let clock: Date

  beforeEach(async () => {
    store = createAssetStore({ path: ':memory:' })
    await store.start()
    clock = new Date('2026-11-01T10:00:00.000Z')
    ledger = createContributionLedger({ now: () => clock }, { store })
  })
  afterEach(async () => { await store.stop() })

  const serve = (citations: Array<[string, string, number]>, at: string, requestHash = '0x01'): void => {
    clock = new Date(at)
    ledger.record(citations.map(([publisher, u, version]) => ({ publisher, ual: u, version })), { interface: 'rest', requestHash })
  }

  it('counts citations per publisher and per asset, most cited first, with an exact total', () => {
    serve([[A, ual(A, 1), 1], [A, ual(A, 1), 1], [A, ual(A, 2), 3], [B, ual(B, 1), 1]], '2026-11-01T10:00:00Z')
    serve([[A, ual(A, 2), 3], [A, ual(A, 2), 3]], '2026-11-02T10:00:00Z')
    const s = ledger.summary({})
    expect(s).toEqual({
      publisher: null,
      from: null,
      to: null,
      total: 6,
      truncated: false,
      publishers: [
        { publisher: B, citations: 1, assets: [{ ual: ual(B, 1), citations: 1 }] },
        { publisher: A, citations: 5, assets: [{ ual: ual(A, 2), citations: 3 }, { ual: ual(A, 1), citations: 2 }] }
      ]
    })
  })

  it('writes one row per answer, version and time, with the number of citations: a page of one asset is one row', () => {
    serve([[A, ual(A, 1), 1], [A, ual(A, 1), 1], [A, ual(A, 1), 1], [A, ual(A, 1), 2], [B, ual(B, 1), 1]], '2026-11-01T10:00:00Z')
    serve([[A, ual(A, 1), 1]], '2026-11-01T10:00:00Z', '0x02')
    serve([[A, ual(A, 1), 1]], '2026-11-01T10:00:01Z')
    const db = (store as unknown as { db: { prepare: (sql: string) => { raw: () => { all: () => unknown[] } } } }).db
    expect(db.prepare('SELECT request_hash, time, ual, version, citations FROM contributions ORDER BY id').raw().all()).toEqual([
      ['0x01', '2026-11-01T10:00:00.000Z', ual(A, 1), 1, 3],
      ['0x01', '2026-11-01T10:00:00.000Z', ual(A, 1), 2, 1],
      ['0x01', '2026-11-01T10:00:00.000Z', ual(B, 1), 1, 1],
      ['0x02', '2026-11-01T10:00:00.000Z', ual(A, 1), 1, 1],
      ['0x01', '2026-11-01T10:00:01.000Z', ual(A, 1), 1, 1]
    ])
    expect(ledger.summary({}).total).toBe(7)
  })

  it('filters by publisher and by a [from, to) window; dates may be bare or zoneless (UTC)', () => {
    serve([[A, ual(A, 1), 1]], '2026-11-01T10:00:00Z')
    serve([[A, ual(A, 1), 1], [B, ual(B, 1), 1]], '2026-11-02T00:00:00Z')
    serve([[B, ual(B, 1), 1]], '2026-11-03T23:59:59Z')
    expect(ledger.summary({ publisher: B }).total).toBe(2)
    expect(ledger.summary({ publisher: B }).publishers.map((p) => p.publisher)).toEqual([B])
    expect(ledger.summary({ from: '2026-11-02' }).total).toBe(3)
    expect(ledger.summary({ to: '2026-11-02' }).total).toBe(1)
    expect(ledger.summary({ from: '2026-11-02', to: '2026-11-03' }).total).toBe(2)
    expect(ledger.summary({ from: '2026-11-02T00:00', to: '2026-11-03T23:59:59.999' }).total).toBe(3)
    expect(ledger.summary({ from: '2026-11-02T01:00:00+02:00' }).total).toBe(3)
    const s = ledger.summary({ from: '2026-11-02', to: '2026-11-03T00:00:00Z', publisher: A })
    expect(s).toMatchObject({ publisher: A, from: '2026-11-02T00:00:00.000Z', to: '2026-11-03T00:00:00.000Z', total: 1 })
  })

  it('refuses dates that do not parse and windows that end before they start (API_BAD_REQUEST)', () => {
    for (const q of [{ from: 'yesterday' }, { to: '2026-02-30T25:00' }, { from: '11/02/2026' }, { from: '2026-11-03', to: '2026-11-02' }]) {
      let err: unknown
      try { ledger.summary(q) } catch (e) { err = e }
      expect(err, JSON.stringify(q)).toBeInstanceOf(CairnError)
      expect((err as CairnError).code).toBe('CAIRN_API_BAD_REQUEST')
    }
  })

  it('cuts per-asset rows at maxRows but keeps per-publisher counts and the total exact', () => {
    const small = createContributionLedger({ maxRows: 2, now: () => clock }, { store })
    small.record([1, 2, 3, 4].map((n) => ({ publisher: A, ual: ual(A, n), version: 1 })), { interface: 'mcp', requestHash: '0x02' })
    const s = small.summary({})
    expect(s.truncated).toBe(true)
    expect(s.total).toBe(4)
    expect(s.publishers).toHaveLength(1)
    expect(s.publishers[0].citations).toBe(4)
    expect(s.publishers[0].assets).toHaveLength(2)
  })

  it('started, writes each turn of the event loop in one transaction after the answers; summary and stop flush first', async () => {
    const buffered = createContributionLedger({ now: () => clock }, { store })
    const stored = (): number => store.countContributions({ limit: 10 }).total
    expect(buffered.isStarted()).toBe(false)
    buffered.record([{ publisher: A, ual: ual(A, 1), version: 1 }], { interface: 'rest', requestHash: '0x01' })
    expect(stored()).toBe(1) // not started: at once
    buffered.start()
    buffered.start()
    buffered.record([{ publisher: A, ual: ual(A, 1), version: 1 }], { interface: 'rest', requestHash: '0x02' })
    buffered.record([{ publisher: B, ual: ual(B, 1), version: 1 }], { interface: 'graphql', requestHash: '0x03' })
    expect(stored()).toBe(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(stored()).toBe(3)
    buffered.record([{ publisher: B, ual: ual(B, 2), version: 1 }], { interface: 'mcp', requestHash: '0x04' })
    expect(buffered.summary({}).total).toBe(4)
    buffered.record([{ publisher: B, ual: ual(B, 2), version: 1 }], { interface: 'mcp', requestHash: '0x05' })
    buffered.stop()
    buffered.stop()
    expect(stored()).toBe(5)
    expect(buffered.isStarted()).toBe(false)
  })

  it('a failed write keeps the rows for the next flush', () => {
    const failing = { ...store, recordContributions: () => { throw new CairnError('STORE_IO', 'disk full') } } as unknown as AssetStore
    const flaky = createContributionLedger({}, { store: failing })
    expect(() => { flaky.record([{ publisher: A, ual: ual(A, 1), version: 1 }], { interface: 'rest', requestHash: '0x01' }) }).toThrow('disk full')
    const real = createContributionLedger({}, { store })
    // The same pending rows reach a working store on the next flush (white box: hand them over).
    ;(real as unknown as { pending: unknown }).pending = (flaky as unknown as { pending: unknown }).pending
    real.flush()
    expect(store.countContributions({ limit: 10 }).total).toBe(1)
  })

  it('writes CSV with a header row and RFC 4180 quoting', () => {
    serve([[A, ual(A, 1), 1], [A, ual(A, 1), 1], [B, 'did:cairn:local/x,"y"/z', 1]], '2026-11-01T10:00:00Z')
    const csv = contributionsCsv(ledger.summary({}))
    // Publishers in address order (B's address sorts before A's), then their assets, most cited first.
    expect(B < A).toBe(true)
    expect(csv).toBe(`publisher,ual,citations\r\n${B},"did:cairn:local/x,""y""/z",1\r\n${A},${ual(A, 1)},2\r\n`)
    expect(contributionsCsv({ publisher: null, from: null, to: null, publishers: [], total: 0, truncated: false })).toBe('publisher,ual,citations\r\n')
  })
})
