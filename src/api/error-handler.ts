import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from 'pino'
import { CairnError } from '../errors.js'

export const PROBLEM_JSON = 'application/problem+json'

/** Express's own errors (body parser) carry a `type`/`status`; map them to catalogue codes. */
function fromExpressError (err: { type?: string, status?: number, message?: string, limit?: number }): CairnError | undefined {
  switch (err.type) {
    case 'entity.too.large':
      return new CairnError('API_PAYLOAD_TOO_LARGE', `request body exceeds the ${err.limit ?? '?'} byte limit; split the input or raise bodyLimit`, { details: { limit: err.limit } })
    case 'entity.parse.failed':
      return new CairnError('API_BAD_REQUEST', `request body is not valid JSON: ${err.message ?? ''}`)
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new CairnError('API_UNSUPPORTED_MEDIA_TYPE', err.message ?? 'unsupported encoding')
    default:
      return undefined
  }
}

/**
 * The single mapper from errors to responses: CairnError → its status with an RFC 9457 problem body carrying the
 * `CAIRN_*` code. Anything else is a 500 with a generic message; the full error goes to the log only.
 */
export function createErrorHandler (logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof CairnError ? err : fromExpressError(err)
    const error = known ?? new CairnError('INTERNAL', 'internal error; see the node log')
    if (known === undefined) logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error')
    else logger.debug({ code: error.code, url: req.originalUrl }, error.message)
    if (res.headersSent) {
      res.end()
      return
    }
    res.status(error.status).type(PROBLEM_JSON).send(JSON.stringify({ ...error.toProblem(), instance: req.originalUrl }))
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new CairnError('API_NOT_FOUND', `no route ${req.method} ${req.path}; see /openapi.json`))
}
