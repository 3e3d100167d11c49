import { Worker } from 'node:worker_threads'
import type { Logger } from 'pino'
import { CairnError } from '../errors.js'
import { workerEntry } from '../worker-entry.js'
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_QUEUE, DEFAULT_MAX_ROWS, DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_REPLICAS, REPLICA_YOUNG_GENERATION_MB } from './constants.js'
import type {
  DatasetLoader, QueryOptions, QueryResult, SparqlEngine, SparqlEngineComponents, SparqlEngineInit, SparqlEngineStatus
} from './index.js'
import { inspectQuery } from './query-form.js'
import type { CreatedVersion } from '../store/index.js'
import type { EngineRequest, EngineResponse } from './worker-protocol.js'

interface Job {
  request: Extract<EngineRequest, { type: 'query' }>
  resolve: (r: QueryResult) => void
  reject: (e: unknown) => void
  timer: NodeJS.Timeout
  slot?: Slot
}

interface Slot {
  worker: Worker
  ready: boolean
  seq: number
  quads: number
  job: Job | undefined
  /** Resolvers waiting for this replica to acknowledge a loadDataset. */
  acks: Array<() => void>
  /** Which loadDataset generation this replica holds. */
  dataset: number
}

/**
 * Replicas of the dataset in worker threads. A query runs on an idle ready replica; past its timeout that
 * replica is terminated (oxigraph-js cannot cancel a query) and rebuilt from SQLite while the others keep serving.
 */
export class WorkerSparqlEngine implements SparqlEngine, DatasetLoader {
  private readonly init: Required<Omit<SparqlEngineInit, 'storePath'>> & { storePath: string | undefined }
  private readonly logger: Logger
  private slots: Slot[] = []
  private queue: Job[] = []
  private started = false
  private seq = 0
  private nextId = 1
  private readyWaiters: Array<{ resolve: () => void, reject: (e: unknown) => void }> = []
  /** The dataset given to loadDataset (store-less engines), so replicas started later get it too. */
  private dataset: { generation: number, nquads: string, baseIri?: string } = { generation: 0, nquads: '' }

  constructor (init: SparqlEngineInit, components: SparqlEngineComponents) {
    this.init = {
      storePath: init.storePath,
      replicas: init.replicas ?? DEFAULT_REPLICAS,
      timeoutMs: init.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      maxRows: init.maxRows ?? DEFAULT_MAX_ROWS,
      maxBytes: init.maxBytes ?? DEFAULT_MAX_BYTES,
      maxQueue: init.maxQueue ?? DEFAULT_MAX_QUEUE
    }
    if (!Number.isInteger(this.init.replicas) || this.init.replicas < 1) {
      throw new CairnError('CONFIG_INVALID', `SparqlEngine: replicas must be a whole number ≥ 1; got ${this.init.replicas}`)
    }
    this.logger = components.logger.child({ component: 'sparql' })
  }

  start (): void {
    if (this.started) return
    this.started = true
    // One replica first: built alone it gets the CPU to itself, so the node answers queries sooner; the standbys
    // are built once it is ready (see onMessage 'ready').
    this.slots.push(this.spawn())
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    const stopping = new CairnError('SPARQL_NOT_READY', 'SPARQL engine stopped')
    for (const job of this.queue) this.fail(job, stopping)
    this.queue = []
    for (const w of this.readyWaiters) w.reject(stopping)
    this.readyWaiters = []
    const slots = this.slots
    this.slots = []
    for (const slot of slots) if (slot.job !== undefined) this.fail(slot.job, stopping)
    await Promise.all(slots.map(async (s) => await s.worker.terminate()))
  }

  isStarted (): boolean {
    return this.started
  }

  async whenReady (): Promise<void> {
    if (this.slots.some((s) => s.ready)) return
    if (!this.started) throw new CairnError('SPARQL_NOT_READY', 'SPARQL engine is not started')
    await new Promise<void>((resolve, reject) => { this.readyWaiters.push({ resolve, reject }) })
  }

