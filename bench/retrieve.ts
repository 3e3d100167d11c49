/**
 * Retrieval benchmark: `npm run bench:retrieve` (= `tsx bench/retrieve.ts`). Ends by itself; everything binds 127.0.0.1.
 *
 * 1. Generates `--assets` × `--triples` seeded schema.org-like quads (bench/sparql-data.ts: canonical lines, real
 *    leaf hashes, roots, sr25519 signatures and embedded-ledger anchors, `store.insertVersion` in group
 *    transactions) into a temporary data dir — or reuses one (`--data <dir>`, left by `--keep`).
 * 2. Starts a real node on it in a child process (createCairnNode, p2p off, one SPARQL replica) and waits until
 *    the SPARQL replica has loaded, so the measurements do not share the CPU with that load.
 * 3. Sends a bounded, seeded set of questions — "What do we know about <name>?", "Who does <name> know?",
 *    "Where is <name> located?" (hops 2) and entity-only requests — as `POST /retrieve` with proofs (the default
 *    budget, 20 facts), sequentially over one keep-alive connection: `--warmup` then `--runs` requests. Reports
 *    p50/p95/mean per kind and overall, facts per answer, and checks every answer found its entity.
 * 4. Verifies every citation of the answers with `verifyCitation` (src/proof, in this process): time per
 *    citation (p50/p95/mean), also split into the first citation of each version (which pays the signature checks)
 *    and the later ones (whose signatures the verifier remembers), and the count that verified (must be all).
 * The load average of the machine is printed before and after: on a shared machine, read the figures with it.
 *
 * Options: --assets 10000 --triples 100 --seed 42 --group 500 --runs 300 --warmup 30 --keep --data <dir> --json <file>
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { keysReady } from '../src/asset/index.js'
import { loadConfig } from '../src/config.js'
import { DATA_FILES, prepareDataDir } from '../src/data-dir.js'
import { createCairnNode } from '../src/node.js'
import { proofReady, verifyCitation } from '../src/proof/index.js'
import type { Citation } from '../src/proof/index.js'
import type { RetrieveRequest, RetrieveResponse } from '../src/rag/index.js'
import { createAssetStore } from '../src/store/index.js'
import { mulberry32 } from './generate.js'
import { DATASET_ARGS, assetLines, entityIri, generateIntoStore } from './sparql-data.js'

const { values: args } = parseArgs({
  options: {
    ...DATASET_ARGS,
    runs: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    data: { type: 'string' },
    json: { type: 'string' },
    serve: { type: 'string' }
  }
})

const HERE = fileURLToPath(new URL('.', import.meta.url))
const TSX = join(HERE, '..', 'node_modules', '.bin', 'tsx')
const log = (s: string): void => { process.stdout.write(s + '\n') }
const f = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
/** The whole run must end by itself. */
const WATCHDOG_MS = 30 * 60_000

// ── parent ─────────────────────────────────────────────────────────────────────────────────────────────────────

interface Question { kind: string, request: RetrieveRequest, entity: string }

/** The name literal of asset i, as the generator wrote it. */
function nameOf (seed: number, i: number, assets: number, triples: number): string {
  const e = `<${entityIri(i)}> <http://schema.org/name> "`
  const line = assetLines(seed, i, assets, triples).find((l) => l.startsWith(e)) as string
  return line.slice(e.length, line.lastIndexOf('"'))
}

function questions (seed: number, assets: number, triples: number, n: number): Question[] {
  const rand = mulberry32(seed ^ 0x5bd1e995)
  const out: Question[] = []
  for (let k = 0; k < n; k++) {
    const i = Math.floor(rand() * assets)
    const name = nameOf(seed, i, assets, triples)
    const entity = entityIri(i)
    switch (k % 4) {
      case 0: out.push({ kind: 'about (hops 1)', entity, request: { question: `What do we know about ${name}?` } }); break
      case 1: out.push({ kind: 'knows (hops 1)', entity, request: { question: `Who does ${name} know?` } }); break
      case 2: out.push({ kind: 'located (hops 2)', entity, request: { question: `Where is ${name} located?`, hops: 2 } }); break
      default: out.push({ kind: 'entity only (hops 1)', entity, request: { entities: [entity] } })
    }
  }
  return out
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 })

async function post (url: string, body: string): Promise<{ status: number, text: string, ms: number }> {
  const t0 = performance.now()
  return await new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

interface Stat { n: number, min: number, p10: number, p50: number, p95: number, mean: number, max: number }
function stat (xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b)
  const q = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]
  return { n: s.length, min: s[0], p10: q(0.1), p50: q(0.5), p95: q(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length, max: s[s.length - 1] }
}
/** CPU time (user + system) a process has used, ms, from /proc (Linux); NaN elsewhere. */
function cpuMsOf (pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
    // After "pid (comm) ": state is field 3, utime 14 and stime 15 (proc(5)), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return Number.NaN
  }
}
const ms = (n: number): string => n < 1 ? f(n, 3) : n < 10 ? f(n, 2) : f(n, 1)
/** The hex string with its last digit changed: a signature that no longer verifies. */
const flip = (hex: string): string => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0')

