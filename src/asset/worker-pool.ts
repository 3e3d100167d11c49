import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { CairnError } from '../errors.js'
import type { RdfFormat } from '../rdf/index.js'
import type { Startable } from '../startable.js'
import { workerEntry } from '../worker-entry.js'
import { decryptKeystore, signerFromSeed } from './keys.js'
import type { Signer } from './keys.js'
import { prepareAndSignGraphs, prepareGraphs, prepareSignedVersion, readyVersion } from './prepare.js'
import type { PreparedGraph, PrepareOptions, ReadyVersion, SignedVersion } from './prepare.js'
import { deserializeError, unpackGraphs, unpackReady } from './worker-protocol.js'
import type { NodeKeySource, PackedGraphs, WorkerData, WorkerReply, WorkerRequest, WorkerStatus } from './worker-protocol.js'

export type { NodeKeySource } from './worker-protocol.js'

/** Fewest signed versions worth a message of their own: below it a batch is not split across workers. */
const MIN_SIGNED_CHUNK = 8

export interface PreparePoolInit {
  /** Worker threads; 0 runs every stage inline on the calling thread. Default `max(1, os.availableParallelism())`. */
  size?: number
  /** The node key, so workers sign raw RDF themselves (default none: the caller signs on its own thread). */
  nodeKey?: NodeKeySource
}

/**
 * Where the CPU stages of a publish run: parse, RDFC-1.0, leaf hashes and root, node signing and signature
 * verification. With workers they leave the main thread, which keeps only the SQLite writes; inline (size 0) they
 * run on the caller's thread. Results and errors are identical either way: CairnErrors arrive with the same code,
 * message and details.
 */
export interface PreparePool extends Startable {
  /** Worker threads (0 = inline). */
  readonly size: number
  /** Address of the node key the pool signs with; undefined before start() or without a node key. */
  readonly signerAddress: string | undefined
  /** {@link prepareGraphs} off the main thread. */
  prepareGraphs (input: { text: string, format: RdfFormat, base?: string }, options: PrepareOptions): Promise<PreparedGraph[]>
  /**
   * prepareGraphs and sign each graph as version 1 with the node key (see signerAddress), with the quads to store:
   * {@link prepareAndSignGraphs} off the main thread.
   */
  prepareAndSign (input: { text: string, format: RdfFormat, base?: string }, options: PrepareOptions, network: string): Promise<ReadyVersion[]>
  /**
   * {@link prepareSignedVersion} and {@link storeQuads} for each version, in order; a batch is spread over the
   * workers. Throws the error of the first failing version, as a loop over them would.
   */
  prepareSignedVersions (versions: SignedVersion[], options: PrepareOptions): Promise<ReadyVersion[]>
}

type Request = WorkerRequest extends infer R ? R extends WorkerRequest ? Omit<R, 'id'> : never : never

interface Pending { resolve: (packed: PackedGraphs) => void, reject: (err: unknown) => void }

interface Slot {
  worker: Worker
  pending: Map<number, Pending>
}

/** The failure of one chunk of a 'signed' request, at a position within the whole batch. */
class ChunkFailure {
  constructor (readonly index: number, readonly error: unknown) {}
}

/**
 * {@link PreparePool} over node:worker_threads. A call goes to the worker with the fewest pending calls as one
 * message and comes back as one (see worker-protocol.ts); a batch of signed versions is split into one chunk per
 * worker. Workers are unref'd while idle so a forgotten pool never holds the process open.
 */
export class PrepareWorkerPool implements PreparePool {
  readonly size: number
  private readonly nodeKey: NodeKeySource | undefined
  private slots: Slot[] = []
  private started = false
  /** Bumped by stop(), so a replacement worker spawned before it never joins a later start. */
  private generation = 0
  private starting: Promise<void> | undefined
  private inlineSigner: Signer | undefined
  private address: string | undefined
  private nextId = 1

  constructor (init: PreparePoolInit = {}) {
    const size = init.size ?? Math.max(1, availableParallelism())
    if (!Number.isInteger(size) || size < 0) throw new CairnError('CONFIG_INVALID', `PreparePool: size must be a whole number ≥ 0 (0 = inline); got ${size}`)
    this.size = size
    this.nodeKey = init.nodeKey
  }

