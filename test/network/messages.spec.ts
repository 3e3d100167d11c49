import { describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { MAX_FETCH_UALS, decodeRequest, decodeResponse, encode } from '../../src/network/messages.js'
import type { Request, Response } from '../../src/network/messages.js'

const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value))

function protocolError (fn: () => unknown): CairnError {
  let caught: unknown
  try { fn() } catch (err) { caught = err }
  expect(caught).toBeInstanceOf(CairnError)
  expect((caught as CairnError).code).toBe('CAIRN_NET_PROTOCOL')
  return caught as CairnError
}

describe('replicate messages', () => {
  const requests: Request[] = [
    { v: 1, type: 'push', bundle: { format: 'cairn-bundle/1' } as never },
    { v: 1, type: 'fetch', uals: ['did:cairn:local/a/b'] },
    { v: 1, type: 'sync', after: 0, limit: 500 }
  ]
  const responses: Response[] = [
    { v: 1, type: 'receipt', receipt: { ual: 'u', version: 1, root: '0x', peer: 'p', node: 'n', time: 't', signature: '0x' } },
    { v: 1, type: 'bundles', bundles: [], missing: ['u'] },
    { v: 1, type: 'versions', items: [{ seq: 1, ual: 'u', version: 1, root: '0x' }], next: null },
    { v: 1, type: 'versions', items: [], next: 42 },
    { v: 1, type: 'error', code: 'CAIRN_X', message: 'm' }
  ]

  it('round-trips every request and response through UTF-8 JSON', () => {
    for (const r of requests) expect(decodeRequest(encode(r))).toEqual(r)
    for (const r of responses) expect(decodeResponse(encode(r))).toEqual(r)
  })

  it('rejects bytes that are not UTF-8 JSON objects', () => {
    expect(protocolError(() => decodeRequest(Uint8Array.from([0xff, 0xfe, 0x7b]))).message).toMatch(/not UTF-8 JSON/)
    expect(protocolError(() => decodeRequest(bytes('{"v":1,'))).message).toMatch(/not UTF-8 JSON/)
    expect(protocolError(() => decodeRequest(new Uint8Array(0))).message).toMatch(/not UTF-8 JSON/)
    for (const v of ['[1]', 'null', '42', '"push"']) expect(protocolError(() => decodeRequest(bytes(v))).message).toMatch(/not a JSON object/)
    expect(protocolError(() => decodeResponse(bytes('[]'))).message).toMatch(/not a JSON object/)
  })

  it('rejects any protocol version but 1, naming both', () => {
    for (const v of [2, 0, '1', null, undefined]) {
      const err = protocolError(() => decodeRequest(bytes({ v, type: 'sync', after: 0, limit: 1 })))
      expect(err.message).toMatch(/unsupported protocol version .*this node speaks 1/)
    }
    protocolError(() => decodeResponse(bytes({ v: 2, type: 'bundles', bundles: [], missing: [] })))
  })

  it('rejects requests of the wrong shape', () => {
    const bad: unknown[] = [
      { v: 1, type: 'nope' },
      { v: 1 },
      { v: 1, type: 'push' },
      { v: 1, type: 'push', bundle: null },
      { v: 1, type: 'push', bundle: 'x' },
      { v: 1, type: 'fetch', uals: [] },
      { v: 1, type: 'fetch', uals: 'did:cairn:local/a/b' },
      { v: 1, type: 'fetch', uals: [1] },
      { v: 1, type: 'fetch', uals: Array.from({ length: MAX_FETCH_UALS + 1 }, (_, i) => `u${i}`) },
      { v: 1, type: 'sync', after: -1, limit: 1 },
      { v: 1, type: 'sync', after: 0.5, limit: 1 },
      { v: 1, type: 'sync', after: 0, limit: 0 },
      { v: 1, type: 'sync', after: '0', limit: 1 },
      { v: 1, type: 'sync', after: 0 }
    ]
    for (const msg of bad) protocolError(() => decodeRequest(bytes(msg)))
    expect(decodeRequest(bytes({ v: 1, type: 'fetch', uals: Array.from({ length: MAX_FETCH_UALS }, (_, i) => `u${i}`) })).type).toBe('fetch')
  })

  it('rejects responses of the wrong shape, requests included', () => {
    const bad: unknown[] = [
      ...requests,
      { v: 1, type: 'receipt' },
      { v: 1, type: 'bundles', bundles: [] },
      { v: 1, type: 'bundles', bundles: {}, missing: [] },
      { v: 1, type: 'versions', items: [], next: 1.5 },
      { v: 1, type: 'versions', items: [] },
      { v: 1, type: 'error', message: 'no code' }
    ]
    for (const msg of bad) expect(protocolError(() => decodeResponse(bytes(msg))).message).toMatch(/unexpected response/)
  })
})
