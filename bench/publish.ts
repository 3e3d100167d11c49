/**
 * Publish benchmark: `npm run bench:publish` (= `tsx bench/publish.ts`).
 *
 * Generates N seeded schema.org-like assets (50 triples, 2 blank nodes each) and publishes them into a real node
 * (createCairnNode, temporary data dir, port 0) three ways, each into a fresh node with the worker pool:
 *   - service raw:    AssetService.publishRdf(Turtle), one asset per call, `--concurrency` calls in flight;
 *   - service signed: AssetService.publishSigned([version]) with versions pre-signed by 8 publisher keys, the node
 *                     re-canonicalizing, re-hashing and verifying every signature;
 *   - HTTP batch:     POST /assets with N-Quads bodies of `--batch` graphs (one asset per graph) and the API token,
 *                     `--http-concurrency` requests in flight, sent from a worker thread of this process.
 * For the speed-up, each path also runs with every CPU stage on the main thread (workers = 0) over the first
 * `--compare` assets, against the pool run's time to reach that same count (both start from an empty store).
 * Then it measures the cost of each stage single-threaded on a sample of the same assets.
 *
 * Options: --assets 10000 --triples 50 --concurrency 64 --batch 100 --http-concurrency 8 --compare 3000
 *          --sample 500 --seed 42 --workers <n> (pool size; default one per CPU) --paths raw,signed,http
 *          --group-size <n> (GroupCommitter maxGroupSize; default the service's)
 *          --sparql-replicas <n> (the node's SPARQL mirror, worker threads fed by each commit; default the node's)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { createEmbeddedLedgerAnchor } from '../src/anchor/index.js'
import {
  createPreparePool, keysReady, prepareGraphs, prepareSignedVersion, signerFromSeed, signVersion
} from '../src/asset/index.js'
import type { PreparedGraph, Signer, SignedVersion } from '../src/asset/index.js'
import { GroupCommitter } from '../src/asset/group-committer.js'
import { ConfigSchema, loadConfig } from '../src/config.js'
import { createCairnNode } from '../src/node.js'
import type { CairnNode } from '../src/node.js'
import { claimMessage, leafHash, merkleRoot, proofReady, verifyClaim } from '../src/proof/index.js'
import { canonicalizeGraph, parseLine, parseRdf, skolemizeLine, splitGraphs, versionIri } from '../src/rdf/index.js'
import { createAssetStore } from '../src/store/index.js'
import { signatureVerify } from '@polkadot/util-crypto'
import { generateAsset, toNQuads, toTurtle } from './generate.js'

const { values: args } = parseArgs({
  options: {
    assets: { type: 'string', default: '10000' },
    triples: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '64' },
    batch: { type: 'string', default: '100' },
    'http-concurrency': { type: 'string', default: '8' },
    compare: { type: 'string', default: '3000' },
    sample: { type: 'string', default: '500' },
    seed: { type: 'string', default: '42' },
    workers: { type: 'string' },
    paths: { type: 'string', default: 'raw,signed,http' },
    'group-size': { type: 'string' },
    'sparql-replicas': { type: 'string' }
  }
})
const N = Number(args.assets)
const TRIPLES = Number(args.triples)
const CONCURRENCY = Number(args.concurrency)
const BATCH = Number(args.batch)
const HTTP_CONCURRENCY = Number(args['http-concurrency'])
const SAMPLE = Math.min(Number(args.sample), N)
const SEED = Number(args.seed)
const POOL = args.workers === undefined ? Math.max(1, availableParallelism()) : Number(args.workers)
const COMPARE = Math.min(Number(args.compare), N)
const PATHS = args.paths.split(',') as Array<'raw' | 'signed' | 'http'>
const GROUP_SIZE = args['group-size'] === undefined ? undefined : Number(args['group-size'])
const SPARQL_REPLICAS = args['sparql-replicas'] === undefined ? undefined : Number(args['sparql-replicas'])
const NETWORK = 'local'
const PUBLISHERS = 8

const log = (s: string): void => { process.stdout.write(s + '\n') }
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** Run `fn` over items with at most `limit` calls in flight. */
async function bounded<T> (items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++])
  }))
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs (not timed)

log(`cairn publish benchmark — ${N} assets × ${TRIPLES} triples, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ` +
  `pool ${POOL} workers, SPARQL replicas ${SPARQL_REPLICAS ?? ConfigSchema.parse({}).sparqlReplicas}, load avg ${loadavg().map((l) => fmt(l, 1)).join(' ')}`)
