/**
 * Reference process for bench/sparql.ts: plain oxigraph-js, no Cairn code.
 *
 *   1. times loading versions.nq (the version graphs) with one `new Store().load(text)` call, and in batches the
 *      way a Cairn replica loads; then full.nq (what a replica holds: version graphs + default-graph copy +
 *      provenance graph) in batches; wall and CPU time, RSS after each;
 *   2. keeps the full store and serves it two ways:
 *      - GET /sparql?query=…  — a minimal node:http endpoint (JSON results, nothing else), to separate the cost of
 *        HTTP from Cairn's own (express, worker hop, caps);
 *      - POST /inprocess {text, rows} — runs one query on the store in this process and returns the time of
 *        `store.query` alone (which includes oxigraph's JSON serialization), not the HTTP around it.
 *
 * Talks to the parent through one JSON line per event on stdout. Binds 127.0.0.1 only.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import ox from 'oxigraph'

const [versionsFile, fullFile] = process.argv.slice(2)
const JSON_RESULTS = 'application/sparql-results+json'
const emit = (o: Record<string, unknown>): void => { process.stdout.write(JSON.stringify(o) + '\n') }
const rssMiB = (): number => Math.round(process.memoryUsage().rss / 1048576)

const cpuMs = (): number => { const c = process.cpuUsage(); return (c.user + c.system) / 1000 }
const BATCH_LINES = 50_000

/**
 * `single`: one `store.load(text)` call (one transaction), the obvious way. `batched`: what a Cairn replica does —
 * 50,000 lines per call, `no_transaction`, `lenient` — the fastest way found to fill an oxigraph-js store.
 */
function timedLoad (file: string, how: 'single' | 'batched'): { store: ox.Store, ms: number, cpuMs: number, size: number } {
  const text = readFileSync(file, 'utf8')
  const lines = how === 'batched' ? text.split('\n') : []
  const t = performance.now()
  const c = cpuMs()
  const store = new ox.Store()
  if (how === 'single') {
    store.load(text, { format: 'application/n-quads' })
  } else {
    for (let i = 0; i < lines.length; i += BATCH_LINES) {
      store.load(lines.slice(i, i + BATCH_LINES).join('\n'), { format: 'application/n-quads', no_transaction: true, lenient: true })
    }
  }
  return { store, ms: performance.now() - t, cpuMs: cpuMs() - c, size: store.size }
}

const free = (s: ox.Store): void => { (s as unknown as { free?: () => void }).free?.() }
for (const [which, file, how] of [['versions', versionsFile, 'single'], ['versions', versionsFile, 'batched']] as const) {
  const r = timedLoad(file, how)
  emit({ event: 'loaded', which, how, ms: r.ms, cpuMs: r.cpuMs, quads: r.size, rssMiB: rssMiB() })
  free(r.store)
}
const full = timedLoad(fullFile, 'batched')
const store = full.store
emit({ event: 'loaded', which: 'full', how: 'batched', ms: full.ms, cpuMs: full.cpuMs, quads: full.size, rssMiB: rssMiB() })

/** One timed query (includes oxigraph's JSON serialization); rows counted after the clock stops. */
function runOne (text: string, countRows: boolean): { ms: number, rows: number } {
  const t = performance.now()
  const out = store.query(text, { results_format: JSON_RESULTS }) as string
  const ms = performance.now() - t
  return { ms, rows: countRows ? (JSON.parse(out) as { results: { bindings: unknown[] } }).results.bindings.length : -1 }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  if (req.method === 'GET' && url.pathname === '/sparql') {
    try {
      const body = store.query(url.searchParams.get('query') ?? '', { results_format: JSON_RESULTS }) as string
      res.writeHead(200, { 'content-type': JSON_RESULTS })
      res.end(body)
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain' })
      res.end(String(err))
    }
    return
  }
  if (req.method === 'POST' && url.pathname === '/inprocess') {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const { text, rows } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string, rows: boolean }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(runOne(text, rows)))
    })
    return
  }
  res.writeHead(404)
  res.end()
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  emit({ event: 'listening', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, rssMiB: rssMiB() })
})
process.stdin.resume()
process.stdin.on('end', () => { server.close(); process.exit(0) })