  get signerAddress (): string | undefined {
    return this.address
  }

  isStarted (): boolean {
    return this.started
  }

  async start (): Promise<void> {
    if (this.started) return
    this.starting ??= this.spawnAll().finally(() => { this.starting = undefined })
    await this.starting
  }

  private async spawnAll (): Promise<void> {
    if (this.size === 0) {
      if (this.nodeKey !== undefined) this.address = this.signer().address
      this.started = true
      return
    }
    const spawned = await Promise.allSettled(Array.from({ length: this.size }, async () => await this.spawn()))
    const slots = spawned.flatMap((s) => s.status === 'fulfilled' ? [s.value.slot] : [])
    const failed = spawned.find((s) => s.status === 'rejected')
    if (failed !== undefined) {
      await Promise.all(slots.map(async (s) => await s.worker.terminate()))
      throw failed.reason
    }
    const addresses = new Set(spawned.map((s) => (s as PromiseFulfilledResult<{ address?: string }>).value.address))
    this.address = addresses.size === 1 ? [...addresses][0] : undefined
    this.slots = slots
    this.started = true
  }

  /** One worker, resolved once it has loaded its code and WASM and reported ready. */
  private async spawn (): Promise<{ slot: Slot, address?: string }> {
    const data: WorkerData = this.nodeKey === undefined ? {} : { nodeKey: this.nodeKey }
    const worker = new Worker(workerEntry(import.meta.url, 'prepare-worker'), { workerData: data })
    const slot: Slot = { worker, pending: new Map() }
    const status = await new Promise<WorkerStatus>((resolve, reject) => {
      const onExit = (code: number): void => { reject(new CairnError('INTERNAL', `PreparePool: a worker exited (code ${code}) before it was ready`)) }
      worker.once('error', reject)
      worker.once('exit', onExit)
      worker.once('message', (m: WorkerStatus) => {
        worker.off('error', reject)
        worker.off('exit', onExit)
        resolve(m)
      })
    }).catch(async (err: unknown) => {
      await worker.terminate()
      throw err instanceof CairnError ? err : new CairnError('INTERNAL', `PreparePool: a worker failed to start: ${(err as Error).message}`, { cause: err })
    })
    if (status.type === 'init-failed') {
      await worker.terminate()
      throw deserializeError(status.error)
    }
    worker.on('message', (m: WorkerReply) => { this.onReply(slot, m) })
    worker.on('error', (err) => { this.onCrash(slot, err) })
    worker.on('exit', (code) => { this.onCrash(slot, new Error(`exited with code ${code}`)) })
    worker.unref()
    return { slot, ...(status.address === undefined ? {} : { address: status.address }) }
  }

  async stop (): Promise<void> {
    if (this.starting !== undefined) await this.starting.catch(() => undefined)
    if (!this.started) return
    this.started = false
    this.generation++
    const slots = this.slots
    this.slots = []
    this.inlineSigner = undefined
    this.address = undefined
    const stopped = new CairnError('INTERNAL', 'PreparePool: stopped before this call finished (the node is shutting down); retry against a running node')
    for (const slot of slots) this.rejectAll(slot, stopped)
    await Promise.all(slots.map(async (s) => await s.worker.terminate()))
  }

  private onReply (slot: Slot, m: WorkerReply): void {
    const pending = slot.pending.get(m.id)
    if (pending === undefined) return
    this.settle(slot, m.id)
    if (m.ok) pending.resolve(m.packed)
    else {
      const error = deserializeError(m.error)
      pending.reject(m.index === undefined ? error : new ChunkFailure(m.index, error))
    }
  }

  /** A worker died (an uncaught error, or it exited): fail its calls and replace it while the pool runs. */
  private onCrash (slot: Slot, err: Error): void {
    const at = this.slots.indexOf(slot)
    if (at === -1) return
    this.slots.splice(at, 1)
    this.rejectAll(slot, new CairnError('INTERNAL', `PreparePool: a worker crashed (${err.message}); the call was not completed`, { cause: err }))
    void slot.worker.terminate()
    if (!this.started) return
    const generation = this.generation
    this.spawn().then(({ slot: fresh }) => {
      if (this.started && this.generation === generation) this.slots.push(fresh)
      else void fresh.worker.terminate()
    }, () => {
      // With no worker left the pool runs inline (below), so publishing goes on, only slower.
    })
  }

