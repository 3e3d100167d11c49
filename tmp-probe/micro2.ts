import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import { startTestNode } from '../test/helpers/node.js'
import { generateAsset, toNQuads } from '../bench/generate.js'
const N = 300
const a = await startTestNode({ workers: 0, sparqlReplicas: 1, p2p: false })
const lines: string[] = []
for (let j = 0; j < N; j++) lines.push(toNQuads(generateAsset(9, j, 20), `https://bench.example.org/graph/${j}`))
await a.node.components.assets.publishRdf({ text: lines.join(''), format: 'nquads' })
const uals = a.node.components.store.listVersionsPage(0, N).map(v => v.ual)
const { verifyBundle } = await import('../src/proof/index.js')
const bundles = uals.map(u => a.node.components.assets.bundle(u))
const session = new Session(); session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start')
for (let k = 0; k < 3; k++) for (const b of bundles) verifyBundle(b)
const { profile } = await session.post('Profiler.stop'); writeFileSync('/tmp/vb.cpuprofile', JSON.stringify(profile))
await a.close()
