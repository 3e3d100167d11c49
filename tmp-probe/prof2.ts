import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import { startTestNode } from '../test/helpers/node.js'
import { generateAsset, toNQuads } from '../bench/generate.js'
import { waitFor } from '../test/helpers/p2p.js'
const N = Number(process.env.N ?? 1000)
const W = Number(process.env.W ?? 0)
const a = await startTestNode({ workers: W, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], replicationFactor: 2, syncIntervalMs: 0 })
for (let i = 0; i < N; i += 250) {
  const lines: string[] = []
  for (let j = i; j < Math.min(N, i + 250); j++) lines.push(toNQuads(generateAsset(9, j, 20), `https://bench.example.org/graph/${j}`))
  await a.node.components.assets.publishRdf({ text: lines.join(''), format: 'nquads' })
}
const b = await startTestNode({ workers: W, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], replicationFactor: 2, syncIntervalMs: 0 })
// sequential stage costs on 200 bundles
const uals = a.node.components.store.listVersionsPage(0, 200).map(v => v.ual)
const { verifyBundle } = await import('../src/proof/index.js')
let t = performance.now(); const bundles = uals.map(u => a.node.components.assets.bundle(u)); console.log('bundle() per asset', ((performance.now() - t) / 200).toFixed(2), 'ms')
t = performance.now(); for (const bu of bundles) verifyBundle(bu); console.log('verifyBundle per asset', ((performance.now() - t) / 200).toFixed(2), 'ms')
t = performance.now(); const s = JSON.stringify(bundles); JSON.parse(s); console.log('JSON per asset', ((performance.now() - t) / 200).toFixed(2), 'ms', s.length / 200, 'bytes')
const { prepareSignedVersion } = await import('../src/asset/prepare.js')
t = performance.now()
for (const bu of bundles) { const v = bu.versions[0]; await prepareSignedVersion({ ual: bu.ual, version: 1, publisher: bu.publisher, root: v.root, previousRoot: null, timestamp: v.timestamp, signature: v.signature, sourceName: v.sourceName, lines: v.lines }, { maxTriples: 100000, allowRemoteContexts: false }) }
console.log('prepareSignedVersion per asset', ((performance.now() - t) / 200).toFixed(2), 'ms')
t = performance.now(); for (const bu of bundles) await b.node.components.assets.importBundles([bu]); console.log('importBundles sequential one by one', ((performance.now() - t) / 200).toFixed(2), 'ms')
const b2 = await startTestNode({ workers: W, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], replicationFactor: 2, syncIntervalMs: 0 })
t = performance.now(); for (let i = 0; i < 200; i += 64) await b2.node.components.assets.importBundles(bundles.slice(i, i + 64)); console.log('importBundles batches of 64', ((performance.now() - t) / 200).toFixed(2), 'ms')
await b2.close()
const c = await startTestNode({ workers: W, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], replicationFactor: 2, syncIntervalMs: 0, bootstrap: [a.node.components.network!.multiaddrs()[0]] })
await waitFor('conn', () => c.node.components.network!.peers().some(p => p.connected), 20000, 10)
const session = new Session(); session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start')
t = performance.now()
const r = await c.node.components.network!.sync()
const ms = performance.now() - t
const { profile } = await session.post('Profiler.stop'); writeFileSync('/tmp/sync.cpuprofile', JSON.stringify(profile))
console.log('sync', r.complete, r.synced, ms.toFixed(0), 'ms', (r.synced / ms * 1000).toFixed(0), '/s')
await a.close(); await b.close(); await c.close()
