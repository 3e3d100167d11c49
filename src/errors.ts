/**
 * The one error catalogue of Cairn. Every error that leaves a module is a {@link CairnError} with a code from
 * {@link ERRORS}; REST maps it to application/problem+json, GraphQL to `extensions.code`, MCP to `isError`.
 * Codes are never reused once released. Keep docs/errors.md in sync (test/errors.spec.ts checks both ways).
 *
 * Plain TypeScript with no Node imports: src/proof (browser-safe) imports it.
 *
 * @packageDocumentation
 * @example
 * ```ts
 * throw new CairnError('ASSET_NOT_FOUND', `AssetService.get: no asset ${ual}`, { details: { ual } })
 * ```
 */

export const ERRORS = {
  // rdf
  RDF_SYNTAX: { status: 400, title: 'RDF syntax error' },
  RDF_UNSUPPORTED_FORMAT: { status: 415, title: 'Unsupported RDF format' },
  RDF_RELATIVE_IRI: { status: 400, title: 'Relative IRI without a base' },
  RDF_REMOTE_CONTEXT: { status: 400, title: 'Remote JSON-LD context refused' },
  RDF_EMPTY_GRAPH: { status: 400, title: 'Empty graph' },
  RDF_TOO_MANY_TRIPLES: { status: 413, title: 'Too many triples' },
  RDF_CANONICALIZATION_LIMIT: { status: 422, title: 'Canonicalization work limit exceeded' },
  // proof
  PROOF_ROOT_MISMATCH: { status: 422, title: 'Merkle root mismatch' },
  PROOF_LEAF_MISMATCH: { status: 422, title: 'Stored triple does not match its leaf hash' },
  PROOF_INVALID: { status: 422, title: 'Invalid inclusion proof' },
  PROOF_BAD_SIGNATURE: { status: 401, title: 'Bad publisher signature' },
  PROOF_BAD_ANCHOR: { status: 422, title: 'Bad anchor proof' },
  PROOF_MALFORMED: { status: 400, title: 'Malformed proof, bundle or citation' },
  // asset
  ASSET_NOT_FOUND: { status: 404, title: 'Asset not found' },
  ASSET_VERSION_NOT_FOUND: { status: 404, title: 'Asset version not found' },
  ASSET_TRIPLE_NOT_FOUND: { status: 404, title: 'Triple not in asset' },
  ASSET_BAD_UAL: { status: 400, title: 'Malformed UAL' },
  ASSET_NOT_PUBLISHER: { status: 403, title: 'Only the original publisher may update' },
  ASSET_VERSION_CONFLICT: { status: 409, title: 'Version conflict' },
  ASSET_PUBLISHER_NOT_ALLOWED: { status: 403, title: 'Publisher not allowed by node policy' },
  ASSET_BAD_TIMESTAMP: { status: 400, title: 'Signed timestamp out of range' },
  ASSET_NETWORK_MISMATCH: { status: 400, title: 'UAL names another network' },
  // keys
  KEY_NOT_FOUND: { status: 404, title: 'Key not found' },
  KEY_BAD_PASSPHRASE: { status: 401, title: 'Wrong keystore passphrase' },
  KEY_INVALID: { status: 400, title: 'Invalid key or keystore' },
  // store
  STORE_IO: { status: 503, title: 'Storage error' },
  STORE_CORRUPT: { status: 500, title: 'Store corrupt' },
  STORE_MIGRATION: { status: 500, title: 'Migration failed' },
  // anchor
  ANCHOR_FAILED: { status: 503, title: 'Anchoring failed' },
  ANCHOR_NOT_FOUND: { status: 404, title: 'Anchor not found' },
  // sparql
  SPARQL_SYNTAX: { status: 400, title: 'SPARQL syntax error' },
  SPARQL_EVAL: { status: 400, title: 'SPARQL evaluation error' },
  SPARQL_TIMEOUT: { status: 503, title: 'SPARQL query timed out' },
  SPARQL_UPDATE_REFUSED: { status: 403, title: 'SPARQL UPDATE refused' },
  SPARQL_SERVICE_REFUSED: { status: 403, title: 'SPARQL SERVICE refused' },
  SPARQL_OVERLOADED: { status: 503, title: 'SPARQL engine overloaded' },
  SPARQL_NOT_READY: { status: 503, title: 'SPARQL engine not ready' },
  // network
  NET_PEER_UNREACHABLE: { status: 502, title: 'Peer unreachable' },
  NET_PROTOCOL: { status: 502, title: 'Peer protocol violation' },
  NET_TIMEOUT: { status: 504, title: 'Peer timeout' },
  // api
  API_BAD_REQUEST: { status: 400, title: 'Bad request' },
  API_UNAUTHORIZED: { status: 401, title: 'Missing or bad API token' },
  API_NOT_FOUND: { status: 404, title: 'No such route' },
  API_NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  API_PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  API_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported Content-Type' },
  API_LIMIT: { status: 400, title: 'Limit exceeded' },
  // config / internal
  CONFIG_INVALID: { status: 500, title: 'Invalid configuration' },
  INTERNAL: { status: 500, title: 'Internal error' }
} as const satisfies Record<string, { status: number, title: string }>

export type CairnErrorCode = keyof typeof ERRORS

/** Prefix every code carries on the wire so it is recognisable in a client's logs. */
export const CODE_PREFIX = 'CAIRN_'

export interface CairnErrorOptions {
  details?: Record<string, unknown>
  cause?: unknown
}

export class CairnError extends Error {
  override name = 'CairnError'
  readonly code: `CAIRN_${CairnErrorCode}`
  readonly key: CairnErrorCode
  readonly status: number
  readonly details?: Record<string, unknown>

  constructor (key: CairnErrorCode, message: string, options: CairnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.key = key
    this.code = `${CODE_PREFIX}${key}`
    this.status = ERRORS[key].status
    if (options.details !== undefined) this.details = options.details
  }

  /** The RFC 9457 problem body (REST) — also the shape the client rebuilds errors from. */
  toProblem (): Problem {
    return {
      type: `https://cairn.dev/errors#${this.key.toLowerCase()}`,
      title: ERRORS[this.key].title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.details === undefined ? {} : { details: this.details })
    }
  }
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  details?: Record<string, unknown>
}

export function isCairnError (err: unknown, key?: CairnErrorCode): err is CairnError {
  return err instanceof CairnError && (key === undefined || err.key === key)
}

/** Rebuild a CairnError from a problem body (client side); unknown codes become INTERNAL. */
export function errorFromProblem (problem: Partial<Problem>): CairnError {
  const raw = (problem.code ?? '').replace(CODE_PREFIX, '')
  // Own keys only: `in` would also accept Object.prototype names ('toString', 'constructor') from a hostile body.
  const key: CairnErrorCode = Object.hasOwn(ERRORS, raw) ? raw as CairnErrorCode : 'INTERNAL'
  return new CairnError(key, problem.detail ?? problem.title ?? 'unknown error', problem.details === undefined ? {} : { details: problem.details })
}
