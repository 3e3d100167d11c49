import { startTestNode } from '../test/helpers/node.js'
import { generateAsset, toNQuads } from '../bench/generate.js'
import { waitFor } from '../test/helpers/p2p.js'
const N = Number(process.env.N ?? 2000)
const W = Number(process.env.W ?? 0)
const a = await startTestNode({ workers: W, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], replicationFactor: 2, syncIntervalMs: 0 })
let t = performance.now()
for (let i = 0; i < N; i += 250) {
  const lines: string[] = []
  for (let j = i; j < Math.min(N, i + 250); j++) lines.push(toNQuads(generateAsset(9, j, 20), `https://bench.example.org/graph/${j}`))
  await a.node.components.assets.publishRdf({ text: lines.join(''), format: 'nquads' })
}
console.log('loaded', N, performance.now() - t)
const timers: Record<string, { ms: number, n: number }> = {}
function wrap (obj: any, name: string, label: string) {
  const orig = obj[name].bind(obj)
  obj[name] = (...args: any[]) => {
    const t0 = performance.now()
    const r = orig(...args)
    const done = () => { const e = timers[label] ??= { ms: 0, n: 0 }; e.ms += performance.now() - t0; e.n++ }
    if (r instanceof Promise) return r.finally(done)
    done(); return r
  }
}
wrap(a.node.components.assets, 'bundle', 'A.bundle')
const b = await startTestNode({ workers: W, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], replicationFactor: 2, syncIntervalMs: 0, bootstrap: [a.node.components.network!.multiaddrs()[0]] })
const bs: any = b.node.components.assets
wrap(bs, 'importBundles', 'B.importBundles')
wrap(bs, 'prepareSigned', 'B.prepareSigned')
wrap(bs, 'commit', 'B.commit')
const bn: any = b.node.components.network
wrap(bn, 'request', 'B.request')
const proof = await import('../src/proof/index.js')
t = performance.now()
await waitFor('conn', () => b.node.components.network!.peers().some(p => p.connected), 20000, 10)
const r = await b.node.components.network!.sync()
const ms = performance.now() - t
console.log('sync', r.complete, r.synced, ms.toFixed(0), 'ms', (r.synced / ms * 1000).toFixed(0), '/s')
console.log(timers)
await a.close(); await b.close()
