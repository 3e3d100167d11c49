import type { CairnErrorCode } from '../errors.js'
import type { VersionRecord } from '../store/index.js'
import type { QueryForm } from './query-form.js'
import type { SolutionsFormat } from './results.js'

/** A committed version as sent to replicas: one string of lines clones far cheaper than an array of them. */
export interface PushedVersion { record: VersionRecord, lines: string }

/** Messages main thread → engine replica. */
export type EngineRequest =
  /** `versions`: the versions up to `upto` with their canonical lines joined by '\n', when the commit gave them. */
  | { type: 'catchUp', upto: number, versions?: PushedVersion[] }
  | { type: 'loadDataset', nquads: string, baseIri?: string }
  | {
    type: 'query'
    id: number
    query: string
    form: QueryForm | undefined
    format: SolutionsFormat
    defaultGraphUris?: string[]
    namedGraphUris?: string[]
    maxRows: number
    maxBytes: number
  }

/** Messages engine replica → main thread. */
export type EngineResponse =
  /**
   * `ms` from the worker's start; `loadMs` of it inside oxigraph (the rest reads SQLite and builds N-Quads);
   * `heapUsed`: the replica's JS heap after the build and a full GC, which freed `collected` bytes.
   */
  | { type: 'ready', seq: number, quads: number, ms: number, loadMs: number, heapUsed: number, collected: number }
  | { type: 'progress', quads: number }
  | { type: 'applied', seq: number, quads: number }
  | { type: 'fatal', message: string }
  | { type: 'result', id: number, ok: true, kind: 'solutions' | 'boolean' | 'graph', body: string, rows: number, truncated: boolean }
  | { type: 'result', id: number, ok: false, error: { key: CairnErrorCode, message: string, details?: Record<string, unknown> } }
