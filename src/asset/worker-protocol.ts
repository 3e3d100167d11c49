/**
 * Messages between the {@link PrepareWorkerPool} and its workers (`prepare-worker.ts`). One request carries a whole
 * call (a document, or a chunk of signed versions) and one reply carries all of its results: leaf lines joined into
 * one string and every leaf hash in one transferred ArrayBuffer, so the cost of a message does not grow with the
 * number of rows.
 */
import type { TransferListItem } from 'node:worker_threads'
import type { Quad, Term } from '@rdfjs/types'
import { DataFactory } from 'n3'
import { CairnError, ERRORS } from '../errors.js'
import type { CairnErrorCode } from '../errors.js'
import type { RdfFormat } from '../rdf/index.js'
import type { KeyType, Keystore } from './keys.js'
import type { PreparedGraph, PrepareOptions, ReadyVersion, SignedVersion } from './prepare.js'

const { namedNode, blankNode, literal, quad, defaultGraph } = DataFactory

/** Bytes of one keccak-256 leaf hash. */
const HASH_BYTES = 32

/**
 * The node key handed to workers (same process) so they can sign raw RDF: a seed, or the keystore file and its
 * passphrase, which each worker decrypts itself.
 */
export type NodeKeySource = { seed: Uint8Array, type: KeyType } | { keystore: Keystore, passphrase?: string }

export interface WorkerData { nodeKey?: NodeKeySource }

type Input = { text: string, format: RdfFormat, base?: string }

export type WorkerRequest =
  | { id: number, op: 'graphs', input: Input, options: PrepareOptions }
  | { id: number, op: 'sign', input: Input, options: PrepareOptions, network: string }
  | { id: number, op: 'signed', versions: SignedVersion[], options: PrepareOptions }

/** The claim fields of a signed version; its lines travel once, in the packed graph. */
type PackedClaim = Omit<SignedVersion, 'lines' | 'sourceName'>

interface PackedGraph {
  sourceName: string | null
  root: string
  /** Leaf lines joined by '\n' (a canonical line never holds a raw newline). */
  lines: string
  count: number
  claim?: PackedClaim
}

export interface PackedGraphs {
  graphs: PackedGraph[]
  /** Every graph's leaf hashes back to back, HASH_BYTES each, in graph order. */
  hashes: ArrayBuffer
  /**
   * Store quads of every graph in graph and leaf order, QUAD_FIELDS strings each (ready versions only): joined by
   * TERM_SEP into one string (one string clones far cheaper than hundreds), or the array when a term holds TERM_SEP.
   */
  terms?: string | string[]
}

/** Subject, predicate, object, object datatype, object language. Subject and object carry a kind letter. */
const QUAD_FIELDS = 5
/** NUL: only a literal written with the escape \u0000 can hold it; such a reply sends the terms as an array. */
const TERM_SEP = '\u0000'

export interface SerializedError {
  /** A CairnError's key; absent for any other error. */
  key?: string
  name: string
  message: string
  details?: Record<string, unknown>
  stack?: string
  cause?: string
}

export type WorkerReply =
  | { id: number, ok: true, packed: PackedGraphs }
  | { id: number, ok: false, error: SerializedError, /** Position of the failing version within a 'signed' request. */ index?: number }

export type WorkerStatus =
  | { type: 'ready', address?: string }
  | { type: 'init-failed', error: SerializedError }

type Packed = { packed: PackedGraphs, transfer: TransferListItem[] }

/** Prepared graphs → one message: lines as one string per graph, all leaf hashes in one transferable buffer. */
export function packGraphs (graphs: PreparedGraph[], claims?: PackedClaim[]): Packed {
  const total = graphs.reduce((n, g) => n + g.leafHashes.length, 0)
  const bytes = new Uint8Array(total * HASH_BYTES)
  let at = 0
  const packed = graphs.map((g, i): PackedGraph => {
    for (const hash of g.leafHashes) {
      bytes.set(hash, at)
      at += HASH_BYTES
    }
    const out: PackedGraph = { sourceName: g.sourceName, root: g.root, lines: g.lines.join('\n'), count: g.lines.length }
    if (claims !== undefined) out.claim = claims[i]
    return out
  })
  return { packed: { graphs: packed, hashes: bytes.buffer }, transfer: [bytes.buffer] }
}

