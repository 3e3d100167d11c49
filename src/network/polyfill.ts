/**
 * libp2p 3 calls `Promise.withResolvers` (a Node 22 API) when it starts (its peer-store locks); Node 20.19 lacks
 * it. This is the only Node-22 API the stack reaches (../shared/LIBP2P-NOTES.md). Installed once, before any node
 * starts; a no-op on Node ≥ 22.
 */
interface WithResolvers<T> { promise: Promise<T>, resolve: (value: T | PromiseLike<T>) => void, reject: (reason?: unknown) => void }

const P = Promise as unknown as { withResolvers?: <T>() => WithResolvers<T> }
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T> (): WithResolvers<T> {
    let resolve!: WithResolvers<T>['resolve']
    let reject!: WithResolvers<T>['reject']
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

export {}
