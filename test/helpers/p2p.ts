/**
 * Test helpers for the peer network: a bare libp2p peer speaking `/cairn/replicate/1.0.0` by hand (an attacker or
 * a scripted peer), bounded polling, free loopback ports, and `cairn start` child processes for kill tests.
 */
import '../../src/network/polyfill.js'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import type { LengthPrefixedStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { MAX_FRAME_BYTES, REPLICATE_PROTOCOL } from '../../src/network/constants.js'
import { decodeRequest, encode } from '../../src/network/messages.js'
import type { Request, Response } from '../../src/network/messages.js'

/** Poll `check` every `intervalMs` until it returns a value other than undefined/false, or fail after `timeoutMs`. */
export async function waitFor<T> (what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (err) {
      last = err
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last === undefined ? '' : ` (last error: ${(last as Error).message})`}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => { resolve(port) })
    })
  })
}

/** What a scripted peer does with a request: answer it, never answer, or reset the stream. */
export type Behaviour = (request: Request, peer: string) => Response | 'hang' | 'reset' | Promise<Response | 'hang' | 'reset'>

/** An honest-looking peer that holds nothing: empty commit log, every fetch answered `missing`. */
export const EMPTY_PEER: Behaviour = (request) => {
  if (request.type === 'sync') return { v: 1, type: 'versions', items: [], next: null }
  if (request.type === 'fetch') return { v: 1, type: 'bundles', bundles: [], missing: request.uals }
  return 'reset'
}

export interface RawPeer {
  node: Libp2p
  peerId: string
  /** Requests received, in order. */
  received: Request[]
  /** Replace how it answers. */
  behave (behaviour: Behaviour): void
  /** Open a replicate stream to `target` (a multiaddr with /p2p/), send the frames given, read one reply. */
  exchange (target: string, send: (lp: LengthPrefixedStream<Stream>, stream: Stream) => Promise<void>): Promise<ExchangeResult>
  /** Shorthand: send one JSON message (or raw bytes) as one frame. */
  send (target: string, message: Request | Uint8Array): Promise<ExchangeResult>
  stop (): Promise<void>
}

/** The reply, or how the exchange failed (`error.name`, e.g. StreamResetError). */
export interface ExchangeResult { response?: Response, error?: Error }

/**
 * A bare libp2p peer on 127.0.0.1 with Cairn's transport stack (tcp, noise, yamux, identify) and no Cairn node
 * behind it: every byte it sends is chosen by the test.
 */
export async function startRawPeer (behaviour: Behaviour = EMPTY_PEER): Promise<RawPeer> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
  const received: Request[] = []
  let current = behaviour
  await node.handle(REPLICATE_PROTOCOL, (stream: Stream, connection: Connection) => {
    void (async () => {
      const lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES })
      try {
        const request = decodeRequest((await lp.read({ signal: AbortSignal.timeout(20_000) })).subarray())
        received.push(request)
        const answer = await current(request, connection.remotePeer.toString())
        if (answer === 'hang') return
        if (answer === 'reset') { stream.abort(new Error('scripted reset')); return }
        await lp.write(encode(answer))
        await stream.close()
      } catch (err) {
        stream.abort(err as Error)
      }
    })()
  })
  const exchange: RawPeer['exchange'] = async (target, send) => {
    const signal = AbortSignal.timeout(20_000)
    const stream = await node.dialProtocol(multiaddr(target), REPLICATE_PROTOCOL, { signal })
    const lp = lpStream(stream, { maxDataLength: MAX_FRAME_BYTES })
    try {
      await send(lp, stream)
      const bytes = await lp.read({ signal })
      await stream.close().catch(() => undefined)
      return { response: JSON.parse(new TextDecoder().decode(bytes.subarray())) as Response }
    } catch (err) {
      stream.abort(err as Error)
      return { error: err as Error }
    }
  }
  return {
    node,
    peerId: node.peerId.toString(),
    received,
    behave: (b) => { current = b },
    exchange,
    send: async (target, message) => await exchange(target, async (lp) => {
      await lp.write(message instanceof Uint8Array ? message : encode(message))
    }),
    stop: async () => { await node.stop() }
  }
}

/** Unsigned LEB128 varint (the length prefix of a frame). */
export function varint (n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80) }
  out.push(n)
  return Uint8Array.from(out)
}

// ── `cairn start` as a child process ──────────────────────────────────────────────────────────────────────────

const BIN = new URL('../../bin/cairn.js', import.meta.url).pathname

export interface ChildNodeOptions {
  dataDir: string
  p2pPort: number
  bootstrap?: string[]
  replicationFactor: number
  syncIntervalMs?: number
  env?: Record<string, string>
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[]
}

export interface ChildNode {
  url: string
  peerId: string
  /** /ip4/127.0.0.1/tcp/<port>/p2p/<id> */
  addr: string
  process: ChildProcess
  options: ChildNodeOptions
  /** Everything the process wrote to stderr (its logs at warn level and above). */
  stderr: () => string
  /** SIGKILL and wait for the exit. */
  kill: () => Promise<void>
  /** SIGTERM and wait for the exit (a clean stop). */
  stop: () => Promise<void>
}

/** `node bin/cairn.js start` on 127.0.0.1 with a fixed libp2p port (so a restart keeps its address); waits for "listening on". */
export async function spawnNode (options: ChildNodeOptions, startTimeoutMs = 60_000): Promise<ChildNode> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CAIRN_DATA_DIR: options.dataDir,
    CAIRN_PORT: '0',
    CAIRN_HOST: '127.0.0.1',
    CAIRN_P2P_LISTEN: `/ip4/127.0.0.1/tcp/${options.p2pPort}`,
    CAIRN_BOOTSTRAP: (options.bootstrap ?? []).join(','),
    CAIRN_REPLICATION_FACTOR: String(options.replicationFactor),
    CAIRN_SYNC_INTERVAL_MS: String(options.syncIntervalMs ?? 1000),
    CAIRN_SPARQL_REPLICAS: '1',
    CAIRN_WORKERS: '0',
    CAIRN_LOG_LEVEL: 'warn',
    ...options.env
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  // Never leave a node behind if the test process itself dies.
  const reap = (): void => { child.kill('SIGKILL') }
  process.once('exit', reap)
  child.once('exit', () => { process.off('exit', reap) })
  let err = ''
  child.stderr?.on('data', (chunk: Buffer) => { err += chunk.toString() })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`node did not start within ${startTimeoutMs} ms: ${out} ${err}`)) }, startTimeoutMs)
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m !== null) { clearTimeout(timer); resolve(m[1]) }
    })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`node exited with ${code}: ${out} ${err.slice(-2000)}`)) })
  })
  const self = await (await fetch(`${url}/peers/self`)).json() as { peerId: string }
  const exited = new Promise<void>((resolve) => { if (child.exitCode !== null || child.signalCode !== null) resolve(); else child.once('exit', () => { resolve() }) })
  return {
    url,
    peerId: self.peerId,
    addr: `/ip4/127.0.0.1/tcp/${options.p2pPort}/p2p/${self.peerId}`,
    process: child,
    options,
    stderr: () => err,
    kill: async () => { child.kill('SIGKILL'); await exited },
    stop: async () => {
      child.kill('SIGTERM')
      const timer = setTimeout(() => { child.kill('SIGKILL') }, 10_000)
      await exited
      clearTimeout(timer)
    }
  }
}