/** Ready versions → one message; `withClaims` when the receiver does not hold the signed versions (node signing). */
export function packReady (versions: ReadyVersion[], withClaims: boolean): Packed {
  const claims = withClaims ? versions.map(({ sv }) => { const { lines: _l, sourceName: _s, ...claim } = sv; return claim }) : undefined
  const out = packGraphs(versions.map((v) => v.prepared), claims)
  const terms: string[] = []
  let separable = true
  for (const { quads } of versions) {
    for (const q of quads) {
      const o = q.object
      const object = encodeTerm(o)
      if (o.termType === 'Literal') {
        terms.push(encodeTerm(q.subject), q.predicate.value, object, o.datatype.value, o.language)
        if (object.includes(TERM_SEP)) separable = false
      } else {
        terms.push(encodeTerm(q.subject), q.predicate.value, object, '', '')
      }
    }
  }
  out.packed.terms = separable ? terms.join(TERM_SEP) : terms
  return out
}

function encodeTerm (t: Term): string {
  switch (t.termType) {
    case 'NamedNode': return 'I' + t.value
    case 'BlankNode': return 'B' + t.value
    case 'Literal': return 'L' + t.value
    default: throw new CairnError('INTERNAL', `prepare worker: cannot send a ${t.termType} term`)
  }
}

function decodeTerm (s: string, datatype: string, language: string): Term {
  const value = s.slice(1)
  switch (s[0]) {
    case 'I': return namedNode(value)
    case 'B': return blankNode(value)
    // As parseLine builds them: a language tag, or a datatype (n3 leaves xsd:string implicit).
    default: return language !== '' ? literal(value, language) : literal(value, namedNode(datatype))
  }
}

function unpackGraph (g: PackedGraph, hashes: ArrayBuffer, first: number): PreparedGraph {
  const lines = g.count === 0 ? [] : g.lines.split('\n')
  if (lines.length !== g.count) throw new CairnError('INTERNAL', `prepare worker: a graph came back with ${lines.length} lines, expected ${g.count}`)
  const leafHashes: Uint8Array[] = new Array(g.count)
  for (let i = 0; i < g.count; i++) leafHashes[i] = new Uint8Array(hashes, (first + i) * HASH_BYTES, HASH_BYTES)
  return { sourceName: g.sourceName, lines, leafHashes, root: g.root }
}

export function unpackGraphs (packed: PackedGraphs): PreparedGraph[] {
  let first = 0
  return packed.graphs.map((g) => {
    const prepared = unpackGraph(g, packed.hashes, first)
    first += g.count
    return prepared
  })
}

/** The ready versions of a reply; `versions` are the signed versions the request carried (else the claims). */
export function unpackReady (packed: PackedGraphs, versions?: SignedVersion[]): ReadyVersion[] {
  if (packed.terms === undefined) throw new CairnError('INTERNAL', 'prepare worker: ready versions came back without their quads')
  const terms = typeof packed.terms === 'string' ? packed.terms.split(TERM_SEP) : packed.terms
  let at = 0
  return unpackGraphs(packed).map((prepared, i) => {
    let sv = versions?.[i]
    if (sv === undefined) {
      const claim = packed.graphs[i].claim
      if (claim === undefined) throw new CairnError('INTERNAL', 'prepare worker: a signed graph came back without its claim')
      sv = { ...claim, sourceName: prepared.sourceName, lines: prepared.lines }
    }
    const quads: Quad[] = new Array(prepared.lines.length)
    for (let j = 0; j < quads.length; j++, at += QUAD_FIELDS) {
      quads[j] = quad(decodeTerm(terms[at], '', '') as Quad['subject'], namedNode(terms[at + 1]),
        decodeTerm(terms[at + 2], terms[at + 3], terms[at + 4]) as Quad['object'], defaultGraph())
    }
    return { sv, prepared, quads }
  })
}

/** Enough of an error to rebuild it on the other side: a CairnError keeps its key, message and details. */
export function serializeError (err: unknown): SerializedError {
  if (err instanceof CairnError) {
    return {
      key: err.key,
      name: err.name,
      message: err.message,
      ...(err.details === undefined ? {} : { details: err.details }),
      ...(err.stack === undefined ? {} : { stack: err.stack }),
      ...(err.cause === undefined ? {} : { cause: err.cause instanceof Error ? err.cause.message : String(err.cause) })
    }
  }
  if (err instanceof Error) return { name: err.name, message: err.message, ...(err.stack === undefined ? {} : { stack: err.stack }) }
  return { name: 'Error', message: String(err) }
}

/** The main-thread twin of a worker's error: a CairnError with the same code, message and details. */
export function deserializeError (e: SerializedError): Error {
  let err: Error
  if (e.key !== undefined && Object.hasOwn(ERRORS, e.key)) {
    err = new CairnError(e.key as CairnErrorCode, e.message, {
      ...(e.details === undefined ? {} : { details: e.details }),
      ...(e.cause === undefined ? {} : { cause: new Error(e.cause) })
    })
  } else {
    err = new Error(e.message)
    err.name = e.name
  }
  // The worker's stack says where it failed; the main thread's would only show the message handler.
  if (e.stack !== undefined) err.stack = e.stack
  return err
}
