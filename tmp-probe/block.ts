import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { tempDir } from '../test/helpers/node.js'
import { freePort, spawnNode, startRawPeer, waitFor } from '../test/helpers/p2p.js'
const dir = tempDir('blk-'); mkdirSync(join(dir, 'a'))
const a = await spawnNode({ dataDir: join(dir, 'a'), p2pPort: await freePort(), replicationFactor: 2, syncIntervalMs: 0, env: { DEBUG: 'libp2p:connection-monitor*' } })
const raw = await startRawPeer()
await raw.node.dial(multiaddr(a.addr))
const connected = async () => (await (await fetch(`${a.url}/peers`)).json()).peers.some((p: any) => p.id === raw.peerId && p.connected)
await waitFor('conn', connected, 10000, 50)
console.log('connected; blocking for', process.env.MS)
const until = Date.now() + Number(process.env.MS ?? 12000); while (Date.now() < until) {}
await new Promise(r => setTimeout(r, 500))
console.log('after block: A sees raw connected?', await connected(), 'raw sees', raw.node.getConnections().length)
await raw.stop(); await a.stop(); console.log(a.stderr().split('\n').filter(l => /monitor/.test(l)).slice(-5).join('\n')); rmSync(dir, { recursive: true, force: true })
