/**
 * A prepare worker thread (started by {@link PrepareWorkerPool}): parse → canonicalize → leaf hashes → root, plus
 * node signing of raw RDF and the full re-verification of client-signed versions. The same functions run inline
 * when the pool has no workers, so both paths give identical results and errors.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { proofReady } from '../proof/index.js'
import { decryptKeystore, keysReady, signerFromSeed } from './keys.js'
import type { Signer } from './keys.js'
import { prepareAndSignGraphs, prepareGraphs, prepareSignedVersion, readyVersion } from './prepare.js'
import type { ReadyVersion } from './prepare.js'
import { packGraphs, packReady, serializeError } from './worker-protocol.js'
import type { NodeKeySource, SerializedError, WorkerData, WorkerReply, WorkerRequest, WorkerStatus } from './worker-protocol.js'

const port = parentPort
if (port === null) throw new Error('prepare-worker: run me as a worker thread (PrepareWorkerPool starts me)')

function signerFrom (key: NodeKeySource): Signer {
  return 'seed' in key ? signerFromSeed(key.seed, key.type) : decryptKeystore(key.keystore, key.passphrase)
}

let signer: Signer | undefined

async function handle (req: WorkerRequest): Promise<void> {
  try {
    switch (req.op) {
      case 'graphs':
        reply(req.id, packGraphs(await prepareGraphs(req.input, req.options)))
        return
      case 'sign': {
        if (signer === undefined) throw new Error('prepare-worker: asked to sign but the pool gave no node key')
        reply(req.id, packReady(await prepareAndSignGraphs(req.input, req.options, { signer, network: req.network }), true))
        return
      }
      case 'signed': {
        // One after the other and stop at the first failure, exactly like the inline loop.
        const out: ReadyVersion[] = []
        for (let i = 0; i < req.versions.length; i++) {
          const sv = req.versions[i]
          try {
            out.push(readyVersion(sv, await prepareSignedVersion(sv, req.options)))
          } catch (err) {
            fail(req.id, err, i)
            return
          }
        }
        reply(req.id, packReady(out, false))
        return
      }
      default:
        throw new Error(`prepare-worker: unknown op ${String((req as { op: unknown }).op)}`)
    }
  } catch (err) {
    fail(req.id, err)
  }
}

function reply (id: number, { packed, transfer }: ReturnType<typeof packGraphs>): void {
  const message: WorkerReply = { id, ok: true, packed }
  port!.postMessage(message, transfer)
}

function fail (id: number, err: unknown, index?: number): void {
  const error = serializeError(err)
  const message: WorkerReply = { id, ok: false, error, ...(index === undefined ? {} : { index }) }
  try {
    port!.postMessage(message)
  } catch {
    // details that cannot be cloned (a function, a class instance): send what JSON keeps of them.
    port!.postMessage({ ...message, error: { ...error, details: jsonSafe(error.details) } })
  }
}

function jsonSafe (details: SerializedError['details']): SerializedError['details'] {
  try {
    return details === undefined ? undefined : JSON.parse(JSON.stringify(details)) as Record<string, unknown>
  } catch {
    return undefined
  }
}

async function init (): Promise<void> {
  try {
    await Promise.all([proofReady(), keysReady()])
    const { nodeKey } = (workerData ?? {}) as WorkerData
    if (nodeKey !== undefined) signer = signerFrom(nodeKey)
    port!.on('message', (req: WorkerRequest) => { void handle(req) })
    const ready: WorkerStatus = { type: 'ready', ...(signer === undefined ? {} : { address: signer.address }) }
    port!.postMessage(ready)
  } catch (err) {
    const failed: WorkerStatus = { type: 'init-failed', error: serializeError(err) }
    port!.postMessage(failed)
  }
}

void init()
