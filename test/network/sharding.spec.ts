import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { closestPeers, shardKey } from '../../src/network/sharding.js'

const sha = (s: string): Buffer => createHash('sha256').update(s).digest()
/** XOR distance as a big integer: the definition, computed independently of the implementation. */
const distance = (peer: string, ual: string): bigint => {
  const a = sha(peer)
  const b = sha(ual)
  return BigInt('0x' + Buffer.from(a.map((x, i) => x ^ b[i])).toString('hex'))
}

const PEERS = Array.from({ length: 12 }, (_, i) => `12D3KooWpeer${i}`)
const UALS = Array.from({ length: 50 }, (_, i) => `did:cairn:local/5Fpub/${i.toString(16).padStart(40, '0')}`)

describe('sharding by XOR distance of sha256', () => {
  it('shardKey is sha256 of the UTF-8 string', () => {
    expect(Buffer.from(shardKey('héllo')).toString('hex')).toBe(sha('héllo').toString('hex'))
  })

  it('picks the R peers closest to sha256(UAL), nearest first', () => {
    for (const ual of UALS) {
      const expected = [...PEERS].sort((x, y) => (distance(x, ual) < distance(y, ual) ? -1 : 1)).slice(0, 3)
      expect(closestPeers(ual, PEERS, 3)).toEqual(expected)
    }
  })

  it('is deterministic whatever the order of the peer list, and ignores duplicates', () => {
    for (const ual of UALS.slice(0, 10)) {
      const a = closestPeers(ual, PEERS, 4)
      expect(closestPeers(ual, [...PEERS].reverse(), 4)).toEqual(a)
      expect(closestPeers(ual, [...PEERS, ...PEERS], 4)).toEqual(a)
    }
  })

  it('returns every peer when R exceeds the peer count, and none for R = 0', () => {
    expect(closestPeers(UALS[0], PEERS.slice(0, 2), 5)).toHaveLength(2)
    expect(closestPeers(UALS[0], PEERS, 0)).toEqual([])
    expect(closestPeers(UALS[0], [], 3)).toEqual([])
  })

  it('spreads assets over peers (every peer holds some of 50 assets at R = 3 of 12)', () => {
    const load = new Map<string, number>()
    for (const ual of UALS) for (const p of closestPeers(ual, PEERS, 3)) load.set(p, (load.get(p) ?? 0) + 1)
    expect([...load.values()].reduce((a, b) => a + b, 0)).toBe(150)
    expect(load.size).toBeGreaterThanOrEqual(10)
  })

  it('a removed peer changes only the assets it held: the others keep their holders', () => {
    const gone = PEERS[3]
    const rest = PEERS.filter((p) => p !== gone)
    for (const ual of UALS) {
      const before = closestPeers(ual, PEERS, 3)
      const after = closestPeers(ual, rest, 3)
      if (!before.includes(gone)) expect(after).toEqual(before)
      else expect(after.slice(0, 2)).toEqual(before.filter((p) => p !== gone))
    }
  })
})
