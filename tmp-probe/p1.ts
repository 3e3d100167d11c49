import { startTestNode } from '../test/helpers/node.js'
import { createCairnClient } from '../src/client/index.js'
const t0 = Date.now()
const a = await startTestNode({ workers: 0, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], replicationFactor: 2, syncIntervalMs: 0 })
const addr = a.node.components.network!.multiaddrs()[0]
console.log('a up', Date.now() - t0, addr)
const b = await startTestNode({ workers: 0, sparqlReplicas: 1, p2pListen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [addr], replicationFactor: 2, syncIntervalMs: 0 })
console.log('b up', Date.now() - t0)
for (let i = 0; i < 100 && a.node.components.network!.peers().filter(p => p.connected).length === 0; i++) await new Promise(r => setTimeout(r, 50))
console.log('connected', Date.now() - t0)
const res = await fetch(`${a.url}/assets?minReplications=2&replicationTimeoutMs=5000`, { method: 'POST', headers: { 'content-type': 'text/turtle', authorization: `Bearer ${a.token}` }, body: '<https://ex.org/a> <https://ex.org/p> "x" .' })
const j = await res.json()
console.log(JSON.stringify(j, null, 1).slice(0, 2000), Date.now() - t0)
const ual = j.assets[0].ual
const g = await fetch(`${b.url}/assets/${encodeURIComponent(ual)}`)
console.log(g.status, [...g.headers.entries()].filter(([k]) => k.startsWith('cairn')))
await a.close(); await b.close()
console.log('closed', Date.now() - t0)