  status (): SparqlEngineStatus {
    const replicas = this.slots.map((s) => ({ ready: s.ready, busy: s.job !== undefined, seq: s.seq, quads: s.quads }))
    return { ready: replicas.some((r) => r.ready), seq: Math.max(0, ...replicas.filter((r) => r.ready).map((r) => r.seq)), replicas }
  }

  notifyCommitted (seq: number, created?: CreatedVersion[]): void {
    if (seq <= this.seq) return
    this.seq = seq
    const versions = created?.map(({ record, lines }) => ({ record, lines: lines.join('\n') }))
    const message: EngineRequest = { type: 'catchUp', upto: seq, ...(versions === undefined ? {} : { versions }) }
    for (const slot of this.slots) if (slot.ready) slot.worker.postMessage(message)
  }

  async loadDataset (nquads: string, options: { baseIri?: string } = {}): Promise<void> {
    if (this.init.storePath !== undefined) throw new CairnError('INTERNAL', 'SparqlEngine.loadDataset: this engine mirrors a store; publish instead')
    this.dataset = { generation: this.dataset.generation + 1, nquads, ...(options.baseIri === undefined ? {} : { baseIri: options.baseIri }) }
    await this.whenReady()
    // Replicas still starting get the dataset when they announce readiness (onMessage 'ready').
    await Promise.all(this.slots.filter((s) => s.ready).map(async (slot) => { await this.sendDataset(slot) }))
  }

  private async sendDataset (slot: Slot): Promise<void> {
    const { generation, nquads, baseIri } = this.dataset
    await new Promise<void>((resolve) => {
      slot.acks.push(resolve)
      slot.worker.postMessage({ type: 'loadDataset', nquads, ...(baseIri === undefined ? {} : { baseIri }) } satisfies EngineRequest)
    })
    slot.dataset = generation
  }

  async query (query: string, options: QueryOptions): Promise<QueryResult> {
    if (!this.started) throw new CairnError('SPARQL_NOT_READY', 'SPARQL engine is not started')
    const info = inspectQuery(query)
    if (info.form === 'UPDATE') {
      throw new CairnError('SPARQL_UPDATE_REFUSED', 'SPARQL UPDATE is refused: this endpoint is read-only; publish or update knowledge assets instead (POST /assets)')
    }
    const form = info.form
    if (info.usesService) {
      throw new CairnError('SPARQL_SERVICE_REFUSED', 'SPARQL SERVICE is refused: a public endpoint makes no outbound requests')
    }
    if (this.queue.length >= this.init.maxQueue) {
      throw new CairnError('SPARQL_OVERLOADED', `SPARQL: ${this.queue.length} queries are waiting; retry shortly`, { details: { queued: this.queue.length } })
    }
    const timeoutMs = Math.min(options.timeoutMs ?? this.init.timeoutMs, this.init.timeoutMs)
    return await new Promise<QueryResult>((resolve, reject) => {
      const job: Job = {
        request: {
          type: 'query',
          id: this.nextId++,
          query,
          form,
          format: options.format,
          ...(options.defaultGraphUris === undefined ? {} : { defaultGraphUris: options.defaultGraphUris }),
          ...(options.namedGraphUris === undefined ? {} : { namedGraphUris: options.namedGraphUris }),
          maxRows: Math.min(options.maxRows ?? this.init.maxRows, this.init.maxRows),
          maxBytes: Math.min(options.maxBytes ?? this.init.maxBytes, this.init.maxBytes)
        },
        resolve,
        reject,
        timer: setTimeout(() => { this.timeout(job, timeoutMs) }, timeoutMs)
      }
      this.queue.push(job)
      this.dispatch()
    })
  }

