/**
 * SPARQL benchmark: `npm run bench:sparql` (= `npm run build && tsx bench/sparql.ts`). Ends by itself (a watchdog
 * kills everything past 20 min); everything binds 127.0.0.1. docs/performance.md#sparql has the figures.
 *
 * 1. Generates `--assets` × `--triples` seeded schema.org-like quads (bench/sparql-data.ts) straight into a Cairn
 *    SQLite store in a temporary data dir — canonical lines, real leaf hashes, roots, signatures and ledger
 *    anchors, `store.insertVersion` in group transactions (faster than publishing: RDFC-1.0 and the HTTP/worker
 *    pipeline are skipped) — and exports the dataset a replica builds as N-Quads (versions.nq, full.nq).
 * 2. Start-up and memory: a real node (createCairnNode from dist/, port 0) in a child process on that data dir,
 *    once per `--replicas` value: time until `sparql.whenReady()` and until every replica is loaded, each
 *    replica's own build time, process RSS at ready and 10 s later (bench/sparql-node.ts).
 * 3. Reference: plain oxigraph-js in another child process (bench/sparql-oxigraph.ts) — versions.nq (the same
 *    quads as the node's version graphs) in one `new Store().load(text)` call and in batches, then full.nq
 *    (everything a replica holds) in batches.
 * 4. Virtuoso when `virtuoso-t` is installed, else "virtuoso: not installed" (bench/sparql-virtuoso.ts): the same
 *    full.nq bulk-loaded into a throw-away instance, stopped at the end.
 * 5. The query mix (bench/sparql-queries.ts), JSON results, sequential requests over one keep-alive connection
 *    per target, `--warmup` rounds then up to `--runs` per query (fewer if the query's `--budget-s` runs out,
 *    never fewer than 5); run k goes to every target in turn:
 *      in-process    store.query() in the reference process (includes oxigraph's JSON serialization);
 *      minimal HTTP  a bare node:http server around that same store (the price of HTTP alone);
 *      Cairn         GET /sparql on the node with `--query-replicas` replicas, plus the engine call and the
 *                    server-side time measured inside the node;
 *      Virtuoso      its /sparql, default-graph-uri=<urn:cairn:default> (except for queries using GRAPH).
 * Results: markdown tables on stdout, raw figures in JSON (`--json <file>`).
 *
 * Options: --assets 10000 --triples 100 --seed 42 --group 500 --runs 50 --warmup 3 --budget-s 6
 *          --replicas 1,2 --query-replicas 2 --virtuoso auto|off --keep (leave the temp dir) --data <dir> (generate
 *          into <dir> and keep it, or reuse it if it holds a dataset) --data-only (stop after generating) --json <file>
 *          --from dist|src (the node runs the compiled build — `npm run build`, as in production — or the sources)
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import os, { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.js'
import { DATA_FILES, prepareDataDir } from '../src/data-dir.js'
import { keysReady } from '../src/asset/index.js'
import { proofReady } from '../src/proof/index.js'
import { createAssetStore } from '../src/store/index.js'
import { DATASET_ARGS, exportDataset, generateIntoStore } from './sparql-data.js'
import type { ExportResult, GenerateResult } from './sparql-data.js'
import { queryMix } from './sparql-queries.js'
import type { MixQuery } from './sparql-queries.js'
import { DEFAULT_GRAPH, Virtuoso, rssOf, virtuosoInstalled, virtuosoVersion } from './sparql-virtuoso.js'

const { values: args } = parseArgs({
  options: {
    ...DATASET_ARGS,
    runs: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    'budget-s': { type: 'string', default: '6' },
    replicas: { type: 'string', default: '1,2' },
    'query-replicas': { type: 'string', default: '2' },
    virtuoso: { type: 'string', default: 'auto' },
    keep: { type: 'boolean', default: false },
    'data-only': { type: 'boolean', default: false },
    data: { type: 'string' },
    json: { type: 'string' },
    from: { type: 'string', default: 'dist' }
  }
})
const ASSETS = Number(args.assets)
const TRIPLES = Number(args.triples)
const SEED = Number(args.seed)
const GROUP = Number(args.group)
const RUNS = Number(args.runs)
const WARMUP = Number(args.warmup)
const BUDGET_MS = Number(args['budget-s']) * 1000
const REPLICAS = args.replicas.split(',').map(Number)
const QUERY_REPLICAS = Number(args['query-replicas'])
const NETWORK = 'local'
const FROM = args.from === 'src' ? 'src' : 'dist'
const HERE = dirname(fileURLToPath(import.meta.url))
/** The whole run must end by itself: past this, children are killed and the bench fails. */
const WATCHDOG_MS = 20 * 60_000

