/**
 * The GraphQL side of the single error mapping (docs/errors.md): every error leaves with `extensions.code` from
 * the `CAIRN_*` catalogue and `extensions.status`, the HTTP status the same error has over REST.
 * - a CairnError (from a resolver, a loader or the limits check) keeps its code, message and `details`;
 * - Apollo's request errors (syntax, validation, bad variables, unknown operation) become CAIRN_API_BAD_REQUEST,
 *   with graphql-js's message (it describes the query, nothing of the node) and Apollo's code in `details.graphql`;
 * - anything else is CAIRN_INTERNAL with a generic message; the full error goes to the node log only.
 */
import { ApolloServerErrorCode } from '@apollo/server/errors'
import { GraphQLError } from 'graphql'
import type { GraphQLFormattedError } from 'graphql'
import type { Logger } from 'pino'
import { CairnError } from '../errors.js'

const REQUEST_ERRORS: ReadonlySet<string> = new Set([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED
])

/** What a CairnError puts in `extensions`. */
export function errorExtensions (err: CairnError): { code: string, status: number, details?: Record<string, unknown> } {
  return { code: err.code, status: err.status, ...(err.details === undefined ? {} : { details: err.details }) }
}

/** Apollo's `formatError`: logs what it hides under CAIRN_INTERNAL. */
export function createFormatError (logger: Logger): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const where = {
      ...(formatted.locations === undefined ? {} : { locations: formatted.locations }),
      ...(formatted.path === undefined ? {} : { path: formatted.path })
    }
    const original = unwrap(error)
    if (original instanceof CairnError) {
      logger.debug({ code: original.code, path: formatted.path }, original.message)
      return { message: original.message, ...where, extensions: errorExtensions(original) }
    }
    const apolloCode = formatted.extensions?.code
    if (typeof apolloCode === 'string' && REQUEST_ERRORS.has(apolloCode)) {
      const err = new CairnError('API_BAD_REQUEST', formatted.message, { details: { graphql: apolloCode } })
      return { message: err.message, ...where, extensions: errorExtensions(err) }
    }
    logger.error({ err: original, path: formatted.path }, 'GraphQL: unhandled error')
    const err = new CairnError('INTERNAL', 'internal error; see the node log')
    return { message: err.message, ...where, extensions: errorExtensions(err) }
  }
}

/** The error a GraphQLError wraps (resolver errors, and errors thrown by plugin hooks), else the error itself. */
function unwrap (error: unknown): unknown {
  let e = error
  while (e instanceof GraphQLError && e.originalError !== undefined) e = e.originalError
  return e
}