const genStart = performance.now()
await Promise.all([proofReady(), keysReady()])
const generated = Array.from({ length: N }, (_, i) => generateAsset(SEED, i, TRIPLES))
const turtles = generated.map(toTurtle)
const bodies: string[] = []
for (let i = 0; i < N; i += BATCH) {
  bodies.push(generated.slice(i, i + BATCH).map((a) => toNQuads(a, `${a.iri}#graph`)).join(''))
}
const publishers: Signer[] = Array.from({ length: PUBLISHERS }, (_, i) => signerFromSeed(new Uint8Array(32).fill(i + 1), i % 2 === 0 ? 'sr25519' : 'ed25519'))
// Client side of the signed path: graphs prepared here once (in a pool of our own), signed by the publishers' keys
// right before each signed run, so the timestamps stay within the node's allowed clock skew however long runs take.
let clientGraphs: PreparedGraph[] = []
if (PATHS.includes('signed')) {
  const clientPool = createPreparePool({ size: POOL })
  await clientPool.start()
  clientGraphs = new Array<PreparedGraph>(N)
  await bounded(turtles.map((text, i) => ({ text, i })), 2 * POOL + 2, async ({ text, i }) => {
    [clientGraphs[i]] = await clientPool.prepareGraphs({ text, format: 'turtle' }, {})
  })
  await clientPool.stop()
}
function signAll (count: number): SignedVersion[] {
  return clientGraphs.slice(0, count).map((graph, i) => signVersion(graph, { signer: publishers[i % PUBLISHERS], network: NETWORK }))
}
log(`inputs: ${fmt((performance.now() - genStart) / 1000, 1)} s (Turtle ${fmt(turtles[0].length / 1024, 1)} KB/asset, ` +
  `N-Quads bodies of ${BATCH} graphs ${fmt(bodies[0].length / 1024, 0)} KB, ${PUBLISHERS} publisher keys sr25519/ed25519)`)

// ---------------------------------------------------------------------------------------------------------------
// Throughput runs

interface RunResult {
  path: Path
  workers: number
  assets: number
  seconds: number
  rate: number
  /** Seconds until the first COMPARE assets were stored, and the CPU per asset (all threads, main thread) until then. */
  compareSeconds: number
  compareCpuMsPerAsset: number
  compareMainCpuMsPerAsset: number
  /** Main-thread event loop utilization while publishing (1 = saturated). */
  elu: number
  /** Process CPU time (all threads) / wall time. */
  cores: number
  /** Process CPU time per asset, all threads (ms). */
  cpuMsPerAsset: number
  /** Main-thread CPU time per asset (ms): 1000 / this is the most the main thread can do on a free core. */
  mainCpuMsPerAsset: number
  groups: number
  commitUsPerAsset: number
  load: [number, number]
  workerElu: number[]
}
type Path = 'raw' | 'signed' | 'http'

/** CPU seconds of this process's main thread so far (Linux /proc; Node 20 has no per-thread CPU clock). */
function mainThreadCpu (): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return NaN
  }
}

/** Count commit groups and the main-thread time spent in them (the outermost store transactions). */
function instrumentCommits (node: CairnNode): { groups: number, ms: number } {
  const stats = { groups: 0, ms: 0 }
  const store = node.components.store
  const original = store.transaction.bind(store)
  let depth = 0
  store.transaction = <T>(fn: () => T): T => {
    if (depth > 0) return original(fn)
    depth++
    const t0 = performance.now()
    try {
      return original(fn)
    } finally {
      depth--
      stats.ms += performance.now() - t0
      stats.groups++
    }
  }
  return stats
}