  private rejectAll (slot: Slot, err: Error): void {
    const calls = [...slot.pending.values()]
    slot.pending.clear()
    slot.worker.unref()
    for (const call of calls) call.reject(err)
  }

  private settle (slot: Slot, id: number): void {
    slot.pending.delete(id)
    // An idle pool must not keep the process alive; a busy one must, or an awaited call could be dropped.
    if (slot.pending.size === 0) slot.worker.unref()
  }

  private assertRunning (): void {
    if (!this.started) throw new CairnError('INTERNAL', 'PreparePool: not started; call start() first')
  }

  /** Inline when the pool has no worker (size 0, or every worker died and none could be replaced). */
  private get inline (): boolean {
    return this.slots.length === 0
  }

  /** The least busy worker takes the call. */
  private async call (request: Request): Promise<PackedGraphs> {
    let slot = this.slots[0]
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s
    const id = this.nextId++
    return await new Promise<PackedGraphs>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref()
      slot.pending.set(id, { resolve, reject })
      try {
        slot.worker.postMessage({ ...request, id })
      } catch (err) {
        this.settle(slot, id)
        reject(err)
      }
    })
  }

  async prepareGraphs (input: { text: string, format: RdfFormat, base?: string }, options: PrepareOptions): Promise<PreparedGraph[]> {
    if (this.size === 0) return await prepareGraphs(input, options)
    this.assertRunning()
    if (this.inline) return await prepareGraphs(input, options)
    return unpackGraphs(await this.call({ op: 'graphs', input, options }))
  }

  async prepareAndSign (input: { text: string, format: RdfFormat, base?: string }, options: PrepareOptions, network: string): Promise<ReadyVersion[]> {
    if (this.size > 0) this.assertRunning()
    if (this.address === undefined) throw new CairnError('INTERNAL', 'PreparePool.prepareAndSign: the pool has no node key; give one in its init, or sign on the calling thread')
    if (this.inline) return await prepareAndSignGraphs(input, options, { signer: this.signer(), network })
    return unpackReady(await this.call({ op: 'sign', input, options, network }))
  }

  /** The node key on this thread, for inline signing (built once: decrypting a keystore may run scrypt). */
  private signer (): Signer {
    if (this.inlineSigner !== undefined) return this.inlineSigner
    const key = this.nodeKey
    if (key === undefined) throw new CairnError('INTERNAL', 'PreparePool: no node key to sign with')
    this.inlineSigner = 'seed' in key ? signerFromSeed(key.seed, key.type) : decryptKeystore(key.keystore, key.passphrase)
    return this.inlineSigner
  }

  async prepareSignedVersions (versions: SignedVersion[], options: PrepareOptions): Promise<ReadyVersion[]> {
    if (versions.length === 0) return []
    if (this.size > 0) this.assertRunning()
    if (this.inline) {
      const out: ReadyVersion[] = []
      for (const sv of versions) out.push(readyVersion(sv, await prepareSignedVersion(sv, options)))
      return out
    }
    const chunks = Math.min(this.slots.length, Math.ceil(versions.length / MIN_SIGNED_CHUNK))
    const per = Math.ceil(versions.length / chunks)
    const calls: Array<Promise<ReadyVersion[]>> = []
    for (let from = 0; from < versions.length; from += per) {
      const offset = from
      const chunk = versions.slice(from, from + per)
      calls.push(this.call({ op: 'signed', versions: chunk, options }).then((packed) => unpackReady(packed, chunk), (err: unknown) => {
        throw err instanceof ChunkFailure ? new ChunkFailure(offset + err.index, err.error) : err
      }))
    }
    const settled = await Promise.allSettled(calls)
    // A loop would have stopped at the first failing version: report that one, whichever chunk it was in.
    let first: ChunkFailure | undefined
    for (const s of settled) {
      if (s.status === 'fulfilled') continue
      if (!(s.reason instanceof ChunkFailure)) throw s.reason
      if (first === undefined || s.reason.index < first.index) first = s.reason
    }
    if (first !== undefined) throw first.error
    return settled.flatMap((s) => (s as PromiseFulfilledResult<ReadyVersion[]>).value)
  }
}
