import { describe, expect, it } from 'vitest'

import { isCairnError } from '../../src/errors.js'
import { batchLeaf, keccak256, ledgerEntryHash, ledgerEntryMessage, toHex, type LedgerEntry } from '../../src/proof/index.js'
import { ZERO, nodeKey } from './fixtures.js'

const entry: LedgerEntry = { ledger: nodeKey().address, height: 0, prevHash: ZERO, batchRoot: `0x${'ab'.repeat(32)}`, count: 3, timestamp: '2025-01-02T03:04:05.000Z' }

describe('ledger entry', () => {
  it('message is the documented newline-joined string', () => {
    expect(new TextDecoder().decode(ledgerEntryMessage(entry)))
      .toBe(`cairn-ledger-v1\n${entry.ledger}\n0\n${ZERO}\n${entry.batchRoot}\n3\n2025-01-02T03:04:05.000Z`)
  })

  it('hash is keccak256 of the message and changes with every field', () => {
    const h = ledgerEntryHash(entry)
    expect(h).toBe(toHex(keccak256(ledgerEntryMessage(entry))))
    const variants: LedgerEntry[] = [
      { ...entry, ledger: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY' },
      { ...entry, height: 1 },
      { ...entry, prevHash: `0x${'01'.repeat(32)}` },
      { ...entry, batchRoot: `0x${'ac'.repeat(32)}` },
      { ...entry, count: 4 },
      { ...entry, timestamp: '2025-01-02T03:04:05.001Z' }
    ]
    for (const v of variants) expect(ledgerEntryHash(v)).not.toBe(h)
  })

  it.each([
    ['negative height', { height: -1 }],
    ['count 0', { count: 0 }],
    ['short prevHash', { prevHash: '0x00' }],
    ['ledger with newline', { ledger: 'a\nb' }],
    ['bad timestamp', { timestamp: 'yesterday' }]
  ])('throws PROOF_MALFORMED on %s', (_n, patch) => {
    let err: unknown
    try { ledgerEntryMessage({ ...entry, ...patch } as LedgerEntry) } catch (e) { err = e }
    expect(isCairnError(err, 'PROOF_MALFORMED')).toBe(true)
  })

  it('batchLeaf is the double keccak of the 32 root bytes', () => {
    const root = keccak256(Uint8Array.of(1))
    expect(batchLeaf(root)).toEqual(keccak256(keccak256(root)))
  })
})
