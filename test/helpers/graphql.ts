/**
 * A GraphQL-over-HTTP client for tests: a plain `fetch` POST of `{ query, variables }` as application/json, which is
 * what every GraphQL client sends (graphql-request, Apollo Client's HttpLink, urql's fetchExchange).
 */
import { expect } from 'vitest'

export interface GraphqlError {
  message: string
  path?: Array<string | number>
  locations?: Array<{ line: number, column: number }>
  extensions: { code: string, status: number, details?: Record<string, unknown> }
}

export interface GraphqlResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number
  contentType: string | null
  data?: T
  errors?: GraphqlError[]
}

export async function graphql<T = any> (url: string, query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify(variables === undefined ? { query } : { query, variables })
  })
  const body = await res.json() as { data?: T, errors?: GraphqlError[] }
  return { status: res.status, contentType: res.headers.get('content-type'), ...body }
}

/** The data of a response that must have no errors. */
export async function gqlData<T = any> (url: string, query: string, variables?: Record<string, unknown>): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await graphql<T>(url, query, variables)
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined()
  expect(res.status).toBe(200)
  return res.data as T
}

/** The single error of a response, checked to carry `code`. */
export async function gqlError (url: string, query: string, code: string, variables?: Record<string, unknown>): Promise<GraphqlResponse & { error: GraphqlError }> {
  const res = await graphql(url, query, variables)
  expect(res.errors, JSON.stringify(res)).toBeDefined()
  const error = (res.errors as GraphqlError[])[0]
  expect(error.extensions.code, JSON.stringify(res.errors)).toBe(code)
  return { ...res, error }
}
