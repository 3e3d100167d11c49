/**
 * One engine replica: an oxigraph store in a worker thread, mirroring the SQLite store of record. It reads SQLite
 * itself (a read-only connection; WAL lets it read beside the writer), so the main thread only sends sequence
 * numbers and queries. Messages are handled one at a time, so a query never sees half of an applied batch.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parentPort, workerData } from 'node:worker_threads'
import ox from 'oxigraph'
import { CairnError } from '../errors.js'
import { createAssetStore } from '../store/index.js'
import type { AssetStore, VersionRecord } from '../store/index.js'
import { LOAD_BATCH_LINES, PROGRESS_EVERY_QUADS } from './constants.js'
import { CAIRN, PROVENANCE_GRAPH, currentVersionLine, provenanceLines } from './provenance.js'
import { capLines, capSolutions } from './results.js'
import { skolemizeLine } from '../rdf/skolem.js'
import type { EngineRequest, EngineResponse, PushedVersion } from './worker-protocol.js'

const RESULTS_FORMAT = {
  json: 'application/sparql-results+json',
  xml: 'application/sparql-results+xml',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values'
} as const

interface Current { version: number, versionId: number, graph: string }

class Replica {
  private store = new ox.Store()
  private readonly assets: AssetStore | undefined
  private readonly current = new Map<string, Current>()
  private readonly currentGraphs = new Set<string>()
  seq = 0
  private pending: string[] = []
  private loadedQuads = 0
  private lastProgress = 0
  /** Time spent inside oxigraph's load (the rest of a catch-up is reading SQLite and building lines). */
  loadMs = 0

  constructor (storePath: string | undefined) {
    if (storePath !== undefined) {
      this.assets = createAssetStore({ path: storePath, readonly: true })
      this.assets.start()
    }
  }

  /**
   * Apply every version committed after `seq` up to `upto`, in commit order: from `pushed` when it holds exactly
   * those versions (the usual case after a commit), else read back from the store (start-up, a replica that was
   * busy being built).
   */
  catchUp (upto: number, pushed?: PushedVersion[]): void {
    if (upto <= this.seq) return
    const fresh = pushed?.filter((p) => p.record.id > this.seq)
    const fromPush = fresh !== undefined && fresh.length === upto - this.seq && fresh.every((p, i) => p.record.id === this.seq + 1 + i)
    if (!fromPush && this.assets === undefined) return
    const versions = fromPush ? fresh.map((p) => p.record) : (this.assets as AssetStore).listVersionsSince(this.seq, upto)
    const byId = new Map(versions.map((v) => [v.id, v]))
    // Only the newest version of an asset in this batch, and only if newer than what we hold, becomes current.
    const latest = new Map<string, VersionRecord>()
    for (const v of versions) if ((latest.get(v.ual)?.version ?? 0) < v.version) latest.set(v.ual, v)
    const promoted = new Map<number, Current | undefined>()
    for (const v of latest.values()) {
      const before = this.current.get(v.ual)
      if ((before?.version ?? 0) < v.version) promoted.set(v.id, before)
    }
    const replacedLines = new Map<number, Set<string>>()
    const take = (versionId: number, lines: string[]): void => {
      const v = byId.get(versionId)
      if (v === undefined) return
      const graph = ` <${v.versionIri}> .`
      const isPromoted = promoted.has(versionId)
      for (const line of lines) {
        this.pending.push(line.slice(0, -2) + graph)
        if (isPromoted) this.pending.push(line)
      }
      if (isPromoted && promoted.get(versionId) !== undefined) replacedLines.set(versionId, new Set(lines))
      this.maybeFlush()
    }
    if (fromPush) {
      for (const { record, lines } of fresh) take(record.id, lines.split('\n').map((line) => skolemizeLine(line, record.versionIri)))
    } else {
      (this.assets as AssetStore).exportLines(this.seq, upto, take)
    }
    for (const v of versions) {
      for (const line of provenanceLines(v)) this.pending.push(line.slice(0, -2) + ` <${PROVENANCE_GRAPH}> .`)
    }
    for (const [versionId, before] of promoted) {
      const v = byId.get(versionId) as VersionRecord
      if (before !== undefined) this.currentGraphs.delete(before.graph)
      this.currentGraphs.add(v.versionIri)
      this.current.set(v.ual, { version: v.version, versionId, graph: v.versionIri })
      this.pending.push(currentVersionLine(v.ual, v.versionIri).slice(0, -2) + ` <${PROVENANCE_GRAPH}> .`)
    }
    this.flush()
    for (const [versionId, before] of promoted) {
      if (before !== undefined) this.retire(byId.get(versionId) as VersionRecord, before, replacedLines.get(versionId) ?? new Set())
    }
    this.seq = upto
  }

  /**
   * The old current version leaves the default graph: drop its triples unless the new version or another current
   * version still asserts them (the default graph is a set; two assets may state the same triple).
   */
  private retire (v: VersionRecord, before: Current, kept: Set<string>): void {
    const prov = ox.namedNode(PROVENANCE_GRAPH)
    this.store.delete(ox.quad(ox.namedNode(v.ual), ox.namedNode(`${CAIRN}currentVersion`), ox.namedNode(before.graph), prov))
    const gone: string[] = []
    this.assets?.exportLines(before.versionId - 1, before.versionId, (_id, lines) => {
      for (const line of lines) if (!kept.has(line)) gone.push(line)
    })
    if (gone.length === 0) return
    for (const q of ox.parse(gone.join('\n'), { format: 'application/n-triples' })) {
      const stillAsserted = this.store.match(q.subject, q.predicate, q.object, null)
        .some((other) => other.graph.termType === 'NamedNode' && this.currentGraphs.has(other.graph.value))
      if (!stillAsserted) this.store.delete(ox.quad(q.subject, q.predicate, q.object, ox.defaultGraph()))
    }
  }

  private maybeFlush (): void {
    if (this.pending.length >= LOAD_BATCH_LINES) this.flush()
  }

  private flush (): void {
    if (this.pending.length === 0) return
    // `lenient`: these lines come from the store of record, written by Cairn's own serializer from terms that were
    // validated when published; re-validating every IRI and literal cost ~20 % of the load (docs/performance.md).
    const t = performance.now()
    this.store.load(this.pending.join('\n'), { format: 'application/n-quads', no_transaction: true, lenient: true })
    this.loadMs += performance.now() - t
    this.loadedQuads += this.pending.length
    this.pending = []
    if (this.loadedQuads - this.lastProgress >= PROGRESS_EVERY_QUADS) {
      this.lastProgress = this.loadedQuads
      post({ type: 'progress', quads: this.loadedQuads })
    }
  }

  loadDataset (nquads: string, baseIri: string | undefined): void {
    this.store = new ox.Store()
    if (nquads.trim() !== '') this.store.load(nquads, { format: 'application/n-quads', ...(baseIri === undefined ? {} : { base_iri: baseIri }) })
  }

  /** The store's commit sequence now (0 without a store). */
  storeSeq (): number {
    return this.assets?.lastVersionId() ?? 0
  }

  get size (): number {
    return this.store.size
  }

  query (req: Extract<EngineRequest, { type: 'query' }>): EngineResponse {
    const graphs = req.form === 'CONSTRUCT' || req.form === 'DESCRIBE'
    const options: Record<string, unknown> = { results_format: graphs ? 'application/n-triples' : RESULTS_FORMAT[req.format] }
    if (req.defaultGraphUris !== undefined || req.namedGraphUris !== undefined) {
      // SPARQL 1.1 Protocol §2.1.4: given graph URIs replace the whole dataset.
      options.default_graph = (req.defaultGraphUris ?? []).map((g) => ox.namedNode(g))
      options.named_graphs = (req.namedGraphUris ?? []).map((g) => ox.namedNode(g))
    }
    let out: unknown
    try {
      out = this.store.query(req.query, options)
    } catch (err) {
      return { type: 'result', id: req.id, ok: false, error: engineError(err) }
    }
    if (typeof out !== 'string') {
      return { type: 'result', id: req.id, ok: false, error: { key: 'SPARQL_EVAL', message: 'SPARQL: unexpected result shape from the engine' } }
    }
    if (graphs) return { type: 'result', id: req.id, ok: true, kind: 'graph', ...capLines(out, req.maxRows, req.maxBytes) }
    if (req.form === 'ASK' || /"boolean"\s*:|<boolean>/.test(out.slice(0, 200))) {
      return { type: 'result', id: req.id, ok: true, kind: 'boolean', body: out, rows: 1, truncated: false }
    }
    return { type: 'result', id: req.id, ok: true, kind: 'solutions', ...capSolutions(out, req.format, req.maxRows, req.maxBytes) }
  }
}

