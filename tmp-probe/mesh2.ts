import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../test/helpers/node.js'
import { freePort, spawnNode } from '../test/helpers/p2p.js'
import type { ChildNode } from '../test/helpers/p2p.js'
const dir = tempDir('mesh-')
const ports = await Promise.all([0,1,2,3,4].map(() => freePort()))
const env = { DEBUG: process.env.PDEBUG ?? 'libp2p:connection-manager*,libp2p:*:error,libp2p:connection*' }
const opt = (i: number, b: string[]) => { const d = join(dir, `n${i}`); mkdirSync(d); return { dataDir: d, p2pPort: ports[i], bootstrap: b, replicationFactor: 3, syncIntervalMs: 1000, env } }
const t0 = Date.now()
const nodes: ChildNode[] = []
try {
nodes.push(await spawnNode(opt(0, [])))
console.log('n0', Date.now() - t0)
nodes.push(...await Promise.all([1,2,3,4].map(i => spawnNode(opt(i, [nodes[0].addr])))))
console.log('all up', Date.now() - t0, nodes.map(n => n.peerId.slice(-6)).join(' '))
for (let k = 0; k < 40; k++) {
  const counts = await Promise.all(nodes.map(async n => (await (await fetch(`${n.url}/peers`)).json()).peers.filter((p: any) => p.connected).length))
  console.log(Date.now() - t0, counts.join(' '))
  if (counts.every(c => c === 4) && k > 5) break
  await new Promise(r => setTimeout(r, 1000))
}
} finally {
for (const [i, n] of nodes.entries()) { await n.stop(); writeFileSync(`/tmp/mesh-log-${i}.txt`, n.stderr()) }
rmSync(dir, { recursive: true, force: true })
}
