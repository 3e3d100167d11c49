/**
 * Cairn node process for bench/sparql.ts: starts a real node (createCairnNode, 127.0.0.1, port 0) on an existing
 * data dir with `replicas` SPARQL replicas and reports, as JSON lines on stdout:
 *   - `ready`: ms from createCairnNode until `sparql.whenReady()` (first replica loaded), until every replica is
 *     loaded, and each replica's own load time as it logs it ('SPARQL replica loaded', ms from worker start);
 * then serves until stdin closes. RSS is read by the parent from /proc (worker threads share this process).
 * On a `stats` line on stdin it emits `stats` and starts afresh: per request, the server-side time (request event
 * to res.end) and the engine's time (`sparql.query()`: worker hop, query, caps) — to tell apart what
 * the network/scheduling, express and the worker each add.
 *
 * Usage: node --import tsx bench/sparql-node.ts <dataDir> <replicas> [dist|src]
 */
import { Server } from 'node:http'
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import type * as ConfigModule from '../src/config.js'
import type * as NodeModule from '../src/node.js'

const [dataDir, replicasArg, from = 'dist'] = process.argv.slice(2)
const replicas = Number(replicasArg)
// From the compiled build (`npm run build`), as a node runs in production: worker threads then start from plain JS.
// `src` runs the TypeScript sources through tsx, whose workers compile every module they load at start.
const root = from === 'src' ? '../src' : '../dist'
const { loadConfig } = await import(`${root}/config.js`) as typeof ConfigModule
const { createCairnNode } = await import(`${root}/node.js`) as typeof NodeModule
const emit = (o: Record<string, unknown>): void => { process.stdout.write(JSON.stringify(o) + '\n') }

const replicaLoads: Array<{ ms: number, loadMs: number, quads: number }> = []
const logStream = new Writable({
  write (chunk: Buffer, _enc, done) {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue
      const entry = JSON.parse(line) as { msg?: string, ms?: number, loadMs?: number, quads?: number, level?: number }
      if (entry.msg === 'SPARQL replica loaded') replicaLoads.push({ ms: entry.ms ?? 0, loadMs: entry.loadMs ?? 0, quads: entry.quads ?? 0 })
      else if ((entry.level ?? 0) >= 50) process.stderr.write(line + '\n')
    }
    done()
  }
})
const logger = pino({ level: 'info', name: 'cairn' }, logStream)

// Server-side time of every request, measured around the request event of any http.Server in this process.
const serverMs: number[] = []
const emit0 = Server.prototype.emit
Server.prototype.emit = function (this: Server, event: string | symbol, ...rest: unknown[]): boolean {
  if (event === 'request') {
    // Until the response is handed to the socket (res.end), not its 'finish' event, which waits for the kernel.
    const t = performance.now()
    const res = rest[1] as { end: (...a: unknown[]) => unknown }
    const end = res.end
    res.end = function (this: unknown, ...a: unknown[]) {
      serverMs.push(performance.now() - t)
      return end.apply(this, a)
    }
  }
  return (emit0 as (this: Server, e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...rest)
} as typeof Server.prototype.emit

const t0 = performance.now()
const cpu0 = process.cpuUsage()
const node = await createCairnNode({
  config: loadConfig({ dataDir, port: 0, host: '127.0.0.1', logLevel: 'info', sparqlReplicas: replicas }, {}),
  env: {},
  logger
})
const startedMs = performance.now() - t0
const sparql = node.components.sparql
await sparql.whenReady()
const readyMs = performance.now() - t0
while (!sparql.status().replicas.every((r) => r.ready)) await new Promise((resolve) => setTimeout(resolve, 20))
const allReadyMs = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
const status = sparql.status()
emit({
  event: 'ready',
  url: node.url,
  replicas,
  startedMs,
  readyMs,
  allReadyMs,
  /** CPU time of the whole process (main thread, replicas, prepare workers) from createCairnNode to all ready. */
  cpuMs: (cpu.user + cpu.system) / 1000,
  replicaLoads,
  quads: status.replicas.map((r) => r.quads),
  memory: process.memoryUsage()
})

const engineMs: number[] = []
const query = sparql.query.bind(sparql)
sparql.query = async (...a: Parameters<typeof query>) => {
  const t = performance.now()
  try {
    return await query(...a)
  } finally {
    engineMs.push(performance.now() - t)
  }
}

const input = createInterface({ input: process.stdin })
input.on('line', (line) => {
  if (line.trim() === 'stats') emit({ event: 'stats', serverMs: serverMs.splice(0), engineMs: engineMs.splice(0) })
})
input.on('close', () => {
  void Promise.resolve(node.stop()).then(() => process.exit(0))
})
