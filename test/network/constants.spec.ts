import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_REPLICATION_FACTOR, INITIAL_SCORE, MAX_FRAME_BYTES, PENALTY_INVALID, PENALTY_UNREACHABLE, PROTOCOL_VERSION,
  REPLICATE_PROTOCOL, STREAM_TIMEOUT_MS, SYNC_INTERVAL_MS, SYNC_PAGE_SIZE
} from '../../src/network/constants.js'
import { MAX_FETCH_UALS } from '../../src/network/messages.js'
import { ConfigSchema } from '../../src/config.js'

const protocolDoc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8')

describe('network constants', () => {
  it('match what docs/protocol.md promises', () => {
    expect(protocolDoc).toContain(`\`${REPLICATE_PROTOCOL}\``)
    expect(protocolDoc).toContain(`"v": ${PROTOCOL_VERSION}`)
    expect(MAX_FRAME_BYTES).toBe(32 * 1024 * 1024)
    expect(protocolDoc).toMatch(/at most\s+32 MiB \(`MAX_FRAME_BYTES`\)/)
    expect(protocolDoc).toContain(`${STREAM_TIMEOUT_MS / 1000} s (\`STREAM_TIMEOUT_MS\`)`)
    expect(protocolDoc).toContain(`uals: [≤ ${MAX_FETCH_UALS}]`)
    expect(protocolDoc).toContain(`(≤ ${SYNC_PAGE_SIZE} items)`)
    expect(protocolDoc).toContain(`(−${PENALTY_INVALID}; unreachable peers −${PENALTY_UNREACHABLE}; peers at or below 0`)
    expect(protocolDoc).toContain(`default ${SYNC_INTERVAL_MS / 1000} s`)
    expect(protocolDoc).toContain(`(replication factor, default ${DEFAULT_REPLICATION_FACTOR})`)
  })

  it('agree with the config defaults', () => {
    const defaults = ConfigSchema.parse({})
    expect(defaults.replicationFactor).toBe(DEFAULT_REPLICATION_FACTOR)
    expect(defaults.syncIntervalMs).toBe(SYNC_INTERVAL_MS)
  })

  it('let a peer be rejected twice before it stops being chosen as a holder', () => {
    expect(INITIAL_SCORE - 2 * PENALTY_INVALID).toBeLessThanOrEqual(0)
    expect(INITIAL_SCORE - PENALTY_INVALID).toBeGreaterThan(0)
    expect(INITIAL_SCORE / PENALTY_UNREACHABLE).toBeGreaterThanOrEqual(10)
  })
})