/** oxigraph-js throws message-only Errors: give them codes, and positions for syntax errors. */
function engineError (err: unknown): { key: 'SPARQL_SYNTAX' | 'SPARQL_EVAL' | 'SPARQL_SERVICE_REFUSED', message: string, details?: Record<string, unknown> } {
  const message = err instanceof Error ? err.message : String(err)
  const at = /^error at (\d+):(\d+): /.exec(message)
  if (at !== null) return { key: 'SPARQL_SYNTAX', message: `SPARQL syntax error at line ${at[1]}, column ${at[2]}: ${message.slice(at[0].length)}`, details: { line: Number(at[1]), column: Number(at[2]) } }
  if (/service .* is not supported/i.test(message)) return { key: 'SPARQL_SERVICE_REFUSED', message: 'SPARQL: SERVICE is disabled on this endpoint (no outbound requests)' }
  return { key: 'SPARQL_EVAL', message: `SPARQL: ${message}` }
}

/**
 * A full GC, once, after the build: building leaves ~140 MiB of dead load text in this isolate (1M quads), and V8
 * collects on allocation, which an idle replica does not do — so it would stay in RSS until queries came
 * (docs/performance.md#sparql).
 * V8's `--expose-gc`, set at run time, exposes `gc` only in contexts created afterwards: the new context here, not
 * the contexts that already run.
 */