/** Publish the first `count` assets along `path` into a fresh node with `workers` prepare workers. */
async function run (path: Path, workers: number, count: number): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-bench-'))
  // A standalone node (no peers to replicate to); everything else as configured by default, SPARQL mirror included,
  // except a clock skew of an hour, so versions signed before a long run on a busy machine still pass.
  const config = loadConfig({ dataDir, port: 0, logLevel: 'silent', workers, p2p: false, timestampSkewSeconds: 3600, ...(SPARQL_REPLICAS === undefined ? {} : { sparqlReplicas: SPARQL_REPLICAS }) }, {})
  const node = await createCairnNode({ config, env: {} })
  if (GROUP_SIZE !== undefined) {
    // The service owns its committer; swap in one with the requested group size (bench-only knob).
    const service = node.components.assets as unknown as { committer: GroupCommitter }
    service.committer = new GroupCommitter(node.components.store, node.components.anchor, GROUP_SIZE)
  }
  const commits = instrumentCommits(node)
  const { assets } = node.components
  let loader: Worker | undefined
  let go: (() => Promise<{ created: number, compareMs: number }>) | undefined
  if (path === 'http') {
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim()
    const worker = new Worker(new URL('./http-load.mjs', import.meta.url), {
      execArgv: [],
      workerData: { url: node.url, token, bodies: bodies.slice(0, Math.ceil(count / BATCH)), contentType: 'application/n-quads', concurrency: HTTP_CONCURRENCY, compare: Math.min(COMPARE, count) }
    })
    loader = worker
    await new Promise((resolve) => worker.once('message', resolve))
    go = async () => await new Promise((resolve, reject) => {
      worker.on('message', (m: { type: 'compare' } | { type: 'done', ok: boolean, created: number, compareMs: number, error?: string }) => {
        if (m.type === 'compare') reachedCompare()
        else if (m.ok) resolve(m)
        else reject(new Error(m.error))
      })
      worker.postMessage('go')
    })
  }
  // Worker event-loop utilization: how busy the prepare workers were (bench-only peek at the pool's threads).
  const poolWorkers = ((node.components.prepare as unknown as { slots: Array<{ worker: Worker }> }).slots ?? []).map((s) => s.worker)
  const workerElu0 = poolWorkers.map((w) => w.performance.eventLoopUtilization())
  const signed = path === 'signed' ? signAll(count) : []
  const load0 = loadavg()[0]
  const main0 = mainThreadCpu()
  const cpu0 = process.cpuUsage()
  const elu0 = performance.eventLoopUtilization()
  const t0 = performance.now()
  let created = 0
  let compareMs = 0
  let atCompare = { cpu: 0, main: 0 }
  function reachedCompare (): void {
    const c = process.cpuUsage(cpu0)
    atCompare = { cpu: (c.user + c.system) / 1e3, main: (mainThreadCpu() - main0) * 1e3 }
  }
  const done = (): void => {
    if (++created === Math.min(COMPARE, count)) {
      compareMs = performance.now() - t0
      reachedCompare()
    }
  }
  if (path === 'raw') {
    await bounded(turtles.slice(0, count), CONCURRENCY, async (text) => {
      const [r] = await assets.publishRdf({ text, format: 'turtle' })
      if (r.status === 'created') done()
    })
  } else if (path === 'signed') {
    await bounded(signed, CONCURRENCY, async (sv) => {
      const [r] = await assets.publishSigned([sv])
      if (r.status === 'created') done()
    })
  } else {
    const out = await go!()
    created = out.created
    compareMs = out.compareMs
  }
  const seconds = (performance.now() - t0) / 1000
  const elu = performance.eventLoopUtilization(elu0).utilization
  const cpu = process.cpuUsage(cpu0)
  const mainCpu = mainThreadCpu() - main0
  const workerElu = poolWorkers.map((w, i) => w.performance.eventLoopUtilization(workerElu0[i]).utilization)
  const load1 = loadavg()[0]
  await loader?.terminate()
  const stats = node.components.store.stats()
  if (created !== count || stats.assets !== count || stats.quads !== count * TRIPLES) {
    throw new Error(`${path}/workers=${workers}: expected ${count} new assets with ${count * TRIPLES} quads; got ${created} created, store ${JSON.stringify(stats)}`)
  }
  // Spot-check what was stored: re-derive roots, leaves, signatures and anchors of a few assets.
  const page = assets.list({ limit: 1000 })
  for (const a of page.items.filter((_, i) => i % 97 === 0)) {
    if (!assets.verify(a.ual).ok) throw new Error(`${path}/workers=${workers}: ${a.ual} does not verify`)
  }
  await node.stop()
  rmSync(dataDir, { recursive: true, force: true })
  return {
    path,
    workers,
    assets: count,
    seconds,
    rate: count / seconds,
    compareSeconds: compareMs / 1000,
    compareCpuMsPerAsset: atCompare.cpu / Math.min(COMPARE, count),
    compareMainCpuMsPerAsset: atCompare.main / Math.min(COMPARE, count),
    elu,
    cores: (cpu.user + cpu.system) / 1e6 / seconds,
    cpuMsPerAsset: (cpu.user + cpu.system) / 1e3 / count,
    mainCpuMsPerAsset: mainCpu * 1e3 / count,
    groups: commits.groups,
    commitUsPerAsset: commits.ms * 1000 / count,
    load: [load0, load1],
    workerElu
  }
}