  private dispatch (): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && s.job === undefined)
      if (slot === undefined) return
      const job = this.queue.shift() as Job
      job.slot = slot
      slot.job = job
      slot.worker.postMessage(job.request)
    }
  }

  private timeout (job: Job, timeoutMs: number): void {
    const error = new CairnError('SPARQL_TIMEOUT', `SPARQL: the query ran past its ${timeoutMs} ms limit and was stopped; add LIMIT, bind more of the pattern, or raise the timeout`,
      { details: { timeoutMs } })
    const slot = job.slot
    if (slot === undefined) {
      this.queue = this.queue.filter((j) => j !== job)
      job.reject(error)
      return
    }
    // The only way to stop an oxigraph-js query: end its thread. The replica is rebuilt; the others keep serving.
    this.logger.warn({ timeoutMs, query: job.request.query.slice(0, 200) }, 'query timed out; replacing its replica')
    slot.job = undefined
    job.reject(error)
    this.replace(slot)
  }

  private fail (job: Job, error: unknown): void {
    clearTimeout(job.timer)
    job.reject(error)
  }

  private replace (slot: Slot): void {
    slot.ready = false
    slot.worker.removeAllListeners()
    void slot.worker.terminate()
    const index = this.slots.indexOf(slot)
    if (index !== -1 && this.started) this.slots[index] = this.spawn()
    this.dispatch()
  }

  private spawn (): Slot {
    const worker = new Worker(workerEntry(import.meta.url, 'engine-worker'), {
      workerData: { storePath: this.init.storePath },
      resourceLimits: { maxYoungGenerationSizeMb: REPLICA_YOUNG_GENERATION_MB }
    })
    const slot: Slot = { worker, ready: false, seq: 0, quads: 0, job: undefined, acks: [], dataset: 0 }
    worker.on('message', (msg: EngineResponse) => { this.onMessage(slot, msg) })
    worker.on('error', (err) => {
      this.logger.error({ err }, 'SPARQL replica crashed; replacing it')
      if (slot.job !== undefined) this.fail(slot.job, new CairnError('SPARQL_EVAL', `SPARQL: the engine replica failed: ${err.message}`))
      slot.job = undefined
      this.replace(slot)
    })
    return slot
  }

  private onMessage (slot: Slot, msg: EngineResponse): void {
    switch (msg.type) {
      case 'progress':
        this.logger.info({ quads: msg.quads }, 'SPARQL replica loading from the store')
        return
      case 'ready':
        slot.seq = msg.seq
        slot.quads = msg.quads
        this.logger.info({ quads: msg.quads, ms: msg.ms, loadMs: msg.loadMs, seq: msg.seq, heapUsed: msg.heapUsed, collected: msg.collected }, 'SPARQL replica loaded')
        if (this.seq > slot.seq) slot.worker.postMessage({ type: 'catchUp', upto: this.seq } satisfies EngineRequest)
        void (slot.dataset < this.dataset.generation ? this.sendDataset(slot) : Promise.resolve()).then(() => {
          if (!this.slots.includes(slot)) return
          slot.ready = true
          for (const w of this.readyWaiters) w.resolve()
          this.readyWaiters = []
          while (this.started && this.slots.length < this.init.replicas) this.slots.push(this.spawn())
          this.dispatch()
        })
        return
      case 'applied':
        slot.seq = msg.seq
        slot.quads = msg.quads
        slot.acks.shift()?.()
        return
      case 'fatal':
        this.logger.error({ message: msg.message }, 'SPARQL replica failed')
        return
      case 'result': {
        const job = slot.job
        if (job === undefined || job.request.id !== msg.id) return
        slot.job = undefined
        clearTimeout(job.timer)
        if (msg.ok) job.resolve({ kind: msg.kind, body: msg.body, rows: msg.rows, truncated: msg.truncated })
        else job.reject(new CairnError(msg.error.key, msg.error.message, msg.error.details === undefined ? {} : { details: msg.error.details }))
        this.dispatch()
      }
    }
  }
}
