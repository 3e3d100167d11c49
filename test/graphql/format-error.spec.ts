import { GraphQLError } from 'graphql'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { CairnError } from '../../src/errors.js'
import { createFormatError } from '../../src/graphql/format-error.js'

function setup (): { format: ReturnType<typeof createFormatError>, logs: Array<Record<string, unknown>> } {
  const logs: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'debug' }, { write: (line: string) => { logs.push(JSON.parse(line) as Record<string, unknown>) } })
  return { format: createFormatError(logger), logs }
}

describe('createFormatError', () => {
  it('keeps a CairnError thrown by a resolver: code, status, details, message, path and locations', () => {
    const { format } = setup()
    const cause = new CairnError('ASSET_NOT_FOUND', 'no asset did:cairn:x on this node', { details: { ual: 'did:cairn:x' } })
    const error = new GraphQLError(cause.message, { path: ['asset'], originalError: cause })
    const formatted = format({ message: cause.message, path: ['asset'], locations: [{ line: 1, column: 3 }], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error)
    expect(formatted).toEqual({
      message: 'no asset did:cairn:x on this node',
      path: ['asset'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'CAIRN_ASSET_NOT_FOUND', status: 404, details: { ual: 'did:cairn:x' } }
    })
  })

  it('unwraps a CairnError thrown by a plugin hook (no path)', () => {
    const { format } = setup()
    const cause = new CairnError('API_LIMIT', 'too deep', { details: { depth: 9, max: 8 } })
    const formatted = format({ message: cause.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, new GraphQLError(cause.message, { originalError: cause }))
    expect(formatted).toEqual({ message: 'too deep', extensions: { code: 'CAIRN_API_LIMIT', status: 400, details: { depth: 9, max: 8 } } })
  })

  it('maps Apollo request errors to CAIRN_API_BAD_REQUEST with the Apollo code in details', () => {
    const { format } = setup()
    for (const code of ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_SUPPORTED']) {
      const formatted = format({ message: 'Cannot query field "nope" on type "Query".', locations: [{ line: 1, column: 3 }], extensions: { code } }, new GraphQLError('x'))
      expect(formatted, code).toEqual({
        message: 'Cannot query field "nope" on type "Query".',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: 'CAIRN_API_BAD_REQUEST', status: 400, details: { graphql: code } }
      })
    }
  })

  it('hides anything else behind CAIRN_INTERNAL and a generic message, and logs the full error', () => {
    const { format, logs } = setup()
    const secret = new Error('SQLITE_CORRUPT at /secret/path/cairn.sqlite')
    const formatted = format({ message: secret.message, path: ['entity', 'facts'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] } },
      new GraphQLError(secret.message, { path: ['entity', 'facts'], originalError: secret }))
    expect(formatted).toEqual({ message: 'internal error; see the node log', path: ['entity', 'facts'], extensions: { code: 'CAIRN_INTERNAL', status: 500 } })
    expect(JSON.stringify(formatted)).not.toContain('secret')
    const logged = logs.find((l) => l.level === 50) as { err: { message: string } }
    expect(logged.err.message).toContain('/secret/path')
  })
})
