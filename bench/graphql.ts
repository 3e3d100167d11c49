/**
 * GraphQL benchmark: `npm run bench:graphql` (= `tsx bench/graphql.ts`).
 *
 * Builds a store of `--assets` × `--triples` quads (default 10,000 × 100 = 1M) from the seeded schema.org-like
 * generator (bench/generate.ts), then starts a real node on it (createCairnNode: SQLite, SPARQL engine, GraphQL,
 * REST on 127.0.0.1:0) and measures, one page at a time from a client in a worker thread:
 *   - GraphQL: an entity page of 50 facts (terms, source version) with a citation each (`citation { json }`);
 *   - GraphQL: the same page without citations;
 *   - REST, same data: the same 50 citations from `GET /assets/{ual}/proof` (REST has no entity listing, so a REST
 *     client pays one request per fact), 6 requests in flight like a browser;
 *   - REST, one call: `GET /assets/{ual}?format=ntriples`, the whole asset (its 86 facts of the entity and 14 more),
 *     without citations — the cheapest REST read of the same facts.
 * Each kind runs "cold" (every page a different entity, so the merkle tree of its version is not cached) and "warm"
 * (8 entities in turn). p50/p95/max of page latency over `--requests` pages after `--warmup` pages, and the CPU
 * time the node's main thread spent per page (read from /proc, so it stays meaningful on a busy machine).
 *
 * Loading: publishing 1M quads through the service (re-canonicalize, verify, anchor) takes minutes, so the data is
 * prepared exactly as a client-signed publish would be (prepareGraphs → signVersion with 8 publisher keys →
 * storeQuads) and inserted with `store.insertVersion` in transactions of 500 versions, each anchored in the same
 * transaction by the node's embedded ledger (one ledger entry per transaction) — the rows are what a publish writes.
 *
 * Options: --assets 10000 --triples 100 --requests 300 --warmup 30 --seed 42 --data-dir <dir> (reused when it
 * already holds the store; kept) --concurrency 6 (REST proof requests in flight)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { DataFactory } from 'n3'
import type { Term } from '@rdfjs/types'
import { keysReady, prepareGraphs, signVersion, signerFromSeed, storeQuads } from '../src/asset/index.js'
import type { Signer } from '../src/asset/index.js'
import { loadConfig } from '../src/config.js'
import { createCairnNode } from '../src/node.js'
import { proofReady } from '../src/proof/index.js'
import type { NewVersion } from '../src/store/index.js'
import { termToNTriples } from '../src/rdf/index.js'
import { generateAsset, mulberry32, toTurtle } from './generate.js'

const { values: args } = parseArgs({
  options: {
    assets: { type: 'string', default: '10000' },
    triples: { type: 'string', default: '100' },
    requests: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    'data-dir': { type: 'string' },
    concurrency: { type: 'string', default: '6' }
  }
})
const N = Number(args.assets)
const TRIPLES = Number(args.triples)
const REQUESTS = Number(args.requests)
const WARMUP = Number(args.warmup)
const SEED = Number(args.seed)
const CONCURRENCY = Number(args.concurrency)
const PAGE = 50
const BATCH = 500
const PUBLISHERS = 8

const log = (s: string): void => { process.stdout.write(s + '\n') }
const fmt = (n: number, digits = 2): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

const FACTS_QUERY = (citations: boolean): string => `query ($iri: String!) { entity(iri: $iri) { facts(first: ${PAGE}) {
  edges { cursor node { subject { termType value } predicate { value } object { termType value ... on Literal { language datatype { value } } }
    source { ual version } ${citations ? 'citation { json }' : ''} } }
  pageInfo { hasNextPage endCursor } } } }`

interface TermJson { termType: string, value: string, language?: string, datatype?: { value: string } }
interface FactJson { subject: TermJson, predicate: { value: string }, object: TermJson, source: { ual: string, version: number } }

function toTerm (t: TermJson): Term {
  if (t.termType === 'Literal') return (t.language ?? '') !== '' ? DataFactory.literal(t.value, t.language) : DataFactory.literal(t.value, DataFactory.namedNode(t.datatype?.value ?? ''))
  return DataFactory.namedNode(t.value)
}

/**
 * CPU time of this process's main thread (the node: HTTP, GraphQL, SQLite, JSON), ms, from /proc (Linux; 10 ms
 * ticks, summed over hundreds of pages). Unlike latency it does not grow when other processes share the CPUs.
 */