const log = (s: string): void => { process.stdout.write(s + '\n') }
const f = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const ms2 = (n: number): string => n < 10 ? f(n, 2) : n < 100 ? f(n, 1) : f(n, 0)
const children: ChildProcess[] = []
let virtuoso: Virtuoso | undefined

// ---------------------------------------------------------------------------------------------------------------
// Child processes speaking JSON lines

interface Child { proc: ChildProcess, next: (event: string, timeoutMs: number) => Promise<Record<string, unknown>> }

function startChild (script: string, argv: string[]): Child {
  // `node --import tsx` rather than the tsx CLI, which runs the script in a grandchild: the pid must be the one
  // whose RSS we read.
  const proc = spawn(process.execPath, ['--import', 'tsx', join(HERE, script), ...argv], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } })
  children.push(proc)
  const queue: Array<Record<string, unknown>> = []
  const waiters: Array<() => void> = []
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      queue.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      process.stderr.write(`[${script}] ${line}\n`)
      return
    }
    waiters.splice(0).forEach((w) => { w() })
  })
  proc.once('exit', () => { waiters.splice(0).forEach((w) => { w() }) })
  const next = async (event: string, timeoutMs: number): Promise<Record<string, unknown>> => {
    const until = Date.now() + timeoutMs
    for (;;) {
      const i = queue.findIndex((m) => m.event === event)
      if (i !== -1) return queue.splice(i, 1)[0]
      if (proc.exitCode !== null) throw new Error(`${script} exited (${proc.exitCode}) before '${event}'`)
      if (Date.now() > until) throw new Error(`${script}: no '${event}' within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(1000, until - Date.now()))
        waiters.push(() => { clearTimeout(timer); resolve() })
      })
    }
  }
  return { proc, next }
}

async function stopChild (c: Child): Promise<void> {
  if (c.proc.exitCode !== null) return
  const exited = new Promise((resolve) => c.proc.once('exit', resolve))
  c.proc.stdin?.end()
  const timer = setTimeout(() => { c.proc.kill('SIGKILL') }, 30_000)
  await exited
  clearTimeout(timer)
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP client: one keep-alive connection, sequential requests

const agent = new Agent({ keepAlive: true, maxSockets: 1 })

async function httpGet (url: string, headers: Record<string, string>): Promise<{ status: number, body: string, ms: number, headers: Record<string, unknown> }> {
  const t0 = performance.now()
  return await new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0, headers: res.headers }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

async function httpPost (url: string, body: string): Promise<string> {
  return await new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => { resolve(Buffer.concat(chunks).toString('utf8')) })
    })
    req.on('error', reject)
    req.end(body)
  })
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

interface Series { ms: number[], rows: number }
interface Stat { n: number, min: number, median: number, p95: number, mean: number, rows: number }

function stat (s: Series): Stat {
  const xs = [...s.ms].sort((a, b) => a - b)
  const q = (p: number): number => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))]
  return { n: xs.length, min: xs[0], median: q(0.5), p95: q(0.95), mean: xs.reduce((a, b) => a + b, 0) / xs.length, rows: s.rows }
}

const rowsOf = (body: string): number => (JSON.parse(body) as { results?: { bindings: unknown[] } }).results?.bindings.length ?? -1

// ---------------------------------------------------------------------------------------------------------------

function machine (): Record<string, string> {
  const pkg = (name: string): string => (JSON.parse(readFileSync(join(HERE, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
  let commit = 'unknown'
  try { commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: HERE, encoding: 'utf8' }).trim() } catch {}
  return {
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    memory: `${f(totalmem() / 2 ** 30, 0)} GiB`,
    node: process.version,
    oxigraph: pkg('oxigraph'),
    'better-sqlite3': pkg('better-sqlite3'),
    commit
  }
}

async function main (): Promise<void> {
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench:sparql: still running after ${WATCHDOG_MS / 60000} min; giving up\n`)
    void cleanup(true).finally(() => process.exit(2))
  }, WATCHDOG_MS)
  watchdog.unref()
  const info = machine()
  const virtuosoBin = args.virtuoso === 'off' ? undefined : virtuosoInstalled()
  const vVersion = virtuosoBin === undefined ? undefined : virtuosoVersion()
  log(`# bench:sparql — ${ASSETS} assets × ${TRIPLES} triples (seed ${SEED})`)
  log(Object.entries(info).map(([k, v]) => `${k}: ${v}`).join(' · ') + ` · virtuoso: ${vVersion ?? 'not installed'}`)

  // 1. Data ---------------------------------------------------------------------------------------------------
  const reuse = args.data !== undefined && existsSync(join(args.data, 'meta.json'))
  const tmp = args.data ?? mkdtempSync(join(tmpdir(), 'cairn-bench-sparql-'))
  const keep = args.keep || args.data !== undefined
  const dataDir = join(tmp, 'node')
  const files = { versions: join(tmp, 'versions.nq'), full: join(tmp, 'full.nq') }
  let gen: GenerateResult | undefined
  let exp: ExportResult
  let graphs: string[]
  await Promise.all([proofReady(), keysReady()])
  if (reuse) {
    ({ exp, graphs } = JSON.parse(readFileSync(join(tmp, 'meta.json'), 'utf8')) as { exp: ExportResult, graphs: string[] })
    log(`reusing ${tmp}`)
  } else {
    const { nodeSigner } = prepareDataDir(loadConfig({ dataDir, port: 0, logLevel: 'silent' }, {}), {})
    const store = createAssetStore({ path: join(dataDir, DATA_FILES.store) })
    store.start()
    gen = await generateIntoStore(store, {
      seed: SEED, assets: ASSETS, triples: TRIPLES, group: GROUP, network: NETWORK, nodeSigner,
      onProgress: (n) => { if (n % 2000 === 0) process.stdout.write(`  generated ${n} assets\r`) }
    })
    log(`generated ${f(gen.quads)} quads in ${f(ASSETS)} assets in ${f(gen.ms.total / 1000, 1)} s ` +
      `(lines ${f(gen.ms.lines / 1000, 1)} s, hashes ${f(gen.ms.hash / 1000, 1)} s, signatures ${f(gen.ms.sign / 1000, 1)} s, ` +
      `insertVersion + anchor in groups of ${GROUP}: ${f(gen.ms.insert / 1000, 1)} s)`)
    exp = exportDataset(store, files)
    graphs = store.listVersionsSince(0, store.lastVersionId()).map((v) => v.versionIri)
    store.stop()
    writeFileSync(join(tmp, 'meta.json'), JSON.stringify({ exp, graphs }))
    log(`exported N-Quads in ${f(exp.ms / 1000, 1)} s: versions.nq ${f(exp.versionQuads)} quads; full.nq ${f(exp.fullQuads)} ` +
      `(+ default-graph copy ${f(exp.defaultQuads)}, provenance ${f(exp.provenanceQuads)} lines)`)
  }
  const mix = queryMix(SEED, ASSETS, (i) => graphs[i])
  if (args['data-only']) {
    log(`data in ${tmp}`)
    return
  }

  // 2. Cairn start-up and memory --------------------------------------------------------------------------------
  const startups: Array<Record<string, unknown>> = []
  let cairn: { child: Child, url: string } | undefined
  for (const replicas of [...REPLICAS].sort((a, b) => (a === QUERY_REPLICAS ? 1 : 0) - (b === QUERY_REPLICAS ? 1 : 0))) {
    const child = startChild('sparql-node.ts', [dataDir, String(replicas), FROM])
    const ready = await child.next('ready', 10 * 60_000)
    const mem = rssOf(child.proc.pid as number)
    // The replicas' JS heaps still hold the garbage of loading; V8 returns it within seconds.
    await new Promise((resolve) => setTimeout(resolve, 10_000))
    const settled = rssOf(child.proc.pid as number)
    const s = { replicas, readyMs: ready.readyMs, allReadyMs: ready.allReadyMs, cpuMs: ready.cpuMs, replicaLoads: ready.replicaLoads, quads: ready.quads, rssMiB: mem.rss, settledRssMiB: settled.rss, peakRssMiB: settled.hwm }
    startups.push(s)
    log(`cairn, ${replicas} replica(s): first ready ${f(Number(ready.readyMs) / 1000, 1)} s, all ready ${f(Number(ready.allReadyMs) / 1000, 1)} s ` +
      `(replica loads: ${(ready.replicaLoads as Array<{ ms: number }>).map((r) => f(r.ms / 1000, 1) + ' s').join(', ')}; ` +
      `${(ready.quads as number[]).map((q) => f(q)).join(', ')} quads); RSS ${f(mem.rss)} MiB at ready, ${f(settled.rss)} MiB 10 s later, peak ${f(settled.hwm)} MiB`)
    if (replicas === QUERY_REPLICAS) cairn = { child, url: String(ready.url) }
    else await stopChild(child)
  }
  if (cairn === undefined) {
    const child = startChild('sparql-node.ts', [dataDir, String(QUERY_REPLICAS), FROM])
    const ready = await child.next('ready', 10 * 60_000)
    cairn = { child, url: String(ready.url) }
  }
  const cairnNode = cairn

  // 3. oxigraph reference -------------------------------------------------------------------------------------
  const ref = startChild('sparql-oxigraph.ts', [files.versions, files.full])
  const loads: Array<Record<string, unknown>> = []
  for (let i = 0; i < 3; i++) {
    const l = await ref.next('loaded', 10 * 60_000)
    loads.push(l)
    log(`oxigraph load of ${String(l.which)}.nq (${String(l.how)}): ${f(Number(l.ms) / 1000, 1)} s (CPU ${f(Number(l.cpuMs) / 1000, 1)} s) for ${f(Number(l.quads))} quads; RSS ${f(Number(l.rssMiB))} MiB`)
  }
  const [loadVSingle, loadVBatched, loadF] = loads
  const refUrl = String((await ref.next('listening', 60_000)).url)

  // 4. Virtuoso -----------------------------------------------------------------------------------------------
  let vLoad: Record<string, unknown> | undefined
  if (virtuosoBin === undefined) {
    log('virtuoso: not installed')
  } else {
    virtuoso = new Virtuoso(join(tmp, 'virtuoso'))
    const startMs = await virtuoso.start()
    const loaded = await virtuoso.bulkLoad(files.full)
    if (loaded.errors !== '') throw new Error(`virtuoso load errors:\n${loaded.errors}`)
    vLoad = { startMs, ...loaded, quads: virtuoso.quadCount(), rssMiB: virtuoso.rssMiB() }
    log(`virtuoso ${vVersion}: started in ${f(startMs / 1000, 1)} s; bulk load of full.nq (${f(exp.fullQuads)} lines, ${loaded.loaders} loaders` +
      `${loaded.retried > 0 ? `, ${loaded.retried} part(s) reloaded after deadlocks` : ''}) ${f(loaded.ms / 1000, 1)} s (+ split ${f(loaded.splitMs / 1000, 1)} s); ` +
      `${f(Number(vLoad.quads))} quads incl. system graphs; RSS ${f(Number(vLoad.rssMiB))} MiB`)
  }

  // 5. Query mix, interleaved: run k of a query goes to every target in turn, so that whatever else the machine
  //    is doing at that moment weighs on all of them alike. ------------------------------------------------------
  const JSON_ACCEPT = { accept: 'application/sparql-results+json' }
  interface Target { name: string, run: (text: string, first: boolean) => Promise<{ ms: number, rows: number }> }
  const viaHttp = (url: (text: string) => string, check?: (h: Record<string, unknown>) => void) => async (text: string, first: boolean): Promise<{ ms: number, rows: number }> => {
    const r = await httpGet(url(text), JSON_ACCEPT)
    if (r.status !== 200) throw new Error(`HTTP ${r.status} from ${url('').slice(0, 60)}: ${r.body.slice(0, 500)}`)
    if (first) check?.(r.headers)
    return { ms: r.ms, rows: first ? rowsOf(r.body) : -1 }
  }
  const targets: Target[] = [
    { name: 'inprocess', run: async (text, first) => JSON.parse(await httpPost(`${refUrl}/inprocess`, JSON.stringify({ text, rows: first }))) as { ms: number, rows: number } },
    { name: 'minimal', run: viaHttp((t) => `${refUrl}/sparql?query=${encodeURIComponent(t)}`) },
    {
      name: 'cairn',
      run: viaHttp((t) => `${cairnNode.url}/sparql?query=${encodeURIComponent(t)}`, (h) => {
        if (h['cairn-truncated'] === 'true') throw new Error('a query of the mix was truncated by Cairn\'s caps')
      })
    }
  ]
  if (virtuoso !== undefined) {
    const vUrl = virtuoso.url
    // Virtuoso's default graph would be the union of all graphs; `default-graph-uri` makes it Cairn's copy, but
    // then Virtuoso also hides named graphs from GRAPH <iri> (not from GRAPH ?g), so queries with GRAPH go without.
    const dataset = (t: string): string => /\bGRAPH\b/.test(t) ? '' : `&default-graph-uri=${encodeURIComponent(DEFAULT_GRAPH)}`
    targets.push({ name: 'virtuoso', run: viaHttp((t) => `${vUrl}/sparql?query=${encodeURIComponent(t)}${dataset(t)}`) })
  }
  const results: Record<string, Record<string, Stat>> = {}
  const cairnStats = async (): Promise<{ serverMs: number[], engineMs: number[] }> => {
    cairnNode.child.proc.stdin?.write('stats\n')
    return await cairnNode.child.next('stats', 30_000) as unknown as { serverMs: number[], engineMs: number[] }
  }
  const loadavg: Record<string, number[]> = { before: os.loadavg() }
  for (const q of mix) {
    // Warm-up rounds: `--warmup`, but no more than a fifth of the query's budget after the first.
    const warmStart = performance.now()
    for (let k = 0; k < WARMUP && (k === 0 || performance.now() - warmStart < BUDGET_MS / 5); k++) {
      for (const t of targets) await t.run(q.text(1000 + k), false)
    }
    const series: Record<string, Series> = Object.fromEntries(targets.map((t) => [t.name, { ms: [], rows: -1 }]))
    await cairnStats()
    const started = performance.now()
    for (let k = 0; k < RUNS; k++) {
      for (const t of targets) {
        const r = await t.run(q.text(k), k === 0)
        series[t.name].ms.push(r.ms)
        if (k === 0) series[t.name].rows = r.rows
      }
      if (performance.now() - started > BUDGET_MS && k + 1 >= 5) break
    }
    const inside = await cairnStats()
    series['cairn server'] = { ms: inside.serverMs, rows: -1 }
    series['cairn engine'] = { ms: inside.engineMs, rows: -1 }
    results[q.name] = Object.fromEntries(Object.entries(series).map(([name, sr]) => [name, stat(sr)]))
    const r = results[q.name]
    log(`  ${q.name.padEnd(16)} rows ${String(r.cairn.rows).padStart(5)}  ` + targets.map((t) => `${t.name} ${ms2(r[t.name].median)}`).join('  ') + ` ms (median, n=${r.cairn.n})`)
  }
  loadavg.after = os.loadavg()
  const refMem = rssOf(ref.proc.pid as number)
  const cairnMem = rssOf(cairnNode.child.proc.pid as number)
  await stopChild(ref)
  await virtuoso?.stop()
  await stopChild(cairnNode.child)

  // 6. Report -------------------------------------------------------------------------------------------------
  const sec = (ms: unknown): string => `${f(Number(ms) / 1000, 1)} s`
  log('')
  log(`## Start-up and memory (${f(exp.versionQuads)} quads in ${f(ASSETS)} assets)`)
  log('')
  log('| | wall | CPU | quads held | RSS (at ready · 10 s later) | peak RSS |')
  log('|---|---|---|---|---|---|')
  log(`| oxigraph, one \`store.load(text)\` of versions.nq (fresh process) | ${sec(loadVSingle.ms)} | ${sec(loadVSingle.cpuMs)} | ${f(Number(loadVSingle.quads))} | ${f(Number(loadVSingle.rssMiB))} MiB | |`)
  log(`| oxigraph, versions.nq in 50k-line \`no_transaction\`+\`lenient\` batches | ${sec(loadVBatched.ms)} | ${sec(loadVBatched.cpuMs)} | ${f(Number(loadVBatched.quads))} | | |`)
  log(`| oxigraph, full.nq (what a replica holds) in batches | ${sec(loadF.ms)} | ${sec(loadF.cpuMs)} | ${f(Number(loadF.quads))} | | ${f(refMem.hwm)} MiB |`)
  for (const s of startups) {
    const each = (s.replicaLoads as Array<{ ms: number, loadMs: number }>).map((r) => `${sec(r.ms)}, ${sec(r.loadMs)} of it in oxigraph`).join(' / ')
    log(`| Cairn node, ${String(s.replicas)} replica(s): first ready · all ready (each replica's own load: ${each}) | ${sec(s.readyMs)} · ${sec(s.allReadyMs)} | ${sec(s.cpuMs)} | ${(s.quads as number[]).map((q) => f(q)).join(' + ')} | ${f(Number(s.rssMiB))} · ${f(Number(s.settledRssMiB))} MiB | ${f(Number(s.peakRssMiB))} MiB |`)
  }
  if (vLoad !== undefined) log(`| Virtuoso ${vVersion}, bulk load of full.nq (${String(vLoad.loaders)} loaders + checkpoint) | ${sec(vLoad.ms)} | | ${f(Number(vLoad.quads))} | ${f(Number(vLoad.rssMiB))} MiB | |`)
  log('')
  log(`RSS after the query mix: Cairn (${QUERY_REPLICAS} replicas) ${f(cairnMem.rss)} MiB (peak ${f(cairnMem.hwm)} MiB); oxigraph reference ${f(refMem.rss)} MiB`)
  for (const s of startups) {
    const build = Math.max(...(s.replicaLoads as Array<{ ms: number }>).map((r) => r.ms))
    const single = Number(loadVSingle.ms)
    log(`start-up, ${String(s.replicas)} replica(s): replica build from SQLite / oxigraph's one-call load of the same version graphs = ` +
      `${f(build / single, 2)}× (target ≤ 1.5× ${build / single <= 1.5 ? '✓' : '✗'}); node first ready / that load = ${f(Number(s.readyMs) / single, 2)}×; ` +
      `replica build / oxigraph's batched load = ${f(build / Number(loadVBatched.ms), 2)}×. ` +
      `RSS 10 s after ready ${f(Number(s.settledRssMiB))} MiB (target ≤ 1,536 MiB ${Number(s.settledRssMiB) <= 1536 ? '✓' : '✗'})`)
  }
  log('')
  log(`## Query mix (ms, median / p95; sequential requests, one keep-alive connection each, targets interleaved; ${QUERY_REPLICAS} Cairn replica(s))`)
  log('')
  const hasV = vLoad !== undefined
  log(`| query | rows | in-process | minimal HTTP | Cairn /sparql | Cairn − in-process | Cairn / in-process |${hasV ? ' Virtuoso /sparql |' : ''} targets |`)
  log(`|---|---|---|---|---|---|---|${hasV ? '---|' : ''}---|`)
  for (const q of mix) {
    const r = results[q.name]
    const added = r.cairn.median - r.inprocess.median
    const ratio = r.cairn.median / r.inprocess.median
    const latencyOk = r.inprocess.median > 10 ? ratio <= 1.3 : added <= 1
    const rowsNote = Object.entries(r).filter(([name, st]) => !name.startsWith('cairn ') && st.rows !== r.cairn.rows).map(([name, st]) => ` (${name} ${st.rows})`).join('')
    const cell = (st: Stat): string => `${ms2(st.median)} / ${ms2(st.p95)}`
    const checks = [r.inprocess.median > 10 ? `≤ 1.3× ${latencyOk ? '✓' : '✗'}` : `≤ +1 ms ${latencyOk ? '✓' : '✗'}`]
    if (hasV) checks.push(`< Virtuoso ${r.cairn.median < r.virtuoso.median ? '✓' : '✗'}`)
    log(`| ${q.name} | ${r.cairn.rows}${rowsNote} | ${cell(r.inprocess)} | ${cell(r.minimal)} | ${cell(r.cairn)} | ${added >= 0 ? '+' : '−'}${ms2(Math.abs(added))} | ${f(ratio, 2)}× |` +
      `${hasV ? ` ${cell(r.virtuoso)} |` : ''} ${checks.join(', ')} |`)
  }
  log('')
  log('Where Cairn\'s time goes (medians, ms): the engine call (`sparql.query()`: worker hop, query, caps) and the server-side time (request to response written) are measured inside the node.')
  log('')
  log('| query | in-process | engine call | server-side | client-side | worker hop + caps | express + route | HTTP + scheduling | minimal HTTP − in-process | Cairn − in-process, fastest runs |')
  log('|---|---|---|---|---|---|---|---|---|---|')
  for (const q of mix) {
    const r = results[q.name]
    const d = (a: number, b: number): string => `${a - b >= 0 ? '+' : '−'}${ms2(Math.abs(a - b))}`
    const eng = r['cairn engine'].median
    const srv = r['cairn server'].median
    log(`| ${q.name} | ${ms2(r.inprocess.median)} | ${ms2(eng)} | ${ms2(srv)} | ${ms2(r.cairn.median)} | ${d(eng, r.inprocess.median)} | ${d(srv, eng)} | ${d(r.cairn.median, srv)} | ${d(r.minimal.median, r.inprocess.median)} | ${d(r.cairn.min, r.inprocess.min)} |`)
  }
  log('')
  log(`runs per query (after ${WARMUP} warm-up): ${mix.map((q) => `${q.name} ${results[q.name].cairn.n}`).join(', ')}; ` +
    `load average before / after the mix: ${loadavg.before.map((x) => f(x, 1)).join(' ')} / ${loadavg.after.map((x) => f(x, 1)).join(' ')}`)
  if (args.json !== undefined) {
    writeFileSync(args.json, JSON.stringify({ info, virtuoso: vVersion ?? null, args, gen, exp, startups, oxigraph: { loads, peakRssMiB: refMem.hwm }, virtuosoLoad: vLoad ?? null, cairnMem, loadavg, results }, null, 2))
    log(`raw figures: ${args.json}`)
  }
  clearTimeout(watchdog)
  await cleanup(false)
  if (keep) log(`kept ${tmp}`)
  else rmSync(tmp, { recursive: true, force: true })
}

async function cleanup (force: boolean): Promise<void> {
  try { await virtuoso?.stop() } catch {}
  for (const c of children) {
    if (c.exitCode === null) {
      if (force) c.kill('SIGKILL')
      else c.stdin?.end()
    }
  }
  agent.destroy()
}

main().catch(async (err) => {
  process.stderr.write(`bench:sparql failed: ${(err as Error).stack ?? String(err)}\n`)
  await cleanup(true)
  process.exit(1)
})
