/**
 * Replication benchmark: `npm run bench:replication` (= `tsx bench/replication.ts`). Needs `npm run build` (the
 * nodes are `bin/cairn.js start` child processes, each its own event loop, all on 127.0.0.1).
 *
 * 1. Latency. A devnet of `--nodes` (5) processes, node 0 first and the others bootstrapped to it, R = `--r` (3),
 *    meshed before measuring. `--publishes` (200) seeded assets of `--triples` (20) triples are published on node 0
 *    one after the other with `POST /assets?minReplications=R` — the answer comes when R verified receipts are in
 *    (the origin's own counts only when it is one of the R holders, so 2 or 3 pushes are awaited). Reported: the
 *    client's time from request to that answer (publish + R receipts, p50/p95/max), the same for `minReplications=0`
 *    (local publish only, the baseline), and the nodes' own view: last receipt time − signed timestamp.
 * 2. Catch-up. A fresh node A gets `--catchup` (10,000) assets through the HTTP batch endpoint (N-Quads, `--batch`
 *    graphs per request); nobody else is connected, so nothing is pushed. Then node B starts, bootstrapped to A,
 *    with R = 2 (both hold everything), so its connect-time sync round must fetch, verify and store every version.
 *    `POST /sync` on B waits for that round (rounds never overlap) and answers with the cumulative report; timed
 *    from B's spawn and from its "listening on". A and B run `--catchup-workers` prepare workers (default: one per
 *    CPU, the node's default), the devnet `--workers` (default 0: five processes share two cores).
 *
 * Options: --nodes 5 --r 3 --publishes 200 --warmup 10 --triples 20 --catchup 10000 --batch 250 --workers 0
 *          --catchup-workers <n> --seed 7 --parts latency,catchup
 *          --cpu-prof <dir> (V8 CPU profiles of the catch-up nodes A and B, written when they stop)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import type { PublishResult } from '../src/asset/index.js'
import type { ReplicationView } from '../src/api/routes/assets.js'
import type { PeerView, SyncReport } from '../src/network/index.js'
import { freePort, spawnNode, waitFor } from '../test/helpers/p2p.js'
import type { ChildNode } from '../test/helpers/p2p.js'
import { generateAsset, toNQuads, toTurtle } from './generate.js'

const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5' },
    r: { type: 'string', default: '3' },
    publishes: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '10' },
    triples: { type: 'string', default: '20' },
    catchup: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '250' },
    workers: { type: 'string', default: '0' },
    'catchup-workers': { type: 'string', default: String(availableParallelism()) },
    seed: { type: 'string', default: '7' },
    parts: { type: 'string', default: 'latency,catchup' },
    'cpu-prof': { type: 'string' }
  }
})
const NODES = Number(args.nodes)
const R = Number(args.r)
const PUBLISHES = Number(args.publishes)
const WARMUP = Number(args.warmup)
const TRIPLES = Number(args.triples)
const CATCHUP = Number(args.catchup)
const BATCH = Number(args.batch)
const SEED = Number(args.seed)
const PARTS = new Set(args.parts.split(','))

const log = (s: string): void => { process.stdout.write(s + '\n') }
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
const summary = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b)
  return `p50 ${fmt(pct(s, 50), 1)} ms  p95 ${fmt(pct(s, 95), 1)} ms  max ${fmt(s[s.length - 1], 1)} ms  (n = ${s.length})`
}

const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-repl-'))
const children: ChildNode[] = []

async function start (name: string, options: { bootstrap?: string[], r: number, syncIntervalMs: number, workers?: string, profile?: boolean }): Promise<ChildNode> {
  const dataDir = join(dir, name)
  mkdirSync(dataDir, { recursive: true })
  const env: Record<string, string> = options.workers === undefined ? {} : { CAIRN_WORKERS: options.workers }
  const nodeArgs = options.profile === true && args['cpu-prof'] !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`, `--cpu-prof-name=${name}.cpuprofile`] : []
  const node = await spawnNode({ dataDir, p2pPort: await freePort(), bootstrap: options.bootstrap ?? [], replicationFactor: options.r, syncIntervalMs: options.syncIntervalMs, env, nodeArgs }, 120_000)
  children.push(node)
  return node
}
/** CPU seconds (user + system, all threads) a child has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds (n: ChildNode): number {
  try {
    const fields = readFileSync(`/proc/${n.process.pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}
const token = (n: ChildNode): string => readFileSync(join(n.options.dataDir, 'api-token'), 'utf8').trim()

async function post (n: ChildNode, body: string, contentType: string, query = ''): Promise<Array<PublishResult & { replication?: ReplicationView }>> {
  const res = await fetch(`${n.url}/assets${query}`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${token(n)}` }, body })
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST /assets: ${res.status} ${(await res.text()).slice(0, 500)}`)
  return (await res.json() as { assets: Array<PublishResult & { replication?: ReplicationView }> }).assets
}

async function latency (): Promise<void> {
  log(`\n## Publish → ${R} verified receipts, ${NODES}-node devnet (child processes, 127.0.0.1, CAIRN_WORKERS=${args.workers})`)
  const t0 = performance.now()
  const first = await start('devnet-0', { r: R, syncIntervalMs: 30_000, workers: args.workers })
  const rest = await Promise.all(Array.from({ length: NODES - 1 }, async (_, i) => await start(`devnet-${i + 1}`, { bootstrap: [first.addr], r: R, syncIntervalMs: 30_000, workers: args.workers })))
  const devnet = [first, ...rest]
  await waitFor('a full mesh', async () => (await Promise.all(devnet.map(async (n) => (await (await fetch(`${n.url}/peers`)).json() as { peers: PeerView[] }).peers.filter((p) => p.connected).length)))
    .every((c) => c === NODES - 1), 120_000, 200)
  log(`devnet up and meshed in ${fmt((performance.now() - t0) / 1000, 1)} s`)

  let index = 0
  const next = (): string => toTurtle(generateAsset(SEED, index++, TRIPLES))
  for (let i = 0; i < WARMUP; i++) await post(first, next(), 'text/turtle', `?minReplications=${R}&replicationTimeoutMs=10000`)

  const measure = async (min: number, count: number): Promise<{ client: number[], nodes: number[], unmet: number, originHolder: number }> => {
    const client: number[] = []
    const nodes: number[] = []
    let unmet = 0
    let originHolder = 0
    for (let i = 0; i < count; i++) {
      const body = next()
      const t = performance.now()
      const [r] = await post(first, body, 'text/turtle', `?minReplications=${min}&replicationTimeoutMs=10000`)
      client.push(performance.now() - t)
      const rep = r.replication!
      if (!rep.met) unmet++
      if (rep.holders.includes(first.peerId)) originHolder++
      if (min > 0) nodes.push(Math.max(...rep.receipts.map((x) => Date.parse(x.time))) - Date.parse(r.timestamp))
    }
    return { client, nodes, unmet, originHolder }
  }
  const base = await measure(0, Math.min(100, PUBLISHES))
  const repl = await measure(R, PUBLISHES)
  log(`publish only (minReplications=0):        ${summary(base.client)}`)
  log(`publish + ${R} receipts (minReplications=${R}): ${summary(repl.client)}`)
  log(`  nodes' view, signed timestamp → last of the ${R} receipts: ${summary(repl.nodes)}`)
  log(`  R met: ${PUBLISHES - repl.unmet}/${PUBLISHES}; origin among the holders for ${repl.originHolder} (it then counts itself and awaits ${R - 1} pushes, else ${R})`)
  await Promise.all(devnet.map(async (n) => { await n.stop() }))
}

async function catchup (): Promise<void> {
  log(`\n## Catch-up of ${fmt(CATCHUP)} assets (${TRIPLES} triples each, 2 blank nodes) by a fresh node (child processes, R = 2 of 2, CAIRN_WORKERS=${args['catchup-workers']})`)
  const a = await start('catchup-a', { r: 2, syncIntervalMs: 0, profile: true, workers: args['catchup-workers'] })
  const bodies: string[] = []
  for (let i = 0; i < CATCHUP; i += BATCH) {
    const lines: string[] = []
    for (let j = i; j < Math.min(CATCHUP, i + BATCH); j++) lines.push(toNQuads(generateAsset(SEED + 1, j, TRIPLES), `https://bench.example.org/graph/${j}`))
    bodies.push(lines.join(''))
  }
  let t = performance.now()
  let created = 0
  let nextBody = 0
  await Promise.all([0, 1].map(async () => {
    while (nextBody < bodies.length) {
      const results = await post(a, bodies[nextBody++], 'application/n-quads')
      created += results.filter((r) => r.status === 'created').length
    }
  }))
  const insertMs = performance.now() - t
  log(`loaded node A: ${fmt(created)} assets in ${fmt(insertMs / 1000, 1)} s (${fmt(created / (insertMs / 1000))} assets/s through POST /assets, ${BATCH} graphs/request)`)
  if (created !== CATCHUP) throw new Error(`expected ${CATCHUP} new assets, got ${created}`)

  t = performance.now()
  const b = await start('catchup-b', { bootstrap: [a.addr], r: 2, syncIntervalMs: 0, profile: true, workers: args['catchup-workers'] })
  const listening = performance.now()
  // A round with no peer connected has nothing to read (and says complete): wait for the bootstrap connection,
  // whose connect-time round is the catch-up. POST /sync then waits for that round and runs one more.
  await waitFor('B to connect to A', async () => (await (await fetch(`${b.url}/peers`)).json() as { peers: PeerView[] }).peers.some((p) => p.id === a.peerId && p.connected), 60_000, 20)
  const connected = performance.now()
  const cpu0 = [cpuSeconds(a), cpuSeconds(b)]
  const res = await fetch(`${b.url}/sync`, { method: 'POST', headers: { authorization: `Bearer ${token(b)}` }, signal: AbortSignal.timeout(600_000) })
  const report = await res.json() as SyncReport
  const done = performance.now()
  const cpu = [cpuSeconds(a) - cpu0[0], cpuSeconds(b) - cpu0[1]]
  const stats = (await (await fetch(`${b.url}/peers`)).json() as { peers: PeerView[] }).peers
  const held = (await (await fetch(`${b.url}/assets?limit=1`)).json() as { items: unknown[] }).items.length
  log(`node B: started in ${fmt((listening - t) / 1000, 1)} s, connected to A ${fmt((connected - listening) / 1000, 1)} s later; sync complete: ${String(report.complete)}, synced ${fmt(report.synced)} versions, missing ${report.missing.length}, peers ${stats.length}${held === 0 ? ' (B holds nothing!)' : ''}`)
  log(`catch-up: ${fmt((done - t) / 1000, 1)} s from spawn (${fmt(report.synced / ((done - t) / 1000))} assets/s), ${fmt((done - listening) / 1000, 1)} s from "listening on" (${fmt(report.synced / ((done - listening) / 1000))} assets/s)`)
  log(`CPU used from connection to the end of the round: A (serving) ${fmt(cpu[0], 1)} s, B (verifying, storing) ${fmt(cpu[1], 1)} s = ${fmt((cpu[1] * 1000) / report.synced, 2)} ms of B's CPU per asset`)
  if (!report.complete || report.synced !== CATCHUP) log(`WARNING: expected a complete report with ${CATCHUP} versions synced: ${JSON.stringify({ ...report, missing: report.missing.slice(0, 3) })}`)
  await Promise.all([a.stop(), b.stop()])
}

try {
  log(`# Cairn replication benchmark — ${new Date().toISOString()}; Node ${process.version}; ${availableParallelism()} CPUs; load average at start ${loadavg().map((x) => x.toFixed(1)).join(' ')}`)
  if (PARTS.has('latency')) await latency()
  if (PARTS.has('catchup')) await catchup()
  log(`\nload average at end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`)
} finally {
  await Promise.all(children.map(async (n) => { if (n.process.exitCode === null && n.process.signalCode === null) await n.kill() }))
  rmSync(dir, { recursive: true, force: true })
}
