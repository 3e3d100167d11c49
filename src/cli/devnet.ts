import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCairnClient } from '../client/index.js'
import { CairnError } from '../errors.js'

export interface DevnetNode { index: number, url: string, peer: string, dataDir: string, process: ChildProcess }

const BIN = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url))
/** How long one node may take to come up before the devnet gives up. */
const START_TIMEOUT_MS = 60_000

/**
 * N `cairn start` processes on 127.0.0.1: node 0 first, the others bootstrapped to it. Each has its own data dir,
 * HTTP port base+i and libp2p port base+100+i, so a devnet is the same every time it starts.
 */
export async function startDevnet (options: { nodes: number, dir: string, basePort: number, replicationFactor: number }): Promise<DevnetNode[]> {
  if (!Number.isInteger(options.nodes) || options.nodes < 1 || options.nodes > 50) throw new CairnError('API_BAD_REQUEST', 'devnet: --nodes must be 1…50')
  const nodes: DevnetNode[] = []
  try {
    for (let i = 0; i < options.nodes; i++) {
      const dataDir = resolve(join(options.dir, `node-${i}`))
      mkdirSync(dataDir, { recursive: true })
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CAIRN_DATA_DIR: dataDir,
        CAIRN_PORT: String(options.basePort + i),
        CAIRN_P2P_LISTEN: `/ip4/127.0.0.1/tcp/${options.basePort + 100 + i}`,
        CAIRN_REPLICATION_FACTOR: String(options.replicationFactor),
        CAIRN_LOG_LEVEL: process.env.CAIRN_LOG_LEVEL ?? 'warn',
        ...(i === 0 ? {} : { CAIRN_BOOTSTRAP: `/ip4/127.0.0.1/tcp/${options.basePort + 100}/p2p/${nodes[0].peer}` })
      }
      const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        const timer = setTimeout(() => { reject(new CairnError('NET_TIMEOUT', `devnet: node ${i} did not start within ${START_TIMEOUT_MS} ms`)) }, START_TIMEOUT_MS)
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const m = /listening on (http:\/\/\S+)/.exec(out)
          if (m !== null) { clearTimeout(timer); resolve(m[1]) }
        })
        child.once('exit', (code) => { clearTimeout(timer); reject(new CairnError('NET_PEER_UNREACHABLE', `devnet: node ${i} exited with ${code}: ${out.slice(-500)}`)) })
      })
      const { peerId } = await createCairnClient({ url }).self()
      nodes.push({ index: i, url, peer: peerId, dataDir, process: child })
    }
  } catch (err) {
    for (const n of nodes) n.process.kill('SIGTERM')
    throw err
  }
  return nodes
}