async function main (): Promise<void> {
  const ASSETS = Number(args.assets)
  const TRIPLES = Number(args.triples)
  const SEED = Number(args.seed)
  const RUNS = Number(args.runs)
  const WARMUP = Number(args.warmup)
  await Promise.all([proofReady(), keysReady()])
  const load0 = loadavg()
  log(`# bench:retrieve — ${f(ASSETS)} assets × ${TRIPLES} triples (seed ${SEED})`)
  log(`node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · ${f(totalmem() / 2 ** 30, 1)} GiB · load average ${load0.map((x) => f(x, 2)).join(' ')}`)

  // 1. Data
  const reuse = args.data !== undefined && existsSync(join(args.data, 'node', DATA_FILES.store))
  const tmp = reuse ? args.data as string : mkdtempSync(join(tmpdir(), 'cairn-bench-retrieve-'))
  const dataDir = join(tmp, 'node')
  if (reuse) {
    log(`reusing ${tmp}`)
  } else {
    const { nodeSigner } = prepareDataDir(loadConfig({ dataDir, port: 0, logLevel: 'silent' }, {}), {})
    const store = createAssetStore({ path: join(dataDir, DATA_FILES.store) })
    store.start()
    const gen = await generateIntoStore(store, {
      seed: SEED, assets: ASSETS, triples: TRIPLES, group: Number(args.group), network: 'local', nodeSigner,
      onProgress: (n) => { if (n % 2000 === 0) process.stdout.write(`  generated ${n} assets\r`) }
    })
    store.stop()
    log(`generated ${f(gen.quads)} quads in ${f(gen.ms.total / 1000, 1)} s (insertVersion + anchors in groups of ${args.group}: ${f(gen.ms.insert / 1000, 1)} s)`)
  }

  // 2. Node
  const child: ChildProcess = spawn(TSX, [fileURLToPath(import.meta.url), '--serve', dataDir], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } })
  const t0 = performance.now()
  // tsx runs the script in a node process of its own: the pid that does the work is the one the script reports.
  const { url, pid } = await new Promise<{ url: string, pid: number }>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string, url?: string, pid?: number }
        if (msg.event === 'ready') resolve({ url: msg.url as string, pid: msg.pid as number })
      } catch {
        process.stderr.write(`[node] ${line}\n`)
      }
    })
    child.once('exit', (code) => { reject(new Error(`node exited (${code}) before it was ready`)) })
  })
  log(`node ready in ${f((performance.now() - t0) / 1000, 1)} s at ${url}`)

  try {
    // 3. Retrieval over HTTP
    const all = questions(SEED, ASSETS, TRIPLES, WARMUP + RUNS)
    for (const q of all.slice(0, WARMUP)) {
      const r = await post(`${url}/retrieve`, JSON.stringify(q.request))
      if (r.status !== 200) throw new Error(`warm-up: HTTP ${r.status}: ${r.text.slice(0, 300)}`)
    }
    const byKind = new Map<string, number[]>()
    const total: number[] = []
    const facts: number[] = []
    const citations: Citation[] = []
    let found = 0
    const cpu0 = cpuMsOf(pid)
    for (const q of all.slice(WARMUP)) {
      const r = await post(`${url}/retrieve`, JSON.stringify(q.request))
      if (r.status !== 200) throw new Error(`${q.kind}: HTTP ${r.status}: ${r.text.slice(0, 300)}`)
      const answer = JSON.parse(r.text) as RetrieveResponse
      total.push(r.ms)
      byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), r.ms])
      facts.push(answer.facts.length)
      if (answer.entities.some((e) => e.iri === q.entity)) found++
      for (const fact of answer.facts) citations.push(fact.citation as Citation)
    }
    const load1 = loadavg()
    const nodeCpuMs = (cpuMsOf(pid) - cpu0) / RUNS

    // 4. Citation verification. The verifier remembers signatures that verified, so the first citation of a version
    // pays its claim's signature check (and its ledger entry's, the first time that entry is seen) and the citations
    // after it do not: both are reported. The warm-up (WASM, JIT) uses copies with both signatures altered, which
    // run every check but leave nothing remembered.
    const verifyMs: number[] = []
    const verifyCpu: number[] = []
    const firstOfVersion: boolean[] = []
    const seen = new Set<string>()
    let verified = 0
    for (const c of citations.slice(0, 200)) verifyCitation({ ...c, signature: flip(c.signature), anchor: { ...c.anchor, signature: flip(c.anchor.signature) } })
    for (const c of citations) {
      const key = `${c.ual}/v${c.version}`
      firstOfVersion.push(!seen.has(key))
      seen.add(key)
      const t = performance.now()
      const u = process.cpuUsage()
      const ok = verifyCitation(c).ok
      const d = process.cpuUsage(u)
      verifyMs.push(performance.now() - t)
      verifyCpu.push((d.user + d.system) / 1000)
      if (ok) verified++
    }

    const rows: Array<[string, Stat]> = [...[...byKind].sort((a, b) => a[0].localeCompare(b[0])).map(([k, xs]) => [k, stat(xs)] as [string, Stat]), ['all', stat(total)]]
    log('')
    log('| POST /retrieve, proofs on, 20 facts | n | min ms | p10 ms | p50 ms | p95 ms | mean ms | max ms |')
    log('|---|---:|---:|---:|---:|---:|---:|---:|')
    for (const [k, s] of rows) log(`| ${k} | ${s.n} | ${ms(s.min)} | ${ms(s.p10)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.mean)} | ${ms(s.max)} |`)
    const v = stat(verifyMs)
    log('')
    log(`facts per answer: mean ${f(facts.reduce((a, b) => a + b, 0) / facts.length, 1)}; the asked-about entity was linked in ${found} of ${RUNS} answers`)
    const vc = stat(verifyCpu)
    log(`node CPU per request (user + system, /proc): mean ${ms(nodeCpuMs)} ms`)
    log(`verifyCitation: ${f(citations.length)} citations, ${f(verified)} verified; per citation wall min ${ms(v.min)} ms, p10 ${ms(v.p10)} ms, p50 ${ms(v.p50)} ms, p95 ${ms(v.p95)} ms, mean ${ms(v.mean)} ms; ` +
      `CPU p10 ${ms(vc.p10)} ms, p50 ${ms(vc.p50)} ms, p95 ${ms(vc.p95)} ms, mean ${ms(vc.mean)} ms`)
    const part = (first: boolean): { wall: Stat, cpu: Stat } => ({
      wall: stat(verifyMs.filter((_x, i) => firstOfVersion[i] === first)),
      cpu: stat(verifyCpu.filter((_x, i) => firstOfVersion[i] === first))
    })
    const first = part(true)
    const repeat = part(false)
    for (const [name, p] of [['first citation of its version', first], ['later citations of a version', repeat]] as const) {
      log(`  ${name}: ${f(p.wall.n)}; wall p50 ${ms(p.wall.p50)} ms, p95 ${ms(p.wall.p95)} ms, mean ${ms(p.wall.mean)} ms; CPU p50 ${ms(p.cpu.p50)} ms, p95 ${ms(p.cpu.p95)} ms, mean ${ms(p.cpu.mean)} ms`)
    }
    log(`load average after: ${load1.map((x) => f(x, 2)).join(' ')}`)
    const target = stat(total).p95 <= 50 && v.p95 <= 1
    log(`targets (p95 ≤ 50 ms, verification ≤ 1 ms): ${target ? 'met' : 'NOT met'}`)
    if (args.json !== undefined) {
      writeFileSync(args.json, JSON.stringify({ assets: ASSETS, triples: TRIPLES, seed: SEED, runs: RUNS, loadBefore: load0, loadAfter: load1, retrieve: Object.fromEntries(rows), nodeCpuMs, verify: v, verifyCpu: vc, verifyFirst: first, verifyRepeat: repeat, citations: citations.length, verified, found }, null, 2))
    }
    if (verified !== citations.length) throw new Error(`${citations.length - verified} citation(s) did not verify`)
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.stdin?.end()
    const kill = setTimeout(() => { child.kill('SIGKILL') }, 30_000)
    await exited
    clearTimeout(kill)
    agent.destroy()
    if (!reuse && args.keep !== true) rmSync(tmp, { recursive: true, force: true })
    else log(`data kept in ${tmp} (reuse with --data ${tmp})`)
  }
}

// ── child: the node ────────────────────────────────────────────────────────────────────────────────────────────

if (args.serve !== undefined) {
  const node = await createCairnNode({
    config: loadConfig({ dataDir: args.serve, port: 0, host: '127.0.0.1', logLevel: 'warn', p2p: false, sparqlReplicas: 1 }, {}),
    env: {}
  })
  await node.components.sparql.whenReady()
  process.stdout.write(JSON.stringify({ event: 'ready', url: node.url, pid: process.pid }) + '\n')
  process.stdin.resume()
  process.stdin.on('end', () => { void Promise.resolve(node.stop()).then(() => process.exit(0)) })
} else {
  const watchdog = setTimeout(() => { process.stderr.write('bench:retrieve: watchdog fired\n'); process.exit(2) }, WATCHDOG_MS)
  watchdog.unref()
  await main()
}