const PATH_LABEL: Record<Path, string> = {
  raw: 'service publishRdf (Turtle; node signs)',
  signed: 'service publishSigned (sigs verified)',
  http: `HTTP POST /assets (N-Quads, ${BATCH}/req)`
}
function describeRun (r: RunResult): string {
  return `${PATH_LABEL[r.path].padEnd(40)} workers=${r.workers} ${fmt(r.assets).padStart(6)} assets ${fmt(r.rate).padStart(6)} assets/s ` +
    `(${fmt(r.seconds, 1)} s; main thread busy ${fmt(r.elu * 100)} %${r.workerElu.length === 0 ? '' : `, workers busy ${r.workerElu.map((u) => fmt(u * 100)).join('/')} %`}, CPU ${fmt(r.cores, 2)} cores, CPU/asset ${fmt(r.cpuMsPerAsset, 2)} ms of which main thread ${fmt(r.mainCpuMsPerAsset, 2)} ms, ${r.groups} commits of ${fmt(r.assets / r.groups, 1)}, ` +
    `${fmt(r.commitUsPerAsset)} µs/asset in commits; load avg ${fmt(r.load[0], 1)}→${fmt(r.load[1], 1)})`
}

const pooled: RunResult[] = []
const inline: RunResult[] = []
for (const path of PATHS) {
  // workers = 0 first, so its run and the first COMPARE assets of the pool run are adjacent in time (a shared
  // machine's load drifts over minutes).
  if (COMPARE > 0) {
    const i = await run(path, 0, COMPARE)
    inline.push(i)
    log(describeRun(i))
  }
  const p = await run(path, POOL, N)
  pooled.push(p)
  log(describeRun(p))
}

// ---------------------------------------------------------------------------------------------------------------
// Stage costs, single thread, on a sample of the same assets (no node running)

interface Stage { name: string, us: number, note?: string }

async function time (count: number, fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(20, count); i++) await fn(i)
  const t0 = performance.now()
  for (let i = 0; i < count; i++) await fn(i)
  return (performance.now() - t0) * 1000 / count
}

const stages: Stage[] = []
const sampleTurtle = turtles.slice(0, SAMPLE)
const parsed = await Promise.all(sampleTurtle.map(async (text) => await parseRdf(text, { format: 'turtle' })))
stages.push({ name: 'parse Turtle (n3)', us: await time(SAMPLE, async (i) => await parseRdf(sampleTurtle[i], { format: 'turtle' })) })
const sampleBodies = bodies.slice(0, Math.max(1, Math.floor(SAMPLE / BATCH)))
stages.push({
  name: `parse N-Quads + split graphs (${BATCH}-graph body, per asset)`,
  us: await time(sampleBodies.length, async (i) => splitGraphs(await parseRdf(sampleBodies[i], { format: 'nquads' }))) / BATCH
})
const lines = await Promise.all(parsed.map(async (q) => await canonicalizeGraph(q)))
stages.push({ name: 'canonicalize RDFC-1.0 (rdf-canonize)', us: await time(SAMPLE, async (i) => await canonicalizeGraph(parsed[i])) })
stages.push({ name: `merkle: ${TRIPLES} leaves + root, keccak-256 (WASM)`, us: await time(SAMPLE, (i) => merkleRoot(lines[i].map(leafHash))) })
const graphs = await Promise.all(sampleTurtle.map(async (text) => (await prepareGraphs({ text, format: 'turtle' }))[0]))
const nodeKey = publishers[0]
stages.push({ name: 'sign claim, sr25519 (wasm-crypto)', us: await time(SAMPLE, (i) => signVersion(graphs[i], { signer: nodeKey, network: NETWORK })) })
const sampleSigned = graphs.map((g, i) => signVersion(g, { signer: publishers[i % PUBLISHERS], network: NETWORK }))
const srSigned = sampleSigned.filter((_, i) => i % 2 === 0)
const edSigned = sampleSigned.filter((_, i) => i % 2 === 1)
const verify = (sv: SignedVersion): boolean => verifyClaim(sv, sv.signature, sv.publisher)
stages.push({ name: 'verify claim, sr25519 (wasm-crypto, verifySigned)', us: await time(srSigned.length, (i) => verify(srSigned[i])) })
stages.push({ name: 'verify claim, ed25519 (wasm-crypto, verifySigned)', us: await time(edSigned.length, (i) => verify(edSigned[i])) })
const oldCount = Math.min(100, srSigned.length)
stages.push({
  name: 'verify claim, sr25519, util-crypto signatureVerify (before)',
  us: await time(oldCount, (i) => signatureVerify(claimMessage(srSigned[i]), srSigned[i].signature, srSigned[i].publisher).isValid),
  note: `${oldCount} samples`
})
stages.push({ name: 'prepareSignedVersion total (re-parse, canonicalize, merkle, verify)', us: await time(SAMPLE, async (i) => await prepareSignedVersion(sampleSigned[i], {})) })
stages.push({
  name: 'skolemize + parse lines for the store (main thread)',
  us: await time(SAMPLE, (i) => { const v = versionIri(sampleSigned[i].ual, 1); return lines[i].map((l) => parseLine(skolemizeLine(l, v))) })
})

