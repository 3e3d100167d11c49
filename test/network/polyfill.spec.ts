import { describe, expect, it } from 'vitest'
import '../../src/network/polyfill.js'

interface WithResolvers { promise: Promise<number>, resolve: (v: number) => void, reject: (e: unknown) => void }
const P = Promise as unknown as { withResolvers: () => WithResolvers }

describe('Promise.withResolvers polyfill (libp2p 3 on Node 20)', () => {
  it('is installed and resolves', async () => {
    expect(typeof P.withResolvers).toBe('function')
    const { promise, resolve } = P.withResolvers()
    resolve(7)
    await expect(promise).resolves.toBe(7)
  })

  it('rejects', async () => {
    const { promise, reject } = P.withResolvers()
    reject(new Error('no'))
    await expect(promise).rejects.toThrow('no')
  })

  it('is idempotent: importing it again keeps the installed function', async () => {
    const before = P.withResolvers
    // @ts-expect-error query string makes a fresh module instance
    await import('../../src/network/polyfill.js?again')
    expect(P.withResolvers).toBe(before)
  })
})
