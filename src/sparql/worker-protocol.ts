import type { CairnErrorCode } from '../errors.js'
import type { QueryForm } from './query-form.js'
import type { SolutionsFormat } from './results.js'

/** Messages main thread → engine replica. */
export type EngineRequest =
  | { type: 'catchUp', upto: number }
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
  /** `ms` from the worker's start; `loadMs` of it inside oxigraph (the rest reads SQLite and builds N-Quads). */
  | { type: 'ready', seq: number, quads: number, ms: number, loadMs: number }
  | { type: 'progress', quads: number }
  | { type: 'applied', seq: number, quads: number }
  | { type: 'fatal', message: string }
  | { type: 'result', id: number, ok: true, kind: 'solutions' | 'boolean' | 'graph', body: string, rows: number, truncated: boolean }
  | { type: 'result', id: number, ok: false, error: { key: CairnErrorCode, message: string, details?: Record<string, unknown> } }
