import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../test/helpers/node.js'
import { freePort, spawnNode } from '../test/helpers/p2p.js'
import type { ChildNode } from '../test/helpers/p2p.js'
const dir = tempDir('mesh-')
const ports = await Promise.all([0,1,2,3,4].map(() => freePort()))
const opt = (i: number, b: string[]) => { const d = join(dir, `n${i}`); mkdirSync(d); return { dataDir: d, p2pPort: ports[i], bootstrap: b, replicationFactor: 3, syncIntervalMs: 1000 } }
const t0 = Date.now()
const nodes: ChildNode[] = [await spawnNode(opt(0, []))]
console.log('n0', Date.now() - t0)
nodes.push(...await Promise.all([1,2,3,4].map(i => spawnNode(opt(i, [nodes[0].addr])))))
console.log('all up', Date.now() - t0)
for (let k = 0; k < 20; k++) {
  const counts = await Promise.all(nodes.map(async n => (await (await fetch(`${n.url}/peers`)).json()).peers.filter((p: any) => p.connected).length))
  console.log(Date.now() - t0, counts.join(' '))
  if (counts.every(c => c === 4)) break
  await new Promise(r => setTimeout(r, 1000))
}
for (const n of nodes) { await n.stop(); console.log(n.stderr().slice(0, 1500)) }
rmSync(dir, { recursive: true, force: true })