function collectGarbage (): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

function post (msg: EngineResponse): void {
  parentPort?.postMessage(msg)
}

const { storePath } = workerData as { storePath?: string }
const started = Date.now()
const replica = new Replica(storePath)
try {
  // Mirror the whole store before announcing readiness.
  replica.catchUp(replica.storeSeq())
  const built = process.memoryUsage().heapUsed
  collectGarbage()
  const heapUsed = process.memoryUsage().heapUsed
  post({ type: 'ready', seq: replica.seq, quads: replica.size, ms: Date.now() - started, loadMs: Math.round(replica.loadMs), heapUsed, collected: built - heapUsed })
} catch (err) {
  post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) })
}

parentPort?.on('message', (msg: EngineRequest) => {
  try {
    switch (msg.type) {
      case 'catchUp':
        replica.catchUp(msg.upto, msg.versions)
        post({ type: 'applied', seq: replica.seq, quads: replica.size })
        break
      case 'loadDataset':
        replica.loadDataset(msg.nquads, msg.baseIri)
        post({ type: 'applied', seq: replica.seq, quads: replica.size })
        break
      case 'query':
        post(replica.query(msg))
        break
    }
  } catch (err) {
    const error = err instanceof CairnError ? { key: err.key, message: err.message } : { key: 'INTERNAL' as const, message: err instanceof Error ? err.message : String(err) }
    if (msg.type === 'query') post({ type: 'result', id: msg.id, ok: false, error })
    else post({ type: 'fatal', message: error.message })
  }
})