async function commitCost (group: number, count: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-store-'))
  const store = createAssetStore({ path: join(dir, 'cairn.sqlite') })
  await store.start()
  const anchor = createEmbeddedLedgerAnchor({}, { store, signer: nodeKey })
  const committer = new GroupCommitter(store, anchor, group)
  const rows = sampleSigned.slice(0, count).map((sv, i) => {
    const v = versionIri(sv.ual, 1)
    const [network, publisher, assetId] = sv.ual.slice('did:cairn:'.length).split('/')
    return {
      ual: sv.ual, network, publisher, assetId, version: 1, root: sv.root, previousRoot: null, signature: sv.signature,
      timestamp: sv.timestamp, sourceName: null, leafHashes: graphs[i].leafHashes, quads: graphs[i].lines.map((l) => parseLine(skolemizeLine(l, v)))
    }
  })
  const t0 = performance.now()
  for (let i = 0; i < rows.length; i += group) {
    // No SPARQL mirror follows this committer (the stage times the store alone), so no lines are handed on.
    await Promise.all(rows.slice(i, i + group).map(async (row) => await committer.commit(() => [{ record: store.insertVersion(row), status: 'created' as const, lines: [] }])))
  }
  const us = (performance.now() - t0) * 1000 / rows.length
  store.stop()
  rmSync(dir, { recursive: true, force: true })
  return us
}
stages.push({ name: 'SQLite insert + anchor, 1 asset per commit', us: await commitCost(1, Math.min(SAMPLE, 300)), note: 'fresh store' })
stages.push({ name: `SQLite insert + anchor, ${Math.min(100, SAMPLE)} assets per commit`, us: await commitCost(Math.min(100, SAMPLE), SAMPLE), note: 'fresh store' })

log('')
log(`stage costs, single thread, mean over ${SAMPLE} assets after warm-up (µs per asset):`)
for (const s of stages) log(`  ${s.name.padEnd(72)} ${fmt(s.us).padStart(6)}${s.note === undefined ? '' : `  (${s.note})`}`)

// ---------------------------------------------------------------------------------------------------------------
// Summary tables (markdown, for docs/performance.md)

log('')
log(`| path | assets/s, ${N} assets, ${POOL} workers | main thread busy | CPU used (cores) | CPU / asset, all threads | main-thread CPU / asset | commits (assets each) |`)
log('|---|---|---|---|---|---|---|')
for (const r of pooled) {
  log(`| ${PATH_LABEL[r.path]} | **${fmt(r.rate)}** (${fmt(r.seconds, 1)} s) | ${fmt(r.elu * 100)} % | ${fmt(r.cores, 2)} | ${fmt(r.cpuMsPerAsset, 2)} ms | ${fmt(r.mainCpuMsPerAsset, 2)} ms | ${r.groups} (${fmt(r.assets / r.groups, 1)}) |`)
}
if (inline.length > 0) {
  log('')
  log(`| path (first ${COMPARE} assets, empty store) | workers = 0 | ${POOL} workers | speed-up | main-thread CPU / asset, 0 → ${POOL} workers | CPU / asset, all threads, 0 → ${POOL} workers |`)
  log('|---|---|---|---|---|---|')
  for (const i of inline) {
    const p = pooled.find((r) => r.path === i.path)!
    const poolRate = COMPARE / p.compareSeconds
    log(`| ${PATH_LABEL[i.path]} | ${fmt(i.rate)} assets/s | ${fmt(poolRate)} assets/s | ${fmt(poolRate / i.rate, 2)}× | ${fmt(i.mainCpuMsPerAsset, 2)} → ${fmt(p.compareMainCpuMsPerAsset, 2)} ms | ${fmt(i.cpuMsPerAsset, 2)} → ${fmt(p.compareCpuMsPerAsset, 2)} ms |`)
  }
}
log('')
log(`total ${fmt((performance.now() - genStart) / 1000, 0)} s`)
