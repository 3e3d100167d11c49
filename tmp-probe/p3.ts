import { startTestNode } from '../test/helpers/node.js'
import { generateAsset, toNQuads } from '../bench/generate.js'
const a = await startTestNode({ workers: 0, sparqlReplicas: 1, p2p: process.env.P2P === '1', p2pListen: ['/ip4/127.0.0.1/tcp/0'] })
const lines: string[] = []
for (let j = 0; j < 250; j++) lines.push(toNQuads(generateAsset(8, j, 20), `https://bench.example.org/graph/${j}`))
let t = performance.now()
const res = await fetch(`${a.url}/assets`, { method: 'POST', headers: { 'content-type': 'application/n-quads', authorization: `Bearer ${a.token}` }, body: lines.join('') })
const j = await res.json() as any
console.log(res.status, performance.now() - t, j.assets?.length, j.assets ? Object.entries(j.assets.reduce((m: any, r: any) => { m[r.status] = (m[r.status] ?? 0) + 1; return m }, {})) : JSON.stringify(j).slice(0, 500))
const uals = new Set(j.assets.map((r: any) => r.ual)); console.log('distinct', uals.size, j.assets[0].sourceName, j.assets[1].sourceName)
await a.close()
