/**
 * Reference process for bench/sparql.ts: plain oxigraph-js, no Cairn code.
 *
 *   1. times `new Store().load(text)` of versions.nq (the version graphs), then of full.nq (what a Cairn replica
 *      holds: version graphs + default-graph copy + provenance graph), reporting RSS after each;
 *   2. keeps the full store and serves it two ways:
 *      - GET /sparql?query=…  — a minimal node:http endpoint (JSON results, nothing else), to separate the cost of
 *        HTTP from Cairn's own (express, worker hop, caps);
 *      - POST /inprocess {texts: string[], warmup: string[], budgetMs} — runs the texts on the store in this process
 *        and returns the time of each `store.query` (which includes oxigraph's JSON serialization).
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

function timedLoad (file: string): { store: ox.Store, ms: number, readMs: number, size: number } {
  let t = performance.now()
  const text = readFileSync(file, 'utf8')
  const readMs = performance.now() - t
  t = performance.now()
  const store = new ox.Store()
  store.load(text, { format: 'application/n-quads' })
  return { store, ms: performance.now() - t, readMs, size: store.size }
}

const rssStart = rssMiB()
const v = timedLoad(versionsFile)
emit({ event: 'loaded', which: 'versions', ms: v.ms, readMs: v.readMs, quads: v.size, rssMiB: rssMiB(), rssStartMiB: rssStart })
;(v.store as unknown as { free?: () => void }).free?.()
const full = timedLoad(fullFile)
const store = full.store
emit({ event: 'loaded', which: 'full', ms: full.ms, readMs: full.readMs, quads: full.size, rssMiB: rssMiB() })

function runInProcess (texts: string[], warmup: string[], budgetMs: number): { ms: number[], rows: number } {
  for (const q of warmup) store.query(q, { results_format: JSON_RESULTS })
  const ms: number[] = []
  let rows = -1
  const started = performance.now()
  for (const q of texts) {
    const t = performance.now()
    const out = store.query(q, { results_format: JSON_RESULTS }) as string
    ms.push(performance.now() - t)
    if (rows === -1) rows = (JSON.parse(out) as { results: { bindings: unknown[] } }).results.bindings.length
    if (performance.now() - started > budgetMs && ms.length >= 5) break
  }
  return { ms, rows }
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
      const { texts, warmup, budgetMs } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { texts: string[], warmup: string[], budgetMs: number }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(runInProcess(texts, warmup, budgetMs)))
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