function mainThreadCpuMs (): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return Number.NaN
  }
}

function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)]
}

async function main (): Promise<void> {
  await Promise.all([proofReady(), keysReady()])
  const dataDir = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'cairn-bench-graphql-'))
  const config = loadConfig({ dataDir, port: 0, logLevel: 'warn', p2p: false, sparqlReplicas: 1 }, {})
  const node = await createCairnNode({ config, start: false, env: {} })
  const { store, anchor } = node.components
  await store.start()
  const have = store.stats()
  log(`# GraphQL bench — ${N.toLocaleString()} assets × ${TRIPLES} triples, Node ${process.version}, ${availableParallelism()} CPUs, data ${dataDir}`)

  if (have.assets < N) {
    if (have.assets > 0) throw new Error(`${dataDir} holds ${have.assets} assets, fewer than --assets ${N}; use an empty or a complete data dir`)
    const publishers: Signer[] = Array.from({ length: PUBLISHERS }, (_v, i) => signerFromSeed(new Uint8Array(32).fill(i + 1)))
    const started = performance.now()
    for (let from = 0; from < N; from += BATCH) {
      const versions: NewVersion[] = []
      for (let i = from; i < Math.min(N, from + BATCH); i++) {
        const [prepared] = await prepareGraphs({ text: toTurtle(generateAsset(SEED, i, TRIPLES)), format: 'turtle' })
        const sv = signVersion(prepared, { signer: publishers[i % PUBLISHERS], network: config.network })
        const ual = sv.ual.split('/')
        versions.push({
          ual: sv.ual, network: config.network, publisher: sv.publisher, assetId: ual[2], version: 1, root: sv.root, previousRoot: null,
          signature: sv.signature, timestamp: sv.timestamp, sourceName: null, leafHashes: prepared.leafHashes, quads: storeQuads(sv.lines, sv.ual, 1)
        })
      }
      store.transaction(() => {
        const records = versions.map((v) => store.insertVersion(v))
        const proofs = anchor.anchorBatch(records.map((r) => r.root))
        records.forEach((r, i) => { store.setAnchor(r.id, proofs[i]) })
      })
      if ((from / BATCH) % 4 === 3) log(`  loaded ${(from + BATCH).toLocaleString()} assets (${fmt((performance.now() - started) / 1000, 0)} s)`)
    }
    log(`loaded in ${fmt((performance.now() - started) / 1000, 1)} s`)
  }
  const stats = store.stats()
  log(`store: ${stats.assets.toLocaleString()} assets, ${stats.quads.toLocaleString()} quads, ${stats.terms.toLocaleString()} terms`)

  const t0 = performance.now()
  await node.start()
  // The SPARQL replica loads the whole store in the background: let it finish so it does not share the CPUs.
  await node.components.sparql.whenReady()
  log(`node started, SPARQL replica loaded in ${fmt((performance.now() - t0) / 1000, 1)} s; ${node.url}`)

  const worker = new Worker(new URL('./graphql-load.mjs', import.meta.url))
  await new Promise((resolve) => worker.once('message', resolve))
  const run = async (pages: unknown[][], concurrency = 1): Promise<{ latencies: number[], bytes: number }> => {
    worker.postMessage({ pages, concurrency })
    const answer = await new Promise<{ ok: boolean, latencies: number[], bytes: number, error?: string }>((resolve) => worker.once('message', resolve))
    if (!answer.ok) throw new Error(answer.error)
    return answer
  }

  // Entities: the main entity of distinct random assets (each in its own version: cold merkle trees).
  const rand = mulberry32(SEED + 1)
  const picked = new Set<number>()
  while (picked.size < Math.min(N, REQUESTS + WARMUP)) picked.add(Math.floor(rand() * N))
  const entities = [...picked].map((i) => generateAsset(SEED, i, TRIPLES).iri)
  const warmSet = entities.slice(0, 8)

  const gql = (iri: string, citations: boolean): object => ({
    url: `${node.url}/graphql`, method: 'POST', graphql: true,
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: FACTS_QUERY(citations), variables: { iri } })
  })
  // The REST requests for an entity's page: from its GraphQL answer (not timed).
  const restPages = new Map<string, { proofs: object[], nt: object }>()
  for (const iri of [...entities, ...warmSet]) {
    if (restPages.has(iri)) continue
    const res = await fetch(`${node.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: FACTS_QUERY(false), variables: { iri } }) })
    const facts = ((await res.json()) as { data: { entity: { facts: { edges: Array<{ node: FactJson }> } } } }).data.entity.facts.edges.map((e) => e.node)
    if (facts.length !== PAGE) throw new Error(`${iri}: ${facts.length} facts, expected ${PAGE}`)
    const ual = facts[0].source.ual
    restPages.set(iri, {
      proofs: facts.map((f) => ({
        url: `${node.url}/assets/${encodeURIComponent(f.source.ual)}/proof?${new URLSearchParams({ subject: f.subject.value, predicate: f.predicate.value, object: termToNTriples(toTerm(f.object)) }).toString()}`
      })),
      nt: { url: `${node.url}/assets/${encodeURIComponent(ual)}?format=ntriples` }
    })
  }

  const kinds: Array<{ name: string, page: (iri: string) => object[], concurrency?: number }> = [
    { name: 'GraphQL: 50 facts + citations', page: (iri) => [gql(iri, true)] },
    { name: 'GraphQL: 50 facts, no citations', page: (iri) => [gql(iri, false)] },
    { name: `REST: 50 × GET /assets/{ual}/proof (${CONCURRENCY} in flight)`, page: (iri) => restPages.get(iri)?.proofs ?? [], concurrency: CONCURRENCY },
    { name: 'REST: GET /assets/{ual}?format=ntriples (no citations)', page: (iri) => [restPages.get(iri)?.nt ?? {}] }
  ]
  const rows: string[] = []
  const loadBefore = loadavg()
  for (const kind of kinds) {
    for (const mode of ['cold', 'warm'] as const) {
      // Cold: every page a new entity. Each kind walks the same list from the start; the service keeps the merkle
      // trees of its last 64 versions only, so the first entities are cold again for every kind.
      const list = mode === 'cold' ? entities : Array.from({ length: REQUESTS + WARMUP }, (_v, i) => warmSet[i % warmSet.length])
      await run(list.slice(0, WARMUP).map(kind.page), kind.concurrency)
      const cpu0 = mainThreadCpuMs()
      const { latencies, bytes } = await run(list.slice(WARMUP, WARMUP + REQUESTS).map(kind.page), kind.concurrency)
      const cpu = (mainThreadCpuMs() - cpu0) / latencies.length
      const sorted = [...latencies].sort((a, b) => a - b)
      rows.push(`| ${kind.name} | ${mode} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 95))} | ${fmt(sorted[sorted.length - 1])} | ${fmt(cpu)} | ${fmt(bytes / latencies.length / 1024, 1)} |`)
      log(rows[rows.length - 1])
    }
  }
  log(`\nload average before: ${loadBefore.map((l) => fmt(l)).join(' ')}, after: ${loadavg().map((l) => fmt(l)).join(' ')}`)
  log('\n| request (one page of one entity) | caches | p50 ms | p95 ms | max ms | node CPU ms / page | KiB / page |\n|---|---|---|---|---|---|---|\n' + rows.join('\n'))
  await worker.terminate()
  await node.stop()
  if (args['data-dir'] === undefined) rmSync(dataDir, { recursive: true, force: true })
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`)
  process.exit(1)
})
