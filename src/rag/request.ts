import { z } from 'zod'
import { CairnError } from '../errors.js'
import { MAX_CHARS, MAX_CROSS_CHECK, MAX_ENTITIES, MAX_FACTS, MAX_QUESTION_CHARS, MIN_CHARS } from './constants.js'
import type { RetrieveRequest } from './index.js'

/** An absolute IRI (scheme, colon, no whitespace or N-Triples delimiters). */
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/

const Schema = z.object({
  question: z.string().max(MAX_QUESTION_CHARS, `question is at most ${MAX_QUESTION_CHARS} characters`).optional(),
  entities: z.array(z.string().regex(IRI, 'each entity is an absolute IRI (e.g. https://example.org/alice)'))
    .max(MAX_ENTITIES, `at most ${MAX_ENTITIES} entities`).optional(),
  budget: z.object({
    maxFacts: z.number().int().min(1).max(MAX_FACTS).optional(),
    maxChars: z.number().int().min(MIN_CHARS).max(MAX_CHARS).optional()
  }).strict().optional(),
  paranet: z.string().optional(),
  hops: z.union([z.literal(1), z.literal(2)]).optional(),
  withProofs: z.boolean().optional(),
  crossCheck: z.number().int().min(0).max(MAX_CROSS_CHECK).optional()
}).strict()

/**
 * Validate a retrieve request from any interface (REST body, GraphQL arguments, MCP tool input). Throws
 * API_BAD_REQUEST with `details.issues` (`path`, `message`) listing every problem, so a caller can fix all at once.
 */
export function parseRetrieveRequest (input: unknown): RetrieveRequest {
  const parsed = Schema.safeParse(input)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
    throw new CairnError('API_BAD_REQUEST', `retrieve: invalid request: ${issues.map((i) => `${i.path === '' ? '(body)' : i.path}: ${i.message}`).join('; ')}`,
      { details: { issues } })
  }
  const request = parsed.data as RetrieveRequest
  if (request.paranet !== undefined && request.paranet !== '') {
    throw new CairnError('API_BAD_REQUEST', 'retrieve: paranets are not supported yet; leave `paranet` out to search the whole graph',
      { details: { issues: [{ path: 'paranet', message: 'paranets are not supported yet' }] } })
  }
  if ((request.question === undefined || request.question.trim() === '') && (request.entities === undefined || request.entities.length === 0)) {
    throw new CairnError('API_BAD_REQUEST', 'retrieve: give a `question`, one or more `entities` (IRIs), or both',
      { details: { issues: [{ path: 'question', message: 'a question or entities are required' }] } })
  }
  return request
}
